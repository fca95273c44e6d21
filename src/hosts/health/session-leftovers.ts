import { existsSync, readFileSync, rmSync } from "node:fs";
import { delay } from "../command-runner.ts";
import { liveProcesses, sendSignal, statFields } from "../process-containment.ts";
import type { HostDifference } from "./host-diff.ts";

/**
 * Every job of a session carries this variable (its value: the session id), and so does everything
 * it starts, also what escaped the job's cgroup or process group (`systemd-run --scope` aside, which
 * starts from a clean environment). It ties a leftover process to its session for certain.
 */
export const SESSION_MARKER_VARIABLE = "LABBROKER_JOB_SESSION";

const KILL_SETTLE_MS = 2_000;
const KILL_POLL_MS = 20;

/** The session's processes still alive after its jobs ended: killed (SIGKILL), each reported. */
export async function cleanSessionProcesses(sessionId: string): Promise<HostDifference[]> {
  const marker = `${SESSION_MARKER_VARIABLE}=${sessionId}`;
  const found = liveProcesses((_pid, _group, environ) => environ().includes(marker));
  if (found.length === 0) return [];
  const names = new Map(found.map((pid) => [pid, commandLine(pid)]));
  for (const pid of found) sendSignal(pid, "SIGKILL");
  for (let waited = 0; waited < KILL_SETTLE_MS && found.some((pid) => statFields(pid)); waited += KILL_POLL_MS) await delay(KILL_POLL_MS);
  return found.map((pid) => {
    const killed = statFields(pid) === null;
    return {
      kind: "process",
      name: `${pid} ${names.get(pid)}`,
      detail: killed ? "left running by a job of the session; killed" : "left running by a job of the session; could not be killed",
      cleaned: killed,
    };
  });
}

/** Files the session uploaded where none was: removed, each reported. */
export function cleanSessionFiles(paths: Iterable<string>): HostDifference[] {
  return [...paths].filter((path) => existsSync(path)).map((path) => {
    try {
      rmSync(path, { force: true });
      return { kind: "file", name: path, detail: "uploaded by the session; removed", cleaned: true };
    } catch (error) {
      return { kind: "file", name: path, detail: `uploaded by the session; cannot remove it: ${(error as Error).message}`, cleaned: false };
    }
  });
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "latin1").split("\0").filter(Boolean).join(" ").slice(0, 200);
  } catch {
    return "(gone)";
  }
}
