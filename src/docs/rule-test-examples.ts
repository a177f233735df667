import { basename, dirname, join } from 'node:path';
import { parse } from 'yaml';
import { readPolicyFile } from '../read-file.js';

/** A failing case of a rule's test file: its name and the findings it expects (target, a part of the message). */
export interface FailingCase {
  name: string;
  findings: Array<{ target: string; message?: string }>;
}

/** The cases of `rules/<id>.test.yml` shown as a rule's examples: `expect: []` passes, anything else fails. */
export interface RuleTestExamples {
  /** The test file's name, beside the rule file. */
  file: string;
  passing: string[];
  failing: FailingCase[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

function switchesOff(config: unknown, id: string): boolean {
  const setting = isRecord(config) && isRecord(config.rules) ? config.rules[id] : undefined;
  return setting === 'off' || (Array.isArray(setting) && setting[0] === 'off');
}

/**
 * The examples of the test file beside a rule file, or undefined when there is none. A missing,
 * unreadable (a FIFO, too large) or malformed file, or a case that is not plain, is left out, not reported: showing
 * examples is documentation, and `release-lint test` is what reports a broken test file.
 */
export function ruleTestExamples(rule: { id: string; file: string }): RuleTestExamples | undefined {
  // Either extension `release-lint test` runs.
  let file = '';
  let document: unknown;
  for (const name of [`${rule.id}.test.yml`, `${rule.id}.test.yaml`]) {
    try {
      // Bounded, and refused when not a regular file: a FIFO named like a test file must not hang explain.
      document = parse(readPolicyFile(join(dirname(rule.file), name), 'rule test file'));
      file = name;
      break;
    } catch {
      continue;
    }
  }
  if (file === '') return undefined;
  if (!isRecord(document) || document.rule !== rule.id || !Array.isArray(document.cases)) return undefined;
  const examples: RuleTestExamples = { file: basename(file), passing: [], failing: [] };
  for (const testCase of document.cases) {
    // An inconclusive case neither passes nor fails: it shows the missing-fact path, no example.
    if (!isRecord(testCase) || typeof testCase.name !== 'string' || !Array.isArray(testCase.expect) || testCase.inconclusive !== undefined) continue;
    // A case that switches the rule off shows the config, not what the rule passes.
    if (switchesOff(testCase.config, rule.id)) continue;
    const findings = testCase.expect.filter(isRecord).filter((f) => typeof f.target === 'string');
    if (testCase.expect.length === 0) examples.passing.push(testCase.name);
    else if (findings.length === testCase.expect.length)
      examples.failing.push({ name: testCase.name, findings: findings.map((f) => ({ target: f.target as string, ...(typeof f.message === 'string' ? { message: f.message } : {}) })) });
  }
  return examples.passing.length + examples.failing.length > 0 ? examples : undefined;
}
