// The validators themselves are compiled from schemas/ at build time: src/schema/generated/NAME.js.
import type { ErrorObject } from 'ajv';

/** JSON Pointer path segments of an ajv error's instancePath. */
export function errorPath(error: ErrorObject): string[] {
  if (!error.instancePath) return [];
  return error.instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/** The closest known name, if it is close enough to be a likely typo. */
export function didYouMean(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/**
 * The error most likely to be the user's mistake: an unknown key (a typo explains the rest),
 * else the deepest one; `oneOf`/`anyOf` summaries lose to the branch errors they summarise.
 */
function mostUseful(errors: ErrorObject[]): ErrorObject {
  const unknownKey = errors.find((e) => e.keyword === 'additionalProperties');
  if (unknownKey) return unknownKey;
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
  const pool = specific.length ? specific : errors;
  return pool.reduce((best, e) => (errorPath(e).length > errorPath(best).length ? e : best), pool[0]);
}

/**
 * One readable sentence for the most useful of ajv's errors, the path it concerns, and whether
 * the position to show is the key (unknown keys) or the value (wrong values).
 */
export function describeSchemaError(errors: ErrorObject[], where: string): { message: string; path: string[]; at: 'key' | 'value' } {
  const error = mostUseful(errors);
  const path = errorPath(error);
  if (error.keyword === 'additionalProperties') {
    const key = String(error.params.additionalProperty);
    const parentSchema = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
    const suggestion = didYouMean(key, Object.keys(parentSchema?.properties ?? {}));
    return {
      message: `unknown key "${key}" in ${where}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
      path: [...path, key],
      at: 'key',
    };
  }
  const at = path.length ? path.join('.') : where;
  if (error.keyword === 'enum') {
    return { message: `${at} must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`, path, at: 'value' };
  }
  if (error.keyword === 'required') {
    return { message: `${at} is missing the required key "${String(error.params.missingProperty)}"`, path, at: 'key' };
  }
  return { message: `${at} ${error.message ?? 'is invalid'}`, path, at: 'value' };
}
