import { gzipSync } from 'node:zlib';
import { repositoryUrl, ruleDocsUrl } from '../engine/docs-url.js';
import { subjectOf, type Finding, type Inconclusive } from '../engine/evaluate.js';
import { InputError } from '../errors.js';
import { escapeText, stringifyJson } from './escape.js';
import type { RuleInfo } from '../engine/rule-info.js';
import type { ReportInput } from './types.js';

/** Text code scanning shows: see escapeText, shared by every report (the properties bag keeps the data exact). */
const safe = (text: string) => escapeText(text, 'sarif');

/** GitHub code scanning's upload limits. */
export const sarifLimits = { results: 25_000, gzippedBytes: 10 * 1024 * 1024 };

/**
 * The run's `automationDetails.id`: one category per command (`release-lint/check/`,
 * `release-lint/tag/`...), or the one given with --sarif-category. Code scanning closes the alerts
 * of a category that a new upload of it no longer reports: a `tag` run, which judges one tag,
 * uploaded under `check`'s category would close every other alert as fixed. GitHub reads the id up
 * to its last `/` as the category, so a given category without a trailing `/` gets one.
 */
export function sarifCategory(command: string, given?: string): string {
  const category = given ?? `release-lint/${command}`;
  return category.endsWith('/') ? category : `${category}/`;
}

const informationUri = repositoryUrl;

const pascalCase = (id: string) => id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());
const clip = (text: string, max = 1024) => (text.length <= max ? safe(text) : `${safe(text.slice(0, max - 1))}…`);

function helpText(rule: RuleInfo): string {
  const parts = [rule.description];
  if (rule.rationale) parts.push(`Why: ${rule.rationale}`);
  parts.push(`How to fix: ${rule.fix}`);
  const options = Object.entries(rule.options);
  if (options.length) parts.push(`Options: ${options.map(([name, o]) => `${name} (default ${JSON.stringify(o.default)}): ${o.description}`).join('; ')}`);
  const docs = ruleDocsUrl(rule);
  if (docs) parts.push(`Documentation: ${docs}`);
  return parts.join('\n\n');
}

function helpMarkdown(rule: RuleInfo): string {
  const parts = [`**${rule.title}**`, rule.description];
  if (rule.rationale) parts.push(`**Why.** ${rule.rationale}`);
  parts.push(`**How to fix.** ${rule.fix}`);
  const options = Object.entries(rule.options);
  if (options.length) {
    parts.push(['| option | default | meaning |', '| --- | --- | --- |', ...options.map(([n, o]) => `| \`${n}\` | \`${JSON.stringify(o.default)}\` | ${o.description.replace(/\|/g, '\\|')} |`)].join('\n'));
  }
  if (rule.examples?.valid?.length) parts.push(`**Passes:** ${rule.examples.valid.map((e) => `\`${e}\``).join(', ')}`);
  if (rule.examples?.invalid?.length) parts.push(`**Fails:** ${rule.examples.invalid.map((e) => `\`${e}\``).join(', ')}`);
  parts.push(`Configure it as \`rules: { ${rule.id}: off | note | warn | error }\` in .releasepolicyrc.yml.`);
  // GitHub shows help.markdown, not helpUri: the link goes in the text too.
  const docs = ruleDocsUrl(rule);
  if (docs) parts.push(`[Documentation of ${rule.id}](${docs})`);
  return parts.join('\n\n');
}

/** A built-in rule's docs page; a team's rule has none (see ruleDocsUrl). */
function helpUri(rule: RuleInfo): { helpUri?: string } {
  const docs = ruleDocsUrl(rule);
  return docs ? { helpUri: docs } : {};
}

