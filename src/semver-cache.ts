/**
 * Semantic versions as the `semver` package parses them strictly (`semver.parse`: an optional
 * leading `v`, white space trimmed, at most 256 characters, numbers below 2^53), without its class:
 * a run parses every tag's version (100,000 of them), and semver's objects cost a third of that
 * run's parse time and 30 MB. test/properties.test.ts checks the two agree on parsing and order.
 */
export class SemVer {
  constructor(
    readonly major: number,
    readonly minor: number,
    readonly patch: number,
    /** Numeric identifiers as numbers, the others as strings (as semver). */
    readonly prerelease: ReadonlyArray<string | number>,
    /** major.minor.patch[-prerelease], without build metadata. */
    readonly version: string,
  ) {}

  /** Precedence: -1, 0 or 1 (build metadata ignored), as semver's compare. */
  compare(other: SemVer): number {
    if (this.major !== other.major) return this.major < other.major ? -1 : 1;
    if (this.minor !== other.minor) return this.minor < other.minor ? -1 : 1;
    if (this.patch !== other.patch) return this.patch < other.patch ? -1 : 1;
    const a = this.prerelease;
    const b = other.prerelease;
    if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1;
    for (let i = 0; ; i++) {
      if (i === a.length || i === b.length) return a.length === b.length ? 0 : i === a.length ? -1 : 1;
      if (a[i] === b[i]) continue;
      return compareIdentifiers(a[i], b[i]);
    }
  }
}

/** semver's compareIdentifiers: all-digit ones numerically and below the others, the others as text. */
function compareIdentifiers(x: string | number, y: string | number): number {
  const xNumeric = typeof x === 'number' || allDigits.test(x);
  const yNumeric = typeof y === 'number' || allDigits.test(y);
  if (xNumeric && yNumeric) {
    const [p, q] = [Number(x), Number(y)];
    return p === q ? 0 : p < q ? -1 : 1;
  }
  if (xNumeric !== yNumeric) return xNumeric ? -1 : 1;
  return x < y ? -1 : 1;
}

const allDigits = /^[0-9]+$/;
const maxLength = 256;
const identifier = '(?:0|[1-9]\\d*|\\d*[a-zA-Z-][a-zA-Z0-9-]*)';
const strict = new RegExp(`^v?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-(${identifier}(?:\\.${identifier})*))?(?:\\+[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*)?$`);

function parse(text: string): SemVer | null {
  if (text.length > maxLength) return null;
  const trimmed = text.trim();
  const match = strict.exec(trimmed);
  if (!match) return null;
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (major > Number.MAX_SAFE_INTEGER || minor > Number.MAX_SAFE_INTEGER || patch > Number.MAX_SAFE_INTEGER) return null;
  const prerelease = match[4] === undefined ? noPrerelease : match[4].split('.').map(numericOrText);
  // The text itself without a leading v and build metadata (usually the very string given).
  const start = trimmed.charCodeAt(0) === 118 ? 1 : 0;
  const plus = trimmed.indexOf('+');
  const version = start === 0 && plus < 0 ? trimmed : trimmed.slice(start, plus < 0 ? undefined : plus);
  return new SemVer(major, minor, patch, prerelease, version);
}

const noPrerelease: ReadonlyArray<string | number> = [];

/** semver keeps an all-digit identifier below 2^53 as a number, any other as text. */
function numericOrText(id: string): string | number {
  if (!allDigits.test(id)) return id;
  const number = Number(id);
  return number < Number.MAX_SAFE_INTEGER ? number : id;
}

/**
 * Each version text parsed once per run: sorting 10,000 tags compares versions 140,000 times, and
 * the rules compare the same versions again.
 */
const parsedVersions = new Map<string, SemVer | null>();

/** The parsed semantic version of `text` (strict, as semver.parse), or null. */
export function parseSemver(text: string): SemVer | null {
  let version = parsedVersions.get(text);
  if (version === undefined) {
    version = parse(text);
    parsedVersions.set(text, version);
  }
  return version;
}

/** semver precedence of two valid version texts (build metadata ignored), as semver.compare. */
export function compareSemver(a: string, b: string): number {
  return parseSemver(a)!.compare(parseSemver(b)!);
}
