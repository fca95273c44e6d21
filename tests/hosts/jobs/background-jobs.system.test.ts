import { afterEach, describe, expect, test } from "bun:test";
import { HostRequestError } from "../../../src/hosts/host-errors.ts";
import { JobRegistry } from "../../../src/hosts/jobs/job-registry.ts";
import type { OutputChunk } from "../../../src/hosts/jobs/job-output.ts";
import { type Job, startJob } from "../../../src/hosts/jobs/start-job.ts";
import { liveGroupMembers } from "../../support/host-processes.ts";
import { eventually } from "../../support/wait-for.ts";

const started: Job[] = [];
const track = (job: Job) => (started.push(job), job);
afterEach(async () => {
  for (const job of started.splice(0)) {
    job.kill("SIGKILL");
    await job.done;
  }
});

const runningPid = (job: Job) =>
  eventually(
    () => (job.status().state === "running" ? (job.status() as { pid: number | null }).pid ?? undefined : undefined),
    "the job's pid",
  );

describe("background jobs", () => {
  test("kill ends the whole process tree, not just the shell", async () => {
    const job = track(startJob({ id: "tree", background: true, shell: "sleep 600 & sleep 600 & wait" }));
    const group = await runningPid(job);
    await eventually(() => liveGroupMembers(group).length === 3, "the shell and both sleeps");
    expect(job.kill()).toEqual({ delivered: true, message: `Sent SIGKILL to every process of job "tree" (process group ${group})` });
    const result = await job.done;
    expect(result).toMatchObject({ state: "finished", exitCode: null, signal: "SIGKILL", passed: false, timedOut: false });
    expect(liveGroupMembers(group)).toEqual([]);
  });

  test("output chunks arrive while the job is still running", async () => {
    const chunks: OutputChunk[] = [];
    const job = track(
      startJob({ id: "live", background: true, shell: "echo ready; echo warming >&2; sleep 600" }, {
        onOutput: (chunk) => chunks.push(chunk),
      }),
    );
    await eventually(() => chunks.length === 2, "two chunks");
    expect(job.state).toBe("running");
    expect(chunks.map(({ stream, text }) => ({ stream, text })).sort((a, b) => a.stream.localeCompare(b.stream))).toEqual([
      { stream: "stderr", text: "warming\n" },
      { stream: "stdout", text: "ready\n" },
    ]);
    expect(chunks.map((chunk) => chunk.seq)).toEqual([1, 2]);
    expect(job.outputSince(1)).toEqual([chunks[1]!]);
    expect(job.status()).toMatchObject({ id: "live", state: "running", background: true, lastSeq: 2 });
  });

  test("SIGINT lets ping print its statistics and exit 0, so the job passes", async () => {
    const chunks: OutputChunk[] = [];
    const job = track(
      startJob({ id: "ping", background: true, argv: ["ping", "-i", "0.2", "127.0.0.1"] }, { onOutput: (chunk) => chunks.push(chunk) }),
    );
    await eventually(() => chunks.some((chunk) => chunk.text.includes("bytes from 127.0.0.1")), "a first ping reply");
    expect(job.kill("SIGINT").delivered).toBe(true);
    const result = await job.done;
    expect(result).toMatchObject({ exitCode: 0, signal: null, passed: true });
    expect(result.stdout).toContain("--- 127.0.0.1 ping statistics ---");
  });

  test("killing a finished job does nothing and says so", async () => {
    const job = startJob({ id: "quick", timeoutMs: 5_000, argv: ["true"] });
    await job.done;
    expect(job.kill()).toEqual({ delivered: false, message: 'Job "quick" has already finished; nothing was signalled' });
    expect(() => job.kill("SIGBOGUS")).toThrow('Unknown signal "SIGBOGUS"');
  });

  test("a kill sent right after the start, before the command has joined its cgroup, still reaches it", async () => {
    const job = startJob({ id: "early-kill", background: true, argv: ["sleep", "600"] });
    expect(job.kill().delivered).toBe(true);
    expect(await job.done).toMatchObject({ signal: "SIGKILL", exitCode: null });
  });

  test("an output listener that throws is detached; the output stays complete", async () => {
    const job = startJob({ id: "bad-listener", timeoutMs: 5_000, shell: "echo one; echo two" }, {
      onOutput: () => {
        throw new Error("broker unreachable");
      },
    });
    const result = await job.done;
    expect(result.stdout).toBe("one\ntwo\n");
    expect(result.listenerError).toBe("The output listener threw at chunk 1 and was detached: broker unreachable");
  });
});

describe("job registry", () => {
  test("starting the same job id twice runs it once", async () => {
    const registry = new JobRegistry();
    const request = { id: "once", background: true, argv: ["sleep", "600"] };
    const first = registry.ensureStarted(request);
    const again = registry.ensureStarted(request);
    track(first.job);
    expect(first.started).toBe(true);
    expect(again).toEqual({ job: first.job, started: false });
    expect(() => registry.ensureStarted({ ...request, argv: ["sleep", "1"] })).toThrow(
      'Job "once" was already started with a different request',
    );
    expect(registry.status("once").state).toBe("running");
    expect(() => registry.forget("once")).toThrow('Job "once" is still running; kill it before forgetting it');
    expect(registry.kill("once").delivered).toBe(true);
    await first.job.done;
    expect(registry.status("once")).toMatchObject({ state: "finished", signal: "SIGKILL" });
    expect(registry.kill("once").delivered).toBe(false);
    registry.forget("once");
    expect(registry.has("once")).toBe(false);
  });

  test("unknown job ids are named in the error", () => {
    const registry = new JobRegistry();
    expect(() => registry.status("ghost")).toThrow(new HostRequestError("not-found", 'Cannot find job "ghost" on this host'));
  });

  test("killAll stops every running job and returns their results", async () => {
    const registry = new JobRegistry();
    registry.ensureStarted({ id: "a", background: true, argv: ["sleep", "600"] });
    registry.ensureStarted({ id: "b", background: true, shell: "sleep 600 & wait" });
    const results = await registry.killAll();
    expect(results.map((result) => [result.id, result.signal])).toEqual([
      ["a", "SIGKILL"],
      ["b", "SIGKILL"],
    ]);
    expect(registry.list().every((status) => status.state === "finished")).toBe(true);
  });
});
