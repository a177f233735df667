import type { BatchAnswer, ObjectReader } from '../git/cat-file.js';
import { GitHubError, type GitHubClient } from './client.js';
import { objectSizesQuery, objectsQuery } from './queries.js';

/** Objects per query: enough to keep the number of calls low, few enough to stay far below GitHub's 10 s limit. */
const batchSize = 40;

type RawObject =
  | { __typename: 'Blob'; oid: string; text: string | null; isBinary: boolean | null; isTruncated: boolean }
  | { __typename: 'Tree'; oid: string; entries: Array<{ name: string; oid: string; mode: number }> | null }
  | { __typename: 'Commit' | 'Tag'; oid: string };

/**
 * Reads `<rev>:<path>` expressions and object ids through GraphQL's `object(expression:)`, batched
 * with aliases: the remote-mode stand-in for `git cat-file --batch`. Each object is asked for once
 * per run. A blob GitHub truncates or calls binary stops the run: judging a truncated
 * CHANGELOG would give a wrong answer.
 */
export class GitHubObjectReader implements ObjectReader {
  /** Every answer of the run: a later round asking for the same object costs no query. */
  private readonly answers = new Map<string, BatchAnswer>();

  constructor(private readonly client: GitHubClient) {}

  async read(requests: readonly string[], onAnswer: (index: number, answer: BatchAnswer) => void): Promise<void> {
    const { answers } = this;
    const unique = [...new Set(requests)].filter((request) => !answers.has(request));
    const { owner, name } = this.client.target;
    for (let start = 0; start < unique.length; start += batchSize) {
      const batch = unique.slice(start, start + batchSize);
      const variables: Record<string, unknown> = { owner, name };
      batch.forEach((expression, i) => (variables[`e${i}`] = expression));
      const data: { repository: Record<string, RawObject | null> } = await this.client.query(objectsQuery(batch.length), variables, 'contents: read');
      batch.forEach((expression, i) => answers.set(expression, toAnswer(expression, data.repository[`o${i}`] ?? null)));
    }
    requests.forEach((request, index) => onAnswer(index, answers.get(request)!));
  }

  /** Sizes through `Blob.byteSize`, without the text (GitHub truncates large blobs anyway). */
  async sizes(requests: readonly string[]): Promise<number[]> {
    const { owner, name } = this.client.target;
    const sizes = new Map<string, number>();
    const unique = [...new Set(requests)];
    for (let start = 0; start < unique.length; start += batchSize) {
      const batch = unique.slice(start, start + batchSize);
      const variables: Record<string, unknown> = { owner, name };
      batch.forEach((expression, i) => (variables[`e${i}`] = expression));
      const data: { repository: Record<string, { byteSize?: number } | null> } = await this.client.query(objectSizesQuery(batch.length), variables, 'contents: read');
      batch.forEach((expression, i) => sizes.set(expression, data.repository[`o${i}`]?.byteSize ?? -1));
    }
    return requests.map((request) => sizes.get(request) ?? -1);
  }
}

function toAnswer(expression: string, raw: RawObject | null): BatchAnswer {
  if (raw === null) return { kind: 'missing' };
  switch (raw.__typename) {
    case 'Blob':
      if (raw.isTruncated || raw.isBinary || raw.text === null) {
        throw new GitHubError('unavailable', `GitHub gives ${expression} only ${raw.isBinary ? 'as binary' : 'truncated'}`, 'lint this repository from a clone');
      }
      return { kind: 'blob', oid: raw.oid, content: Buffer.from(raw.text, 'utf8') };
    case 'Tree':
      return { kind: 'tree', oid: raw.oid, entries: (raw.entries ?? []).map((e) => ({ name: e.name, oid: e.oid, mode: e.mode.toString(8) })) };
    default:
      return { kind: 'other', type: raw.__typename.toLowerCase() };
  }
}
