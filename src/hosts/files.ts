import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { lstat, mkdir, open, realpath, rename, unlink } from "node:fs/promises";
import { basename, dirname, join, posix } from "node:path";
import { HostRequestError } from "./host-errors.ts";

/**
 * File transfer to and from a host (and its nodes, which share the host's filesystem). Paths are
 * absolute and already normalised: nothing is guessed or silently rewritten. `root` confines a
 * transfer to a folder (a lab's working folder), also against symbolic links that lead out of it.
 */
export interface FileTransferOptions {
  maxBytes: number;
  /** Folder the file must stay inside, after following symbolic links; default "/". */
  root?: string;
}

/**
 * Writes atomically: a temporary file beside the target, flushed, then renamed over it, so readers
 * see the old file or the new one, never half of one. Missing parent folders are created.
 */
export async function writeFileSafely(
  path: string,
  bytes: Uint8Array,
  options: FileTransferOptions,
): Promise<{ path: string; size: number }> {
  requireCleanPath(path);
  if (bytes.length > options.maxBytes) throw tooLarge(path, bytes.length, options.maxBytes);
  const root = await confinement(path, options.root);
  const folder = await resolveExistingPart(dirname(path)).catch(partIsAFile(path));
  if (!isInside(folder, root)) throw escapes(path, options.root);
  await mkdir(folder, { recursive: true }).catch(partIsAFile(path));
  const target = join(folder, basename(path));
  const existing = await lstat(target).catch(() => undefined);
  if (existing?.isSymbolicLink()) throw new HostRequestError("invalid", `Cannot write "${path}": it is a symbolic link`);
  if (existing && !existing.isFile()) throw new HostRequestError("invalid", `Cannot write "${path}": it is not a regular file`);

  const temporary = join(folder, `.labbroker-upload-${randomBytes(6).toString("hex")}.tmp`);
  try {
    const file = await open(temporary, "wx", 0o644);
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  return { path: target, size: bytes.length };
}

/** Reads a regular file of at most `maxBytes` bytes, as bytes. */
export async function readFileBounded(path: string, options: FileTransferOptions): Promise<Uint8Array> {
  requireCleanPath(path);
  const root = await confinement(path, options.root);
  const real = await realpath(path).catch((error: NodeJS.ErrnoException) => {
    throw error.code === "ENOENT" ? new HostRequestError("not-found", `Cannot find file "${path}"`) : error;
  });
  if (!isInside(real, root)) throw escapes(path, options.root);
  // Non-blocking so that opening a FIFO cannot hang; not following links, since `real` has none left.
  const file = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stat = await file.stat();
    if (!stat.isFile()) throw new HostRequestError("invalid", `Cannot read "${path}": it is not a regular file`);
    if (stat.size > options.maxBytes) throw tooLarge(path, stat.size, options.maxBytes);
    // The file may grow while we read; never hold more than the limit plus one byte.
    const buffer = new Uint8Array(options.maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await file.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > options.maxBytes) throw tooLarge(path, length, options.maxBytes);
    }
    return buffer.slice(0, length);
  } finally {
    await file.close();
  }
}

/**
 * An uploaded file name that must stay inside a base folder ("configs/r1/startup.cfg"): refuses
 * absolute paths, "..", NUL bytes, backslashes and empty segments; drops "." segments. Returns the
 * normalised relative path.
 */
export function safeRelativePath(name: string): string {
  const refuse = (why: string) => new HostRequestError("invalid", `Invalid file name "${name.replaceAll("\0", "\\0")}": ${why}`);
  if (name.includes("\0")) throw refuse("it contains a NUL byte");
  if (name.includes("\\")) throw refuse('use "/" between folders, not "\\"');
  if (name.startsWith("/")) throw refuse("it must be relative to the lab folder");
  const segments = name.split("/");
  if (segments.some((segment) => segment === "")) throw refuse("it has an empty folder name");
  if (segments.includes("..")) throw refuse('it must not contain ".."');
  const kept = segments.filter((segment) => segment !== ".");
  if (kept.length === 0) throw refuse("it names no file");
  return kept.join("/");
}

/** `base/relative`, with `relative` checked by `safeRelativePath`; `base` must be absolute. */
export function resolveInside(base: string, relative: string): string {
  requireCleanPath(base);
  return posix.join(base, safeRelativePath(relative));
}

function requireCleanPath(path: string): void {
  const refuse = (why: string) => new HostRequestError("invalid", `Invalid path "${path.replaceAll("\0", "\\0")}": ${why}`);
  if (path.includes("\0")) throw refuse("it contains a NUL byte");
  if (!path.startsWith("/")) throw refuse("it must be absolute");
  if (path.split("/").includes("..")) throw refuse('it must not contain ".."');
  if (path !== posix.normalize(path) || (path.length > 1 && path.endsWith("/"))) {
    throw refuse(`it is not normalised (write "${posix.normalize(path).replace(/(.)\/$/, "$1")}")`);
  }
}

/** The real root folder; the path must also lie inside it as written. */
async function confinement(path: string, root = "/"): Promise<string> {
  requireCleanPath(root);
  if (!isInside(path, root)) throw escapes(path, root);
  return realpath(root);
}

/** The real path of `path`: its longest existing part with links resolved, plus the parts still to be made. */
async function resolveExistingPart(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT" || path === "/") throw error;
    return join(await resolveExistingPart(dirname(path)), basename(path));
  }
}

/** mkdir and realpath say EEXIST or ENOTDIR when a folder on the way is a file. */
function partIsAFile(path: string) {
  return (error: NodeJS.ErrnoException): never => {
    if (error.code === "EEXIST" || error.code === "ENOTDIR") {
      throw new HostRequestError("invalid", `Cannot write "${path}": part of its folder is a file`);
    }
    throw error;
  };
}

function isInside(path: string, folder: string): boolean {
  return folder === "/" || path === folder || path.startsWith(folder + "/");
}

function escapes(path: string, root: string | undefined): HostRequestError {
  return new HostRequestError(
    "invalid",
    `Cannot use "${path}": it leads out of "${root ?? "/"}" (through "..", an absolute path or a symbolic link)`,
  );
}

function tooLarge(path: string, size: number, limit: number): HostRequestError {
  return new HostRequestError("too-large", `File "${path}" is larger than the limit of ${limit} bytes (${size} bytes or more)`);
}
