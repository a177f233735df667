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
