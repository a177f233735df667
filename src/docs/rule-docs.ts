import { escapeText } from '../report/escape.js';
import type { RuleInfo } from '../engine/rule-info.js';
import { ruleDocsUrl } from '../engine/docs-url.js';
import type { FailingCase, RuleTestExamples } from './rule-test-examples.js';

/** Rule-file text for the terminal, line by line: a rule file from a policy is repository text too (see escapeText). */
const shown = (text: string) =>
  text
    .split('\n')
    .map((line) => escapeText(line, 'human'))
    .join('\n');

const requirements = (rule: RuleInfo) => (rule.options && Object.keys(rule.options).length ? rule.options : {});

/** `release-lint rules`: id, effective severity, title. */
export function renderRuleTable(rules: RuleInfo[]): string {
  const width = Math.max(...rules.map((r) => r.id.length));
  const rows = [...rules]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((r) => `${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${escapeText(r.title, 'human')}${r.builtIn ? '' : '  (from ' + escapeText(r.file, 'human') + ')'}`);
  return [`${'id'.padEnd(width)}  severity title`, ...rows].join('\n') + '\n';
}

/** A failing case's expected findings, one line each: `v1.2: "…is not a semantic version…"`. */
const expectedFindings = (testCase: FailingCase) => testCase.findings.map((f) => (f.message === undefined ? f.target : `${f.target}: "…${f.message}…"`));

/** `release-lint explain <id>`: everything the rule file says, as text, with the cases of its test file. */
export function renderExplain(rule: RuleInfo, tests?: RuleTestExamples): string {
  const out = [`${rule.id}: ${shown(rule.title)}`, '', shown(rule.description)];
  if (rule.rationale) out.push('', `Why: ${shown(rule.rationale)}`);
  out.push('', `Severity: ${rule.severity}${rule.severity !== rule.defaultSeverity ? ` (default ${rule.defaultSeverity})` : ''}`);
  const options = Object.entries(requirements(rule));
  if (options.length) {
    out.push('', 'Options:');
    for (const [name, o] of options) out.push(`  ${shown(name)} (default ${shown(JSON.stringify(o.default))}${o.enum ? `; one of ${shown(o.enum.join(', '))}` : ''}): ${shown(o.description.trim())}`);
  }
  if (rule.examples?.valid?.length) out.push('', 'Passes:', ...rule.examples.valid.map((e) => `  ${shown(e)}`));
  if (rule.examples?.invalid?.length) out.push('', 'Fails:', ...rule.examples.invalid.map((e) => `  ${shown(e)}`));
  if (tests) {
    out.push('', `Test cases (${shown(tests.file)}):`, ...tests.passing.map((name) => `  passes: ${shown(name)}`));
    for (const testCase of tests.failing) out.push(`  fails:  ${shown(testCase.name)}`, ...expectedFindings(testCase).map((line) => `          ${shown(line)}`));
  }
  // A built-in rule's file sits in the installed package (an npx cache, say): its docs page is the
  // address worth showing. A team's rule has no page there; its file is the documentation.
  const docs = ruleDocsUrl(rule);
  out.push('', `Fix: ${shown(rule.fix)}`, '', docs ? `Docs: ${docs}` : `Defined in ${shown(rule.file)}`);
  return out.join('\n') + '\n';
}

/** docs/rules/<id>.md, generated from the rule file and its test file (scripts/generate-docs.ts). */
export function renderRuleDoc(rule: RuleInfo, tests?: RuleTestExamples): string {
  const out = [`<!-- Generated from rules/${rule.id}.yml and its test file by npm run docs; edit those instead. -->`, '', `# ${rule.id}`, '', `**${rule.title}**`, '', rule.description];
  if (rule.rationale) out.push('', '## Why', '', rule.rationale);
  out.push('', '## Severity', '', `\`${rule.defaultSeverity}\` by default. Configure it in \`.releasepolicyrc.yml\`:`, '', '```yaml', 'rules:', `  ${rule.id}: warn      # off | note | warn | error`, '```');
  const options = Object.entries(requirements(rule));
  if (options.length) {
    out.push('', '## Options', '', '| option | default | meaning |', '| --- | --- | --- |');
    for (const [name, o] of options) out.push(`| \`${name}\` | \`${JSON.stringify(o.default)}\`${o.enum ? ` (${o.enum.map((v) => `\`${v}\``).join(' or ')})` : ''} | ${o.description.trim().replace(/\|/g, '\\|').replace(/\s+/g, ' ')} |`);
    const [name, option] = options[0];
    const example = typeof option.default === 'boolean' ? !option.default : (option.enum?.find((v) => v !== option.default) ?? option.default);
    out.push('', '```yaml', 'rules:', `  ${rule.id}: [error, { ${name}: ${JSON.stringify(example)} }]`, '```');
  }
  if (rule.examples?.valid?.length || rule.examples?.invalid?.length) {
    out.push('', '## Examples');
    if (rule.examples.valid?.length) out.push('', 'Passes:', '', ...rule.examples.valid.map((e) => `- \`${e}\``));
    if (rule.examples.invalid?.length) out.push('', 'Fails:', '', ...rule.examples.invalid.map((e) => `- \`${e}\``));
  }
  if (tests) {
    out.push('', '## Test cases', '', `The cases of [\`rules/${tests.file}\`](../../rules/${tests.file}), which \`release-lint test\` runs.`);
    if (tests.passing.length) out.push('', 'Passes:', '', ...tests.passing.map((name) => `- ${name}`));
    if (tests.failing.length) {
      out.push('', 'Fails:', '');
      for (const testCase of tests.failing) out.push(`- ${testCase.name}`, ...testCase.findings.map((f) => `  - \`${f.target}\`${f.message === undefined ? '' : `: "…${f.message}…"`}`));
    }
  }
  out.push('', '## How to fix', '', rule.fix);
  out.push('', '## Source', '', `Defined in [\`rules/${rule.id}.yml\`](../../rules/${rule.id}.yml)${tests ? `, tested by [\`rules/${tests.file}\`](../../rules/${tests.file})` : ''}. The expressions it may use: [the rule language](../rule-language.md).`, '');
  return out.join('\n');
}
