import type { Commit } from './types.js';

/** `git log` arguments listing production's non-merge commits that integration lacks, with patches. */
export function productionOnlyLogArgs(integrationRef: string, productionRef: string): string[] {
  return [
    'log',
    '--cherry-mark',
    '--right-only',
    '--no-merges',
    '--no-renames',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '-p',
    '--format=%x00%x01%m%x00%H%x00%ct%x00%an%x00%s%x00',
    `${integrationRef}...${productionRef}`,
    '--',
  ];
}

export interface LoggedCommit extends Commit {
  /** Added lines per file, white space trimmed, blank lines left out. */
  added: Map<string, string[]>;
}

/** Parses the output of `productionOnlyLogArgs`. */
export function parseProductionOnlyLog(output: string): LoggedCommit[] {
  const commits: LoggedCommit[] = [];
  for (const record of output.split('\0\u0001').slice(1)) {
    const [mark, sha, time, author, subject, patch = ''] = record.split('\0');
    const added = new Map<string, string[]>();
    const files: string[] = [];
    let current: string[] | undefined;
    // File headers come between `diff --git` and the first hunk; inside hunks, `--- x` is a removed `-- x`.
    let inHeader = false;
    for (const line of patch.split('\n')) {
      if (line.startsWith('diff --git ')) {
        current = undefined;
        inHeader = true;
      } else if (inHeader && line.startsWith('@@')) {
        inHeader = false;
      } else if (inHeader && line.startsWith('+++ ')) {
        const path = line.slice(4);
        if (path === '/dev/null') current = undefined;
        else {
          const name = path.startsWith('b/') ? path.slice(2) : path;
          current = [];
          added.set(name, current);
        }
      } else if (inHeader && line.startsWith('--- ')) {
        const path = line.slice(4);
        if (path !== '/dev/null') files.push(path.startsWith('a/') ? path.slice(2) : path);
      } else if (!inHeader && current && line.startsWith('+')) {
        const text = line.slice(1).trim();
        if (text !== '') current.push(text);
      }
    }
    for (const file of added.keys()) if (!files.includes(file)) files.push(file);
    const timestamp = Number(time) || 0;
    commits.push({
      sha,
      subject,
      author,
      date: timestamp ? new Date(timestamp * 1000).toISOString().replace('.000Z', 'Z') : '',
      timestamp,
      files,
      patchEquivalent: mark === '=',
      addedLines: [...added.values()].reduce((n, lines) => n + lines.length, 0),
      missingLines: 0,
      firstMissing: '',
      added,
    });
  }
  return commits;
}

/**
 * Counts, for each commit, the added lines that integration's version of the same file does not
 * contain (white space trimmed). `integrationFiles` maps path → text, or undefined when the file
 * does not exist on integration.
 */
export function measureBackport(commits: LoggedCommit[], integrationFiles: Map<string, string | undefined>, notLookedUp: ReadonlySet<string> = new Set()): Commit[] {
  const lineSets = new Map<string, Set<string>>();
  const linesOf = (file: string) => {
    let set = lineSets.get(file);
    if (!set) {
      set = new Set((integrationFiles.get(file) ?? '').split('\n').map((l) => l.trim()));
      lineSets.set(file, set);
    }
    return set;
  };
  return commits.map(({ added, ...commit }) => {
    let missingLines = 0;
    let firstMissing = '';
    if (!commit.patchEquivalent) {
      // A commit that touches only release metadata is measured in full (the rules decide what
      // it means); one that also changes other files (a squash promotion) is measured on those.
      const mixed = [...added.keys()].some((file) => !notLookedUp.has(file));
      for (const [file, lines] of added) {
        if (mixed && notLookedUp.has(file)) continue;
        const present = linesOf(file);
        for (const line of lines) {
          if (present.has(line)) continue;
          missingLines++;
          if (!firstMissing) firstMissing = `${file}: ${line.length > 120 ? `${line.slice(0, 117)}...` : line}`;
        }
      }
    }
    return { ...commit, missingLines, firstMissing };
  });
}