function level(severity: string): 'error' | 'warning' | 'note' {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/**
 * A rule that could not be decided, as a tool execution notification: level `error`, which SARIF
 * defines as a condition that made the results incomplete; it names the rule (by id and index),
 * the object, the reason and the fix.
 */
function notification(item: Inconclusive, index: Map<string, number>) {
  const reason = /[.!?]$/.test(item.reason) ? item.reason : `${item.reason}.`;
  const ruleIndex = index.get(item.ruleId);
  return {
    level: 'error',
    message: { text: safe(`${item.ruleId} could not be decided for ${item.target.kind} ${item.target.name}: ${reason}\n\nFix: ${item.fix}`) },
    associatedRule: { id: item.ruleId, ...(ruleIndex !== undefined ? { index: ruleIndex } : {}) },
    properties: { target: item.target, reason: item.reason, fix: item.fix },
  };
}

/**
 * SARIF 2.1.0 for GitHub code scanning: one run with a stable category per command, every loaded rule listed
 * (so fixed alerts close), each result anchored to a file of the repository, our own fingerprint
 * from rule and target, suppressed findings as `suppressions`, inconclusive rules as tool
 * execution notifications of a run that did not succeed. Deterministic apart from the invocation's
 * times.
 */
export function renderSarif(input: ReportInput, times: { start: Date; end: Date } = { start: new Date(), end: new Date() }, category = sarifCategory('check')): string {
  const anchor = input.anchor;
  if (!anchor) throw new InputError('SARIF needs the repository work tree to anchor findings to files (run in the repository, or with -C <dir>)');
  const rules = [...input.rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const result = (finding: Finding, suppression?: string) => {
    const place = anchor(finding);
    if (!place) {
      throw new InputError(
        `SARIF needs a file in the repository to anchor ${finding.ruleId} findings about ${finding.target.kind}s; commit a config file (.releasepolicyrc.yml, see release-lint init)`,
      );
    }
    const subject = subjectOf(finding.target);
    const qualified = finding.target.at ? `${subject.kind}:${subject.name}/${finding.target.name}` : `${finding.target.kind}:${finding.target.name}`;
    return {
      ruleId: finding.ruleId,
      ruleIndex: index.get(finding.ruleId),
      level: level(finding.severity),
      message: { text: safe(`${/[.!?]$/.test(finding.message) ? finding.message : `${finding.message}.`}\n\nFix: ${finding.fix}`) },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: encodeURI(place.file) }, region: { startLine: place.line } },
          logicalLocations: [{ name: safe(finding.target.name), fullyQualifiedName: safe(qualified), kind: finding.target.kind }],
        },
      ],
      partialFingerprints: { primaryLocationLineHash: `${finding.fingerprint}:1` },
      properties: {
        target: finding.target,
        ...(finding.location ? { location: finding.location } : {}),
        evidence: finding.evidence,
      },
      ...(suppression !== undefined ? { suppressions: [{ kind: 'external', status: 'accepted', justification: safe(suppression) }] } : {}),
    };
  };
  const results = [
    ...input.evaluation.findings.map((f) => result(f)),
    ...input.evaluation.suppressed.map((s) => result(s.finding, s.reason)),
  ];
  if (results.length > sarifLimits.results) {
    throw new InputError(
      `${results.length} results exceed GitHub code scanning's limit of ${sarifLimits.results.toLocaleString('en')} per upload; narrow the check (tags.since, a baseline) before uploading`,
    );
  }
  const notifications = input.evaluation.inconclusive.map((item) => notification(item, index));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: input.tool.name,
            semanticVersion: input.tool.version,
            version: input.tool.version,
            informationUri,
            rules: rules.map((rule) => ({
              id: rule.id,
              name: pascalCase(rule.id),
              shortDescription: { text: clip(rule.title) },
              fullDescription: { text: clip(rule.description) },
              ...helpUri(rule),
              help: { text: safe(helpText(rule)), markdown: safe(helpMarkdown(rule)) },
              defaultConfiguration: { level: level(rule.defaultSeverity), ...(rule.severity === 'off' ? { enabled: false } : {}) },
              properties: { tags: ['release-policy', ...rule.tags].slice(0, 10), precision: 'very-high', 'problem.severity': level(rule.defaultSeverity) },
            })),
          },
        },
        automationDetails: { id: category },
        invocations: [
          {
            // Not successful when a rule could not be decided: the results are incomplete, and an
            // upload of them would close alerts that were never judged.
            executionSuccessful: notifications.length === 0,
            ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
            startTimeUtc: times.start.toISOString(),
            endTimeUtc: times.end.toISOString(),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  const text = stringifyJson(log);
  const gzipped = gzipSync(Buffer.from(text)).length;
  if (gzipped > sarifLimits.gzippedBytes) {
    throw new InputError(`the SARIF file is ${(gzipped / 1024 / 1024).toFixed(1)} MB gzipped, over GitHub code scanning's 10 MB upload limit; narrow the check before uploading`);
  }
  return text;
}
