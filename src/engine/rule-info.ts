/** What is known about a loaded rule for people: its file's documentation and its effective settings (reports and docs show it). */
export interface RuleInfo {
  id: string;
  title: string;
  description: string;
  rationale?: string;
  /** The fix template, with ${...} shown as <...>. */
  fix: string;
  defaultSeverity: 'error' | 'warning' | 'note';
  severity: 'error' | 'warning' | 'note' | 'off';
  tags: string[];
  options: Record<string, { default: unknown; description: string; enum?: string[] }>;
  examples?: { valid?: string[]; invalid?: string[] };
  file: string;
  idLine: number;
  builtIn: boolean;
  /** Where the config sets this rule, if it does. */
  settingSource?: { file: string; line: number; column: number };
  /** The config key that owns the rule's facts (`tags.prefix`). */
  anchorKey?: string;
}

