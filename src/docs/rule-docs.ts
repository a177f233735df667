import { escapeText } from '../report/escape.js';
import type { RuleInfo } from '../engine/rule-info.js';
import { ruleDocsUrl } from '../engine/docs-url.js';

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

/** `release-lint explain <id>`: everything the rule file says, as text. */
export function renderExplain(rule: RuleInfo): string {
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
  // A built-in rule's file sits in the installed package (an npx cache, say): its docs page is the
  // address worth showing. A team's rule has no page there; its file is the documentation.
  const docs = ruleDocsUrl(rule);
  out.push('', `Fix: ${shown(rule.fix)}`, '', docs ? `Docs: ${docs}` : `Defined in ${shown(rule.file)}`);
  return out.join('\n') + '\n';
}

/** docs/rules/<id>.md, generated from the rule file (scripts/generate-docs.ts). */
export function renderRuleDoc(rule: RuleInfo): string {
  const out = [`<!-- Generated from rules/${rule.id}.yml by npm run docs; edit the rule file instead. -->`, '', `# ${rule.id}`, '', `**${rule.title}**`, '', rule.description];
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
  out.push('', '## How to fix', '', rule.fix, '');
  return out.join('\n');
}
