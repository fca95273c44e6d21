import { afterEach, expect, test } from "bun:test";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { killOrphanedRuns } from "../../src/hosts/orphaned-runs.ts";
import { runCgroupBase } from "../../src/hosts/process-containment.ts";
import { environmentWithoutLabbroker } from "../support/processes.ts";
import { isRoot, processesWithEnvironment } from "../support/host-processes.ts";
import { eventually } from "../support/wait-for.ts";

const mark = randomUUID();
const left = () => processesWithEnvironment("LABBROKER_TEST_ORPHAN", mark);
afterEach(() => {
  for (const { pid } of left()) process.kill(pid, "SIGKILL");
});

test.skipIf(!isRoot)(
  `a run whose agent process died with SIGKILL is killed, and its cgroup removed, by the next agent${
    isRoot ? "" : " (needs root to create cgroups)"
  }`,
  async () => {
    const agent = Bun.spawn(
      [process.execPath, join(import.meta.dir, "fixtures/start-and-hang.ts"), "sh", "-c", "setsid sleep 600 & wait"],
      {
        env: { ...environmentWithoutLabbroker(), LABBROKER_TEST_ORPHAN: mark },
        stdout: "pipe",
      },
    );
    const reader = agent.stdout.getReader();
    const leader = Number(new TextDecoder().decode((await reader.read()).value).trim());
    await eventually(() => left().length === 3, "the agent, the shell and its setsid sleep");
    agent.kill("SIGKILL");
    await agent.exited;
    const orphans = left().map((found) => found.pid);
    expect(orphans).toHaveLength(2);
    expect(orphans).toContain(leader);
    const cgroup = readFileSync(`/proc/${leader}/cgroup`, "utf8").split("\n").find((line) => line.startsWith("0::"))!.slice(3);
    expect(basename(cgroup)).toStartWith(`labbroker-${agent.pid}-`);

    const killed = await killOrphanedRuns();
    expect(killed.sort()).toEqual(orphans.sort());
    expect(left()).toEqual([]);
    expect(existsSync(join(runCgroupBase()!, basename(cgroup)))).toBe(false);
  },
);
