import { parseSemver } from '../semver-cache.js';

/**
 * A version as rules see it. Never null: an unparsable text gives `valid: false` with zero
 * numbers, because CEL typed fields cannot hold null.
 */
export interface Version {
  text: string;
  valid: boolean;
  major: number;
  minor: number;
  patch: number;
  prerelease: string[];
  /** First prerelease identifier when it is not numeric (`preview` in `1.2.3-preview.4`), else ''. */
  channel: string;
  /** True when the prerelease is `<channel>.<number>` (`1.2.3-rc.2`). */
  numbered: boolean;
  /** The number of a numbered prerelease, else 0. */
  number: number;
  stable: boolean;
}

export function parseVersion(text: string): Version {
  const parsed = parseSemver(text);
  if (!parsed || parsed.version !== text.replace(/\+.*$/, '')) {
    return { text, valid: false, major: 0, minor: 0, patch: 0, prerelease: [], channel: '', numbered: false, number: 0, stable: false };
  }
  const prerelease = parsed.prerelease.map(String);
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
