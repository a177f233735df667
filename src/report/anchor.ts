import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Finding } from '../engine/evaluate.js';
import { YamlLocator } from '../yaml-position.js';
import type { RuleInfo } from '../engine/rule-info.js';

export interface Anchor {
  /** Repository-relative path with forward slashes. */
  file: string;
  line: number;
}

/** Where a finding can be shown in a file of the work tree, or why none exists. */
export type AnchorResolver = (finding: { ruleId: string; location: Finding['location'] }) => Anchor | undefined;

function inside(root: string, path: string): string | undefined {
  const rel = relative(root, isAbsolute(path) ? path : join(root, path));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/**
 * Anchors findings to files that exist in the repository, as code scanning needs: the finding's
 * own file and line when they exist in the work tree; else the config line that configures the
 * rule, or the config file's first line; else a rule file kept in the repository.
 */
export function anchorResolver(repoRoot: string, configFile: string | null, rules: RuleInfo[]): AnchorResolver {
  const lineCounts = new Map<string, number>();
  const linesIn = (file: string): number => {
    let count = lineCounts.get(file);
    if (count === undefined) {
      const path = join(repoRoot, file);
      count = existsSync(path) && statSync(path).isFile() ? readFileSync(path, 'utf8').split('\n').length : 0;
      lineCounts.set(file, count);
    }
    return count;
  };
  const config = configFile ? inside(repoRoot, configFile) : undefined;
  const byId = new Map(rules.map((r) => [r.id, r]));
  let configLocator: YamlLocator | null | undefined;
  const ownerLines = new Map<string, number | undefined>();
  /** The line of the config key that owns a rule's facts, else of `extends`. */
  const ownerLine = (key: string | undefined): number | undefined => {
    const cacheKey = key ?? '';
    if (!ownerLines.has(cacheKey)) {
      if (configLocator === undefined) {
        try {
          configLocator = config && /\.(ya?ml|json)$|rc$/.test(config) ? YamlLocator.of(readFileSync(join(repoRoot, config), 'utf8')) : null;
        } catch {
          configLocator = null;
        }
      }
      const prefix = config?.endsWith('package.json') ? ['releasepolicy'] : [];
      const line = configLocator ? ((key ? configLocator.lineOfKey([...prefix, ...key.split('.')]) : undefined) ?? configLocator.lineOfKey([...prefix, 'extends'])) : undefined;
      ownerLines.set(cacheKey, line);
    }
    return ownerLines.get(cacheKey);
  };
  return (finding) => {
    const own = finding.location ? inside(repoRoot, finding.location.file) : undefined;
    if (own && linesIn(own) > 0) {
      const line = finding.location?.line ?? 1;
      if (line <= linesIn(own)) return { file: own, line };
    }
    const rule = byId.get(finding.ruleId);
    if (config && linesIn(config) > 0) {
      const configured = rule?.settingSource && inside(repoRoot, rule.settingSource.file) === config ? rule.settingSource.line : undefined;
      return { file: config, line: configured ?? ownerLine(rule?.anchorKey) ?? 1 };
    }
    const ruleFile = rule ? inside(repoRoot, rule.file) : undefined;
    if (rule && ruleFile && linesIn(ruleFile) > 0) return { file: ruleFile, line: rule.idLine };
    return undefined;
  };
}
