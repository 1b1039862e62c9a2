/**
 * Durable file writes for checkpoints and results (docs/design.md §8):
 * temp file → fsync → rename → fsync of the directory, so a reader (or a run resumed after
 * kill -9) sees either the old file or the new one, never a mix; and checksummed JSON so a
 * file damaged some other way is detected by name instead of being half-trusted.
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { sha256Hex } from './hash.js';

/**
 * Writes `data` to `path` atomically: to `path.tmp-<pid>`, fsync, rename over `path`, then
 * fsync the directory so the rename itself is durable. The temp file is removed on failure.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(dirname(path));
}

/** fsync of a directory; platforms that cannot open directories (Windows) skip it. */
async function fsyncDir(dir: string): Promise<void> {
  let dh;
  try {
    dh = await open(dir, 'r');
  } catch {
    return;
  }
  try {
    await dh.sync();
  } catch {
    // EINVAL/EPERM/EISDIR: fsync on a directory is not supported here; the rename still happened.
  } finally {
    await dh.close();
  }
}

const PREFIX_RE = /^\{"sha256":"([0-9a-f]{64})","payload":/;

/**
 * Serialises `obj` as `{"sha256":"<hex>","payload":<JSON>}` (valid JSON, one line) where the
 * hash covers exactly the payload's JSON text, and writes it with {@link writeFileAtomic}.
 */
export async function writeJsonChecked(path: string, obj: unknown): Promise<void> {
  const payload = JSON.stringify(obj);
  if (payload === undefined) throw new Error(`cannot write ${path}: value is not JSON-serialisable`);
  await writeFileAtomic(path, `{"sha256":"${sha256Hex(payload)}","payload":${payload}}\n`);
}

/** Options of {@link readJsonChecked}. */
export interface ReadCheckedOptions {
  /** What the file is, for error messages ("checkpoint", "soft-label cache"); default "file". */
  label?: string;
}

/**
 * Reads a file written by {@link writeJsonChecked} and returns its payload. Throws an Error
 * naming the file when it is missing, truncated, or its checksum does not match, e.g.
 * `checkpoint /x/ckpt.json is corrupted (checksum mismatch)`.
 */
export async function readJsonChecked(path: string, options: ReadCheckedOptions = {}): Promise<unknown> {
  const label = options.label ?? 'file';
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`${label} ${path} cannot be read (${code ?? String(err)})`);
  }
  const m = PREFIX_RE.exec(text);
  if (!m) throw new Error(`${label} ${path} is corrupted (no checksum header${text.length === 0 ? '; file is empty' : ''})`);
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  if (!body.endsWith('}')) throw new Error(`${label} ${path} is corrupted (truncated)`);
  const payload = body.slice(m[0].length, -1);
  if (sha256Hex(payload) !== m[1]) throw new Error(`${label} ${path} is corrupted (checksum mismatch)`);
  try {
    return JSON.parse(payload) as unknown;
  } catch (err) {
    throw new Error(`${label} ${path} is corrupted (invalid JSON: ${(err as Error).message})`);
  }
}
