import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { InputError } from './errors.js';

/** The most a config or rule file may hold: policies are a few KiB; more is a mistake or an attack. */
export const maxPolicyFileBytes = 4 * 1024 * 1024;

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a file';
}

/** Bounds of the other files a run reads: a saved snapshot of 100,000 tags is about 150 MiB. */
export const maxSnapshotFileBytes = 1024 * 1024 * 1024;
export const maxBaselineFileBytes = 64 * 1024 * 1024;
export const maxMessageFileBytes = 4 * 1024 * 1024;

/**
 * Reads a config or rule file as UTF-8, only if it is a regular file (after following links) of
 * at most `maxPolicyFileBytes`: a link to /dev/zero would otherwise be read without end, and a
 * FIFO would block the run forever. Opened non-blocking, so a FIFO is refused instead of waited on.
 */
export function readPolicyFile(file: string, what: string): string {
  return readBoundedFile(file, `the ${what}`, maxPolicyFileBytes);
}

/** The same for any file a run is given (`what`: how errors name it), at most `maxBytes`. */
export function readBoundedFile(file: string, what: string, maxBytes: number): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    throw new InputError(`cannot read ${what}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, file);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new InputError(`${what} is not a regular file (${kindOf(stat)}); refusing to read it`, file);
    const tooLarge = () => new InputError(`${what} is larger than ${maxBytes / 1024 / 1024} MiB; refusing to read it`, file);
    if (stat.size > maxBytes) throw tooLarge();
    // The size can change while reading: never read more than the limit, whatever stat said.
    let buffer = Buffer.alloc(stat.size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const grown = Buffer.alloc(Math.min(buffer.length * 2, maxBytes + 1));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > maxBytes) throw tooLarge();
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}
