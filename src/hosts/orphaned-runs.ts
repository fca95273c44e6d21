import { readdirSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readPids, runCgroupBase, statFields } from "./process-containment.ts";

/**
 * Kills the runs an earlier agent process left behind when it died (SIGKILL, crash): the cgroups
 * named after a process that no longer lives, beside ours. Returns the pids it killed. Without
 * cgroups nothing identifies such runs; they are left alone.
 */
export async function killOrphanedRuns(): Promise<number[]> {
  const base = runCgroupBase();
  if (!base) return [];
  const killed: number[] = [];
  for (const entry of readdirSync(base)) {
    const owner = /^labbroker-(\d+)-\d+$/.exec(entry)?.[1];
    if (owner === undefined || statFields(Number(owner))) continue;
    const path = join(base, entry);
    try {
      killed.push(...readPids(join(path, "cgroup.procs")));
      writeFileSync(join(path, "cgroup.kill"), "1");
      await removeWhenEmpty(path);
    } catch {
      continue; // removed meanwhile by another agent doing the same
    }
  }
  return killed;
}

/** Killed processes leave their cgroup only once they have exited: retries rmdir briefly. */
async function removeWhenEmpty(path: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      rmdirSync(path);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
