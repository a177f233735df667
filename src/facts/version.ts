import { InputError } from '../errors.js';
import { parseSemver } from '../semver-cache.js';
import type { Version } from './types.js';

/** A version as rules see it: its fields are declared in src/facts/model.ts. */
export type { Version };

const noPrerelease: string[] = [];

export function parseVersion(text: string): Version {
  const parsed = parseSemver(text);
  if (!parsed || parsed.version !== text.replace(/\+.*$/, '')) {
    return { text, valid: false, major: 0, minor: 0, patch: 0, prerelease: noPrerelease, channel: '', numbered: false, number: 0, stable: false };
  }
  // Most versions have no prerelease: they share one empty list (lists are never changed in place).
  const prerelease = parsed.prerelease.length === 0 ? noPrerelease : parsed.prerelease.map(String);
  const channel = prerelease.length > 0 && !/^\d+$/.test(prerelease[0]) ? prerelease[0] : '';
  const numbered = prerelease.length === 2 && channel !== '' && /^\d+$/.test(prerelease[1]);
  return {
    text,
    valid: true,
    major: parsed.major,
    minor: parsed.minor,
    patch: parsed.patch,
    prerelease,
    channel,
    numbered,
    number: numbered ? Number(prerelease[1]) : 0,
    stable: prerelease.length === 0,
  };
}

/** The version line a branch name carries: "1.82" for release/1.82.x and release/v1.82.0-rc.1, "12" for 12.x, "" for none. */
export function versionLineInName(name: string): string {
  const match = /(?<![0-9.])v?(\d+)\.(?:(\d+)(?:\.|(?![0-9]))|x(?![0-9A-Za-z]))/.exec(name);
  return match ? (match[2] !== undefined ? `${match[1]}.${match[2]}` : match[1]) : '';
}

/**
 * Which tags `tags.since` leaves judged: those dated at or after the tag it names, or the ISO date
 * it gives (shared by the collector and the rule tests, so both judge the same tags).
 */
export function applySince(tags: Array<{ name: string; timestamp: number; judged: boolean }>, since: string | null): void {
  if (!since) return;
  let threshold: number;
  if (/^\d{4}-\d{2}-\d{2}/.test(since) && !Number.isNaN(Date.parse(since))) threshold = Date.parse(since) / 1000;
  else {
    const sinceTag = tags.find((t) => t.name === since);
    if (!sinceTag) throw new InputError(`tags.since names "${since}", which is neither an existing tag nor an ISO date (YYYY-MM-DD)`);
    threshold = sinceTag.timestamp;
  }
  for (const tag of tags) tag.judged = tag.timestamp >= threshold;
}
