import picomatch from 'picomatch';
import { parseVersion, type Version } from './version.js';

/** Matches branch names against `branches.maintenance`. */
export function maintenanceBranches(globs: readonly string[]): (name: string) => boolean {
  const matchers = globs.map((glob) => picomatch(glob, { dot: true }));
  return (name) => matchers.some((matches) => matches(name));
}

/** Which branches are release branches (`branches.release`, e.g. `release/*`), and their versions. */
export interface ReleaseBranches {
  matches(name: string): boolean;
  /** The text the pattern's first `*` matches, parsed; invalid when the name is not a release branch. */
  versionOf(name: string): Version;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function releaseBranches(glob: string): ReleaseBranches {
  const matches = picomatch(glob, { dot: true });
  const star = glob.indexOf('*');
  const pattern = star < 0 ? undefined : new RegExp(`^${escape(glob.slice(0, star))}(.*?)${escape(glob.slice(star + 1)).replace(/\\\*/g, '.*')}$`);
  return {
    matches,
    versionOf: (name) => parseVersion(matches(name) ? (pattern?.exec(name)?.[1] ?? '') : ''),
  };
}
