import { randomUUID } from "node:crypto";
import { linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { LAB_RECORD_VERSION, type LabRecord } from "./lab-record.ts";

const RECORD_SUFFIX = ".json";
const LOCK_FILE = ".lock";
const LOCK_POLL_MS = 5;

/** Callers in this process queue per folder (whatever registry object they use); the lock file orders processes. */
const queues = new Map<string, Promise<unknown>>();

/**
 * The on-host registry of native labs: one JSON record per instance in a runtime state folder
 * (a tmpfs such as /run, which is emptied at boot exactly when namespaces and links vanish too).
 * Planning a lab happens under a lock shared by every agent process on the host, so two labs
 * deployed at once never pick the same subnet or names.
 */
export class LabRegistry {
  readonly folder: string;

  constructor(folder: string) {
    this.folder = resolve(folder);
  }

  read(instanceName: string): LabRecord | null {
    try {
      return parseRecord(readFileSync(this.#path(instanceName), "utf8"), instanceName);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  list(): LabRecord[] {
    let files: string[];
    try {
      files = readdirSync(this.folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    return files.filter((file) => file.endsWith(RECORD_SUFFIX)).flatMap((file) => this.read(file.slice(0, -RECORD_SUFFIX.length)) ?? []);
  }

  /** Replaces the record atomically, so a crash never leaves half a file. */
  write(record: LabRecord): void {
    mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    const temporary = join(this.folder, `.${record.instanceName}.${randomUUID()}.tmp`);
    writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.#path(record.instanceName));
  }

  remove(instanceName: string): void {
    rmSync(this.#path(instanceName), { force: true });
  }

  /** Runs `action` while holding the host-wide planning lock. */
  withLock<T>(action: () => Promise<T>, bounds: { timeoutMs: number; signal?: AbortSignal }): Promise<T> {
    const run = (queues.get(this.folder) ?? Promise.resolve()).then(async () => {
      const release = await this.#acquire(bounds);
      try {
        return await action();
      } finally {
        release();
      }
    });
    queues.set(this.folder, run.catch(() => undefined));
    return run;
  }

  async #acquire(bounds: { timeoutMs: number; signal?: AbortSignal }): Promise<() => void> {
    mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    const lockPath = join(this.folder, LOCK_FILE);
    const deadline = performance.now() + bounds.timeoutMs;
    for (;;) {
      if (this.#tryLock(lockPath)) return () => rmSync(lockPath, { force: true });
      const holder = lockHolder(lockPath);
      if (holder === null) continue;
      // Our own pid: this process's queue lets one caller at a time hold the lock, and that caller
      // is us, so the file was left by an earlier process that had the same pid.
      if (!holder || holder === process.pid || !isAlive(holder)) {
        rmSync(lockPath, { force: true });
        continue;
      }
      bounds.signal?.throwIfAborted();
      if (performance.now() > deadline) {
        throw new Error(`timed out after ${bounds.timeoutMs} ms waiting for ${lockPath}, held by process ${holder}`);
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
  }

  /** Creates the lock file with our pid already in it (a hard link either appears whole or fails). */
  #tryLock(lockPath: string): boolean {
    const candidate = `${lockPath}.${randomUUID()}`;
    writeFileSync(candidate, String(process.pid), { mode: 0o600 });
    try {
      linkSync(candidate, lockPath);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw error;
    } finally {
      rmSync(candidate, { force: true });
    }
  }

  #path(instanceName: string): string {
    return join(this.folder, `${instanceName}${RECORD_SUFFIX}`);
  }
}

function parseRecord(text: string, instanceName: string): LabRecord {
  const record = JSON.parse(text) as LabRecord;
  if (record.version !== LAB_RECORD_VERSION || record.instanceName !== instanceName) {
    throw new Error(
      `native lab record for "${instanceName}" has version ${
        String(record.version)
      } or another instance name; expected version ${LAB_RECORD_VERSION}`,
    );
  }
  return record;
}

/** The pid in the lock file (0 when unreadable), or null when the lock was just released. */
function lockHolder(lockPath: string): number | null {
  try {
    return Number(readFileSync(lockPath, "utf8")) || 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
