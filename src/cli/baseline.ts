import { relative, resolve } from 'node:path';
import { renderBaseline } from '../engine/baseline-file.js';
import { counted } from '../report/plural.js';
import type { Invocation } from './arguments.js';
import { write } from './output.js';
import { judge, type Judged } from './pipeline.js';

/** `release-lint baseline`: today's findings accepted, written to a baseline file instead of reported. */
export function baselineCommand(invocation: Invocation): Promise<number> {
  return judge(invocation, {}, writeBaseline);
}

function writeBaseline({ options, root, evaluation }: Judged): number {
  const file = options.output ?? resolve(root, '.release-lint-baseline.json');
  write(renderBaseline(evaluation), file);
  process.stdout.write(`release-lint: ${counted(evaluation.findings.length + evaluation.suppressed.length, 'finding')} accepted in ${relative(process.cwd(), file) || file}\n`);
  return 0;
}
