import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { WorkflowStep } from './types.js';

function text(node: unknown): string {
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : '';
}

/** The steps (and reusable-workflow calls) of one GitHub Actions workflow file. */
export function workflowSteps(file: string, source: string): WorkflowStep[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return [];
  const jobs = doc.contents.get('jobs', true);
  if (!isMap(jobs)) return [];
  const lineOf = (node: unknown) => ((node as YamlNode | undefined)?.range ? lineCounter.linePos((node as YamlNode).range![0]).line : 0);
  const result: WorkflowStep[] = [];
  for (const pair of jobs.items) {
    const job = text(pair.key);
    const definition = pair.value;
    if (!isMap(definition)) continue;
    const reusable = definition.get('uses', true);
    if (reusable) result.push({ file, job, index: -1, name: text(definition.get('name', true)), uses: text(reusable), run: '', line: lineOf(reusable) });
    const steps = definition.get('steps', true);
    if (!isSeq(steps)) continue;
    steps.items.forEach((step, index) => {
      if (!isMap(step)) return;
      result.push({
        file,
        job,
        index,
        name: text(step.get('name', true)),
        uses: text(step.get('uses', true)),
        run: text(step.get('run', true)),
        line: lineOf(step),
      });
    });
  }
  return result;
}
