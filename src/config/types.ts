export type Severity = 'error' | 'warning' | 'note';
export type SeveritySetting = Severity | 'off';

export type VersionSourceFormat = 'json' | 'yaml' | 'toml' | 'text';

export interface VersionSourceConfig {
  file: string;
  /** JSON Pointer into a json, yaml or toml file; '' for text. */
  pointer: string;
  required: boolean;
  format: VersionSourceFormat;
  /**
   * Text files: a regular expression whose one capture group is the version; null reads Release
   * Please's generic markers (`x-release-please-version`, `x-release-please-start-version` … `-end`).
   */
  pattern: string | null;
  /** `all`: read at every judged tag even when the file is large (a lock file): see largeSourceBytes. */
  at: 'window' | 'all';
}

/**
 * A version source larger than this (a real package-lock.json is 0.3–3 MB) is read only at the
 * revisions the default window covers, whatever `tags.filesAt` says, unless the source says `at: all`.
 */
export const largeSourceBytes = 256 * 1024;

export interface RuleSetting {
  severity?: SeveritySetting;
  options?: Record<string, unknown>;
  /** Where the setting was written, for errors about it (unknown rule id, bad option). */
  source?: { file: string; line: number; column: number };
}

export interface IgnoreEntry {
  rule: string;
  target: string;
  reason: string;
  expires?: string;
  /** Where the entry is written, for reports about the entry itself. */
  source?: { file: string; line: number; column: number };
}

export interface ResolvedConfig {
  /** The config file found or given (null: built-in defaults only). */
  file: string | null;
  remote: string;
  branches: {
    production: string;
    /** Globs of long-lived branches on which releases are tagged too (release lines besides production). */
    maintenance: string[];
    integration: string | null;
    /** Glob of short-lived stabilization branches; null when the project has none. */
    release: string | null;
  };
  tags: {
    prefix: string;
    /** Globs of tag names under the prefix that are not releases (nightlies, test tags). */
    exclude: string[];
    since: string | null;
    /** Tags whose files are read: `latest` (the newest published tag and the tags after it) or `all` judged tags. */
    filesAt: 'latest' | 'all';
  };
  versions: { recoveryChannels: string[] };
  versionSources: VersionSourceConfig[];
  changelog: string | null;
  releasePleaseConfig: string | null;
  releaseMetadataFiles: string[];
  rules: Record<string, RuleSetting>;
  rulesDirs: string[];
  ignore: IgnoreEntry[];
}

/** The severities a config may write, as messages list them (`warning` is also read, as `warn`). */
export const severityNames = ['off', 'note', 'warn', 'error'] as const;

export function normalizeSeverity(value: string): SeveritySetting {
  if (value === 'warn') return 'warning';
  return value as SeveritySetting;
}

/** The ref settings a config has when it names none: what the entry point guesses before the config loads. */
export const defaultRefSettings = { remote: 'origin', production: 'main', tagPrefix: 'v' } as const;
