/**
 * Secrets (the GitHub token) never reach the output, in any form: not the token as it is, not in
 * another case (an error message that upper-cases what it quotes), not cut (a message shortened
 * at 200 characters, a report line clipped). Any run of `minSecretRun` or more characters of a
 * secret is replaced by `***`, case-insensitively, in every message and every report.
 */

/** Shorter runs of a secret are no secret (and would garble ordinary text). */
export const minSecretRun = 8;

/** Well-known public prefixes of GitHub tokens: a run inside one of them gives nothing away. */
const publicPrefix = /^(?:gh[pousr]_|github_pat_)/i;

const registered = new Set<string>();
let cached: { key: string; list: string[] } = { key: '', list: [] };

/** Adds a secret to redact from everything printed from now on (the token a client was given). */
export function addSecret(secret: string | undefined): void {
  if (secret && secret.length >= minSecretRun) registered.add(secret);
}

/** The registered secrets and the tokens of the environment, however the run came to read them (cached: reports call this per text). */
function secrets(): readonly string[] {
  const key = `${process.env.GITHUB_TOKEN ?? ''}\u0000${process.env.GH_TOKEN ?? ''}\u0000${registered.size}`;
  if (key !== cached.key) {
    const all = new Set(registered);
    for (const value of [process.env.GITHUB_TOKEN, process.env.GH_TOKEN]) if (value && value.length >= minSecretRun) all.add(value);
    cached = { key, list: [...all] };
  }
  return cached.list;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Compiled {
  key: string;
  /** Every run of minSecretRun characters of every secret, case-insensitively. */
  pattern: RegExp;
  lowered: string[];
}
let compiled: Compiled | undefined;

function compile(list: readonly string[]): Compiled {
  const key = list.join('\u0000');
  if (compiled?.key === key) return compiled;
  const runs = new Set<string>();
  for (const secret of list) {
    const lower = secret.toLowerCase();
    const open = publicPrefix.exec(secret)?.[0].length ?? 0;
    // Runs that lie wholly inside the public prefix are left alone.
    for (let i = 0; i + minSecretRun <= lower.length; i++) if (i + minSecretRun > open) runs.add(lower.slice(i, i + minSecretRun));
  }
  compiled = { key, pattern: new RegExp([...runs].map(escapeRegExp).join('|'), 'gi'), lowered: list.map((s) => s.toLowerCase()) };
  return compiled;
}

/** Whether any text at all would be redacted: lets a caller skip the work when there is no secret. */
export function hasSecrets(): boolean {
  return secrets().length > 0;
}

/** The text with every run of `minSecretRun` or more characters of a secret (any case) replaced by `***`. */
export function redactSecrets(text: string, extra?: string): string {
  const known = secrets();
  const list = extra && extra.length >= minSecretRun && !known.includes(extra) ? [...known, extra] : known;
  if (list.length === 0 || text.length < minSecretRun) return text;
  const { pattern, lowered } = compile(list);
  pattern.lastIndex = 0;
  let out = '';
  let last = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const start = match.index;
    const run = match[0].toLowerCase();
    // Extend the run as far as any secret goes on matching.
    let end = start + run.length;
    for (const secret of lowered) {
      for (let at = secret.indexOf(run); at !== -1; at = secret.indexOf(run, at + 1)) {
        let i = start + run.length;
        let j = at + run.length;
        while (i < text.length && j < secret.length && text[i].toLowerCase() === secret[j]) {
          i++;
          j++;
        }
        if (i > end) end = i;
      }
    }
    out += `${text.slice(last, start)}***`;
    last = end;
    pattern.lastIndex = end;
  }
  return last === 0 ? text : out + text.slice(last);
}
