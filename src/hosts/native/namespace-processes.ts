import { readFileSync } from "node:fs";
import { batchLine, runIpBatch } from "./ip-batch.ts";

/**
 * The processes living in a lab's namespaces (FRR daemons, what exec commands or jobs started):
 * found by `ip netns pids`, killed with SIGKILL, waited for. Teardown and reset both start here.
 */

const POLL_MS = 5;

/** Kills every process in `namespaces` and returns their pids (the agent itself is never among them). */
export async function killNamespaceProcesses(namespaces: readonly string[], timeoutMs: number): Promise<number[]> {
  const pids = await namespacePids(namespaces, timeoutMs);
  for (const pid of pids) killProcess(pid);
  return pids;
}

/** Resolves once `done()` holds or the `performance.now()` deadline passes. */
export async function waitUntil(done: () => boolean, deadline: number): Promise<void> {
  while (!done() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
}

/** Gone, or a zombie waiting for its parent: either way it no longer holds the namespace. */
export function hasExited(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

async function namespacePids(namespaces: readonly string[], timeoutMs: number): Promise<number[]> {
  const result = await runIpBatch(
    namespaces.map((namespace) => batchLine("netns", "pids", namespace)),
    { force: true, timeoutMs },
  );
  return (result?.stdout ?? "")
    .split("\n")
    .filter((line) => /^\d+$/.test(line))
    .map(Number)
    .filter((pid) => pid !== process.pid);
}

function killProcess(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}
