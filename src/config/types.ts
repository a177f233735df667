export type Severity = 'error' | 'warning' | 'note';
export type SeveritySetting = Severity | 'off';

export interface VersionSourceConfig {
  file: string;
  pointer: string;
  required: boolean;
  format: 'json' | 'yaml';
}

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
  branches: { production: string; integration: string | null; release: string };
  tags: {
    prefix: string;
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

export function normalizeSeverity(value: string): SeveritySetting {
  if (value === 'warn') return 'warning';
  return value as SeveritySetting;
}
