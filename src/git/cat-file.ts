import { spawn } from 'node:child_process';
import { gitEnvForReading, countGitProcess } from './run.js';

export type BatchAnswer = { kind: 'blob'; oid: string; content: Buffer } | { kind: 'missing' } | { kind: 'other'; type: string };

/**
 * Reads many `<rev>:<path>` objects with one `git cat-file --batch` process, handing each answer
 * to `onAnswer` as it streams in, so large files are never all held in memory at once.
 */
export function catFileBatch(cwd: string, requests: readonly string[], onAnswer: (index: number, answer: BatchAnswer) => void): Promise<void> {
  if (requests.length === 0) return Promise.resolve();
  countGitProcess();
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd, env: gitEnvForReading, stdio: ['pipe', 'pipe', 'pipe'] });
    let pending: Buffer = Buffer.alloc(0);
    let index = 0;
    let stderr = '';
    let failed: Error | undefined;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      try {
        for (;;) {
          const newline = pending.indexOf(10);
          if (newline < 0) break;
          const header = pending.subarray(0, newline).toString('utf8');
          if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
            onAnswer(index++, { kind: 'missing' });
            pending = pending.subarray(newline + 1);
            continue;
          }
          const [oid, type, sizeText] = header.split(' ');
          const size = Number(sizeText);
          if (!Number.isFinite(size)) throw new Error(`unexpected cat-file output: ${header.slice(0, 80)}`);
          if (pending.length < newline + 1 + size + 1) break;
          const content = pending.subarray(newline + 1, newline + 1 + size);
          onAnswer(index++, type === 'blob' ? { kind: 'blob', oid, content } : { kind: 'other', type });
          pending = pending.subarray(newline + 1 + size + 1);
        }
      } catch (error) {
        failed = error as Error;
        child.kill();
      }
    });
    child.on('error', (error) => reject(new Error(`cannot run git: ${error.message}`)));
    child.on('close', (code) => {
      if (failed) reject(failed);
      else if (code !== 0) reject(new Error(`git cat-file --batch failed (exit ${code}): ${stderr.trim().split('\n')[0] ?? ''}`));
      else if (index !== requests.length) reject(new Error(`git cat-file --batch answered ${index} of ${requests.length} requests`));
      else resolve();
    });
    child.stdin.on('error', () => {});
    child.stdin.end(requests.join('\n') + '\n');
  });
}
