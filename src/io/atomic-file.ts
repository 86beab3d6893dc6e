/// <reference types="node" />
// An output file that appears whole or not at all: bytes go to a temporary file in the same
// directory (so the final rename stays on one file system and is atomic), which is fsynced
// and renamed onto the path only when the writer commits. On an error the caller aborts
// (the temporary file is removed); on SIGINT / SIGTERM, or an exit with a file still open,
// the live temporary files are removed synchronously before the process ends. So a crash or
// Ctrl-C never leaves a truncated file under the requested name.
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temporary files not yet committed or aborted, removed on a signal or at exit. */
const live = new Set<string>();

function removeLive(): void {
  for (const path of live) {
    try {
      unlinkSync(path);
    } catch {
      // already gone: nothing to clean
    }
  }
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeLive();
  process.stderr.write(`\nrelu-density: ${signal}: removed the unfinished output\n`);
  // 128 + signal number, as shells report a death by that signal.
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

let hooked = false;

function track(path: string): void {
  live.add(path);
  if (!hooked) {
    hooked = true;
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('exit', removeLive);
  }
}

function untrack(path: string): void {
  live.delete(path);
  if (live.size === 0 && hooked) {
    hooked = false;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', removeLive);
  }
}

/** A file being written at a temporary path, to be committed (renamed) or aborted. */
export class AtomicFile {
  private position = 0;
  private finished = false;

  private constructor(
    /** The path the file will have once committed. */
    readonly path: string,
    /** Where the bytes go meanwhile. */
    readonly tempPath: string,
    private readonly handle: FileHandle,
  ) {}

  /**
   * Creates the temporary file beside `path`. Fails (naming the path) when the directory is
   * missing or not writable; nothing is created then.
   */
  static async create(path: string): Promise<AtomicFile> {
    const tempPath = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.partial`);
    let handle: FileHandle;
    try {
      handle = await open(tempPath, 'wx');
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const why =
        e.code === 'ENOENT'
          ? `no such directory ${dirname(path)}`
          : e.code === 'EACCES' || e.code === 'EPERM'
            ? `permission denied in ${dirname(path)}`
            : e.message;
      throw new Error(`cannot write ${path}: ${why}`);
    }
    track(tempPath);
    return new AtomicFile(path, tempPath, handle);
  }

  /** Bytes written so far. */
  get size(): number {
    return this.position;
  }

  /** Appends all of `bytes` (FileHandle.write may write less than asked: loop). */
  async write(bytes: Uint8Array): Promise<void> {
    let off = 0;
    while (off < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, off, bytes.length - off, this.position);
      off += bytesWritten;
      this.position += bytesWritten;
    }
  }

  /** Writes `bytes` at an absolute offset (a header filled in late); the size is unchanged. */
  async writeAt(bytes: Uint8Array, offset: number): Promise<void> {
    let off = 0;
    while (off < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, off, bytes.length - off, offset + off);
      off += bytesWritten;
    }
  }

  /** fsync, close, rename onto the path, then fsync the directory so the rename is durable. */
  async commit(): Promise<void> {
    if (this.finished) throw new Error(`${this.path}: already committed or aborted`);
    try {
      await this.handle.sync();
      await this.handle.close();
      await rename(this.tempPath, this.path);
    } catch (err) {
      await this.abort();
      throw new Error(`cannot write ${this.path}: ${(err as Error).message}`);
    }
    this.finished = true;
    untrack(this.tempPath);
    await syncDir(dirname(this.path));
  }

  /** Closes and removes the temporary file; the path is left as it was. */
  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.handle.close().catch(() => undefined);
    await unlink(this.tempPath).catch(() => undefined);
    untrack(this.tempPath);
  }
}

/** fsync of a directory; some platforms (Windows) cannot open one, and lose nothing by it. */
async function syncDir(dir: string): Promise<void> {
  let h: FileHandle | undefined;
  try {
    h = await open(dir, 'r');
    await h.sync();
  } catch {
    // best effort: the data itself was fsynced before the rename
  } finally {
    await h?.close().catch(() => undefined);
  }
}

/** Writes a whole text (a JSON result) atomically. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const f = await AtomicFile.create(path);
  try {
    await f.write(Buffer.from(text, 'utf8'));
    await f.commit();
  } catch (err) {
    await f.abort();
    throw err;
  }
}
