import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../errors.js';
import type { ObjectReader } from '../sources/git/cat-file.js';
import { configSearchPlaces, holdsConfig } from '../config/load.js';

/**
 * Copies the policy as it is on `ref` (a branch of the repository, read from a clone or from GitHub) into a temporary folder: the
 * config file found there, the files it extends and its rulesDirs. `release-lint pr` judges a PR
 * with its base branch's policy, so the PR cannot relax the rules that judge it. Returns the
 * folder, which holds no config when the branch has none (built-in defaults then apply).
 */
export async function policyAtRef(session: ObjectReader, ref: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'release-lint-policy-'));
  try {
    await copyPolicy(session, ref, dir);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return dir;
}

/**
 * What is wrong with a tree entry's name, if anything. Git never writes these names, but a tree
 * can be made by hand, and a GitHub answer is only what a server says: `../x` would be written
 * outside the folder, and a leading `-` reads as an option to whatever handles the file next.
 */
function entryNameProblem(name: string): string | undefined {
  if (name === '' || name.includes('/') || name.includes('\\')) return 'a name that is empty or holds a slash';
  if (name.includes('..')) return 'a name with ".."';
  if (name.includes('\0')) return 'a name with NUL';
  if (name.startsWith('-')) return 'a name that starts with "-"';
  return undefined;
}

async function copyPolicy(session: ObjectReader, ref: string, dir: string): Promise<void> {
  /** `path` inside the folder, refused when it would leave it. */
  const inside = (path: string): string => {
    const target = resolve(dir, path);
    if (!target.startsWith(dir + sep)) throw new InputError(`the policy on ${ref} names ${JSON.stringify(path)}, which is outside its folder; refusing to copy it`);
    return target;
  };
  const blobAt = async (path: string): Promise<Buffer | undefined> => {
    let content: Buffer | undefined;
    await session.read([`${ref}:${path}`], (_i, answer) => {
      if (answer.kind === 'blob') content = answer.content;
    });
    return content;
  };
  const copy = (path: string, content: Buffer) => {
    const target = inside(path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  };
  let configPath: string | undefined;
  for (const place of configSearchPlaces) {
    const content = await blobAt(place);
    if (!content) continue;
    if (!holdsConfig(place, () => content.toString('utf8'))) continue;
    copy(place, content);
    configPath = place;
    break;
  }
  // Follow extends and rulesDirs of YAML/JSON configs (a JavaScript config is copied as it is).
  const pending = configPath ? [configPath] : [];
  const seen = new Set(pending);
  while (pending.length > 0) {
    const file = pending.shift()!;
    if (!/\.(ya?ml|json)$|rc$/.test(file)) continue;
    let raw: { extends?: string | string[]; rulesDirs?: string[]; releasepolicy?: { extends?: string | string[]; rulesDirs?: string[] } };
    try {
      raw = (parseYaml((await blobAt(file))!.toString('utf8')) ?? {}) as typeof raw;
    } catch {
      continue;
    }
    const policy = file.endsWith('package.json') ? (raw.releasepolicy ?? {}) : raw;
    const base = dirname(file);
    const extendsList = policy.extends === undefined ? [] : Array.isArray(policy.extends) ? policy.extends : [policy.extends];
    for (const entry of extendsList) {
      if (!(entry.startsWith('.') || entry.includes('/'))) continue;
      const path = normalize(join(base, entry));
      if (path.startsWith('..') || seen.has(path)) continue;
      const content = await blobAt(path);
      if (!content) continue;
      copy(path, content);
      seen.add(path);
      pending.push(path);
    }
    for (const rulesDir of policy.rulesDirs ?? []) {
      const path = normalize(join(base, rulesDir));
      if (path.startsWith('..')) continue;
      let entries: Array<{ name: string; oid: string }> = [];
      await session.read([`${ref}:${path}`], (_i, answer) => {
        if (answer.kind === 'tree') entries = answer.entries.filter((e) => /\.ya?ml$/.test(e.name));
      });
      for (const { name } of entries) {
        const problem = entryNameProblem(name);
        if (problem) throw new InputError(`the policy on ${ref} has a file with ${problem} in ${path}: ${JSON.stringify(name)}; refusing to copy it`);
      }
      mkdirSync(inside(path), { recursive: true });
      await session.read(
        entries.map((e) => e.oid),
        (i, answer) => {
          if (answer.kind === 'blob') copy(join(path, entries[i].name), answer.content);
        },
      );
    }
  }
}
