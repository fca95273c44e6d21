import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { parse, stringify } from "yaml";
import { withFileLock } from "../fake-docker/file-lock.ts";
import { type Data, isData } from "./netlab-data.ts";

/**
 * Where netlab keeps state (`NL:netsim/utils/status.py`): the instance registry
 * `~/.netlab/status.yaml` (HOME honoured), the directory lock `./netlab.lock`, and the transformed
 * topology `./netlab.snapshot.pickle`. The real snapshot is a Python pickle nobody else can read;
 * the fake stores JSON under the same name, equally private to it.
 */

/** A record of the registry; `status` and `name` are missing until `up` gets past its probes (see logLabStatus). */
export interface LabStatus {
  dir: string;
  providers: string[];
  status?: string;
  name?: string;
  log_line?: string;
  log: string[];
  timestamp: string;
}

export const LOCK_FILE = "netlab.lock";
export const SNAPSHOT_FILE = "netlab.snapshot.pickle";

export function statusFilePath(env: NodeJS.ProcessEnv): string {
  return join(env.HOME || homedir(), ".netlab", "status.yaml");
}

export function readStatus(env: NodeJS.ProcessEnv): Record<string, LabStatus> {
  const file = statusFilePath(env);
  if (!existsSync(file)) return {};
  const status: unknown = parse(readFileSync(file, "utf8"));
  return isData(status) ? (status as Record<string, LabStatus>) : {};
}

/** Read-modify-write under `status.yaml.lock`, as `change_status` does with its FileLock. */
export function changeStatus(env: NodeJS.ProcessEnv, change: (status: Record<string, LabStatus>) => void): void {
  const file = statusFilePath(env);
  mkdirSync(dirname(file), { recursive: true });
  withFileLock(`${file}.lock`, () => {
    const status = readStatus(env);
    change(status);
    // Integer instance ids stay integers in the YAML file (`12:`), as Python writes them.
    const document = new Map(Object.entries(status).map(([id, record]) => [/^\d+$/.test(id) ? Number(id) : id, record]));
    writeFileSync(`${file}.tmp`, stringify(document));
    renameSync(`${file}.tmp`, file);
  });
}

/**
 * `lab_status_update` (`NL:netsim/cli/__init__.py:381-425`): a missing record is created for the
 * cwd with only `dir` and `providers` (390-393) — every command `up` logs from its probes on
 * (`NL:netsim/cli/external_commands.py:61-74`, `up.py:352-353`) does so — and the update is merged
 * in, a plain log line as `log_line`; a status change is also a timestamped log line.
 */
export function logLabStatus(env: NodeJS.ProcessEnv, id: string, text: string, update: Partial<LabStatus> = {}): void {
  changeStatus(env, (status) => {
    const record = (status[id] ??= { dir: process.cwd(), providers: [], log: [], timestamp: "" });
    if (!("status" in update)) record.log_line = text;
    const now = new Date().toISOString().replace("Z", "000+00:00");
    Object.assign(record, update);
    record.log = [...(record.log ?? []), `${now}: ${text}`];
    record.timestamp = now.replace("T", " ");
  });
}

export function isDirectoryLocked(): boolean {
  return existsSync(LOCK_FILE);
}

export function lockDirectory(): void {
  if (existsSync(LOCK_FILE)) utimesSync(LOCK_FILE, new Date(), new Date());
  else writeFileSync(LOCK_FILE, "netlab lock file, do not remove\n");
}

export function unlockDirectory(): void {
  rmSync(LOCK_FILE, { force: true });
}

export function writeSnapshot(topology: Data): void {
  writeFileSync(SNAPSHOT_FILE, JSON.stringify(topology));
}

export function readSnapshot(folder = "."): Data | null {
  const file = join(folder, SNAPSHOT_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Data) : null;
}
