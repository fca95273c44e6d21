import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * What holds every process one command run starts, so that a kill reaches all of them, including
 * those that left the process group (`setsid`, daemons):
 *
 * - **cgroup**: a cgroup v2 of its own, a child of the agent's cgroup. The command joins it before
 *   it execs (see process-session.ts), so nothing it starts can leave it; `cgroup.kill` (Linux ≥
 *   5.14) kills every member at once, whoever owns it (also root-owned children under `sudo`).
 * - **process-group** (where the agent's cgroup is not delegated to its user, or the kernel is
 *   older): the command's process group plus a sweep of the processes that carry the run's marker
 *   variable in their environment. A process that is both in another group and cleared its
 *   environment (e.g. children of `sudo`, which resets it) escapes this sweep.
 */
export interface Containment {
  readonly kind: "cgroup" | "process-group";
  /** The cgroup.procs file the command writes its pid into before it execs; "" for none. */
  readonly joinFile: string;
  /** Variables for the command's environment (the sweep's marker). */
  readonly env: Readonly<Record<string, string>>;
  /** Live processes of the run, its leader included once it is known (`leader`). */
  members(leader: number): number[];
  /** SIGKILL to every member at once, whoever owns it (cgroup only; process groups are signalled member by member). */
  killCgroup?(leader: number): void;
  /** Removes what the containment made (the cgroup); members left behind keep it, and false says so. */
  release(): boolean;
}

const MARKER_VARIABLE = "LABBROKER_RUN";

let cgroupBase: string | null | undefined;
let runCounter = 0;
let cgroupUnavailableReason: string | null = null;

/** Why runs use process groups instead of cgroups on this host; null while cgroups work. */
export function whyNoCgroups(): string | null {
  return cgroupUnavailableReason;
}

/** A containment for one run: a cgroup where possible (and wanted), else the process-group sweep. */
export function createContainment(wanted: { cgroup: boolean }): Containment {
  const base = wanted.cgroup ? runCgroupBase() : null;
  if (base) {
    const path = join(base, `labbroker-${process.pid}-${++runCounter}`);
    try {
      mkdirSync(path);
      if (existsSync(join(path, "cgroup.kill"))) return cgroupContainment(path);
      rmdirSync(path);
      cgroupUnavailableReason = "the kernel has no cgroup.kill (Linux 5.14 or later is needed)";
    } catch (error) {
      cgroupUnavailableReason = `cannot create a cgroup under ${base}: ${(error as Error).message}`;
    }
    cgroupBase = null;
  }
  return processGroupContainment(randomUUID());
}

/** The cgroup that holds our runs' cgroups, or null where runs use process groups. */
export function runCgroupBase(): string | null {
  return (cgroupBase ??= findOwnCgroup());
}

/** The agent's own cgroup in the cgroup v2 hierarchy (also in a hybrid setup), or null with the reason recorded. */
function findOwnCgroup(): string | null {
  try {
    const ownPath = readFileSync("/proc/self/cgroup", "utf8").split("\n").find((line) => line.startsWith("0::"))?.slice(3);
    const mount = readFileSync("/proc/self/mountinfo", "utf8")
      .split("\n")
      .find((line) => line.split(" - ")[1]?.startsWith("cgroup2 "))
      ?.split(" ")[4]
      ?.replace(/\\040/g, " ");
    if (ownPath === undefined || mount === undefined) {
      cgroupUnavailableReason = "no cgroup v2 hierarchy is mounted";
      return null;
    }
    return join(mount, ownPath);
  } catch (error) {
    cgroupUnavailableReason = `cannot read this process's cgroup: ${(error as Error).message}`;
    return null;
  }
}

function cgroupContainment(path: string): Containment {
  // The leader counts before it has joined: it joins before it execs or starts anything.
  const members = (leader: number) => [...new Set([...(statFields(leader) ? [leader] : []), ...readPids(join(path, "cgroup.procs"))])];
  return {
    kind: "cgroup",
    joinFile: join(path, "cgroup.procs"),
    env: {},
    members,
    killCgroup(leader) {
      writeFileSync(join(path, "cgroup.kill"), "1");
      sendSignal(leader, "SIGKILL");
    },
    release() {
      try {
        rmdirSync(path);
        return true;
      } catch {
        return false;
      }
    },
  };
}

function processGroupContainment(marker: string): Containment {
  const members = (leader: number) =>
    liveProcesses((_pid, groupId, environ) => groupId === leader || environ().includes(`${MARKER_VARIABLE}=${marker}`));
  return {
    kind: "process-group",
    joinFile: "",
    env: { [MARKER_VARIABLE]: marker },
    members,
    release: () => true,
  };
}

/** Sends a signal to one process (a negative pid: a process group); false when the caller may not (EPERM). */
export function sendSignal(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "EPERM";
  }
}

export function readPids(file: string): number[] {
  try {
    return readFileSync(file, "utf8").split("\n").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Live (not zombie) processes, other than this one, that `match` picks; `environ` is read only when asked. */
export function liveProcesses(match: (pid: number, groupId: number, environ: () => string[]) => boolean): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const fields = statFields(pid);
    try {
      if (fields && match(pid, fields.groupId, () => readFileSync(`/proc/${pid}/environ`, "latin1").split("\0"))) found.push(pid);
    } catch {
      continue; // exited while we looked, or another user's environment
    }
  }
  return found;
}

/** A live (not zombie) process's group id; null when it is gone. */
export function statFields(pid: number): { groupId: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name: state ppid pgrp …
    const [state, , groupId] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return state === "Z" || state === "X" ? null : { groupId: Number(groupId) };
  } catch {
    return null;
  }
}
