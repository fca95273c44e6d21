import { afterEach, describe, expect, test } from "bun:test";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CommandFailedError, runChecked, runCommand, startCommand } from "../../src/hosts/command-runner.ts";
import { createContainment, whyNoCgroups } from "../../src/hosts/process-containment.ts";
import { signalRun, spawnSessionLeader } from "../../src/hosts/process-session.ts";
import { isRoot, liveGroupMembers, processesWithEnvironment } from "../support/host-processes.ts";
import { eventually } from "../support/wait-for.ts";

test("a command that dies of a signal nobody sent reads as 128+n, never as success", async () => {
  const result = await runCommand(["sh", "-c", "kill -SEGV $$"], { timeoutMs: 5_000 });
  expect(result).toMatchObject({ code: 139, signal: null, stderr: "" });
});

test("the timeout kills every process of the run and says which signal ended it", async () => {
  const result = await runCommand(["sh", "-c", "sleep 600 & wait"], { timeoutMs: 200 });
  expect(result).toMatchObject({ code: 137, signal: "SIGKILL", timedOut: true });
  expect(liveGroupMembers(result.pid!)).toEqual([]);
});

test("startCommand exposes the pid, streams lines and kills the group on request", async () => {
  const lines: string[] = [];
  const command = startCommand(["sh", "-c", "echo up; sleep 600"], {
    timeoutMs: 10_000,
    onLine: (stream, line) => lines.push(`${stream}:${line}`),
  });
  await eventually(() => lines.length === 1, "the first line");
  expect(command.pid).toBeGreaterThan(1);
  expect(command.kill("SIGTERM")).toBe(true);
  expect(await command.result).toMatchObject({ code: 143, signal: "SIGTERM", pid: command.pid, stdout: "up\n" });
  expect(lines).toEqual(["stdout:up"]);
  expect(command.kill()).toBe(false);
});

test("by default the end of an over-long stream is kept and the cut counted in bytes", async () => {
  const result = await runCommand(["sh", "-c", "seq 1 1000"], { timeoutMs: 5_000, maxCaptureBytes: 9 });
  expect(result.stdout).toBe("999\n1000\n");
  expect(result.truncated.stdout).toBe(3893 - 9);
});

test("arguments are passed verbatim and runChecked throws with the command's last error lines", async () => {
  expect((await runCommand(["printf", "%s|", "a b", "$(id)", "'"], { timeoutMs: 5_000 })).stdout).toBe("a b|$(id)|'|");
  const failure = runChecked(["sh", "-c", "echo broken >&2; exit 4"], { timeoutMs: 5_000 });
  await expect(failure).rejects.toBeInstanceOf(CommandFailedError);
  await expect(failure).rejects.toThrow("sh -c echo broken >&2; exit 4 exited with code 4:\nbroken");
});

describe("containment: nothing a command starts outlives it", () => {
  const mark = randomUUID();
  const marked = { env: { LABBROKER_TEST_RUN: mark } };
  const left = () => processesWithEnvironment("LABBROKER_TEST_RUN", mark);
  afterEach(() => {
    for (const { pid } of left()) process.kill(pid, "SIGKILL");
  });

  test("the timeout also kills what left the process group with setsid, and returns at the bound", async () => {
    const started = performance.now();
    const result = await runCommand(["sh", "-c", "setsid sleep 600 & sleep 100"], { timeoutMs: 300, ...marked });
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(result).toMatchObject({ timedOut: true, signal: "SIGKILL", unkilled: [] });
    expect(left()).toEqual([]);
  });

  test("the run ends when its own process exits, even while a child holds its output pipes; the child is killed", async () => {
    const started = performance.now();
    const result = await runCommand(["sh", "-c", "setsid sleep 600 & echo done"], { timeoutMs: 60_000, ...marked });
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(result).toMatchObject({ code: 0, signal: null, stdout: "done\n", unkilled: [] });
    expect(left()).toEqual([]);
  });

  test('leftovers: "keep" leaves a started daemon running and does not wait for it', async () => {
    const result = await runCommand(["sh", "-c", "sleep 600 & echo started"], { timeoutMs: 60_000, leftovers: "keep", ...marked });
    expect(result).toMatchObject({ code: 0, stdout: "started\n", containment: "process-group" });
    expect(left().map((found) => found.argv.join(" "))).toEqual(["sleep 600"]);
  });

  test.skipIf(!isRoot)(
    `runs are held in a cgroup of their own, removed when the run ends${isRoot ? "" : " (needs root to create cgroups)"}`,
    async () => {
      const command = startCommand(["sleep", "600"], { timeoutMs: 60_000, ...marked });
      await eventually(() => cgroupOf(command.pid!)?.includes(`labbroker-${process.pid}-`), "the command to join its cgroup");
      const cgroup = cgroupOf(command.pid!)!;
      command.kill();
      expect(await command.result).toMatchObject({ containment: "cgroup", signal: "SIGKILL", unkilled: [] });
      expect(whyNoCgroups()).toBeNull();
      expect(existsSync(join(cgroupMount(), cgroup))).toBe(false);
    },
  );

  test("without a cgroup, a kill sweeps the processes that carry the run's marker, wherever their group", async () => {
    const containment = createContainment({ cgroup: false });
    const leader = spawnSessionLeader("/bin/sh", containment, ["/bin/sh", "-c", "setsid sleep 600 & wait"], {
      env: { PATH: "/usr/bin:/bin", ...marked.env },
      withStdin: false,
    });
    await eventually(() => left().length === 2, "the shell and its setsid sleep");
    expect(signalRun(containment, leader.pid!, "SIGKILL", [])).toBe(2);
    await eventually(() => left().length === 0, "both to be gone");
  });
});

/** The cgroup v2 path of a process, or undefined when it is gone. */
function cgroupOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cgroup`, "utf8").split("\n").find((line) => line.startsWith("0::"))?.slice(3);
  } catch {
    return undefined;
  }
}

function cgroupMount(): string {
  return readFileSync("/proc/self/mountinfo", "utf8").split("\n").find((line) => line.split(" - ")[1]?.startsWith("cgroup2 "))!.split(
    " ",
  )[4]!;
}
