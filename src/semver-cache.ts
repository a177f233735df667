import semver from 'semver';

/**
 * Each version text parsed once per run: sorting 10,000 tags compares versions 140,000 times, and
 * the rules compare the same versions again.
 */
const parsedVersions = new Map<string, semver.SemVer | null>();

/** The parsed semantic version of `text` (strict, as semver.parse), or null. */
export function parseSemver(text: string): semver.SemVer | null {
  let version = parsedVersions.get(text);
  if (version === undefined) {
    version = semver.parse(text);
    parsedVersions.set(text, version);
  }
  return version;
}

/** semver precedence of two valid version texts (build metadata ignored), as semver.compare. */
export function compareSemver(a: string, b: string): number {
  return parseSemver(a)!.compare(parseSemver(b)!);
}
