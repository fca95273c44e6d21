import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { TEST_ADMIN_TOKEN } from "../support/test-broker.ts";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OutputChunk } from "../../src/client/api-types.ts";
import { LabBroker } from "../../src/client/broker.ts";
import { LabBrokerError, WaitTimeoutError } from "../../src/client/errors.ts";
import type { Session } from "../../src/client/session.ts";
import { LabCluster } from "../support/lab-cluster.ts";

const cluster = new LabCluster();
const files = mkdtempSync(join(tmpdir(), "labbroker-sdk-files-"));
let session: Session;
beforeAll(async () => {
  await cluster.startBroker();
  await cluster.startAgent({ name: "job-host" });
  session = await new LabBroker({ url: cluster.url, token: TEST_ADMIN_TOKEN }).session({ client: { name: "jobs" } });
});
afterAll(async () => {
  await session?.end();
  await cluster.stop();
  rmSync(files, { recursive: true, force: true });
});

const caught = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe("jobs on a session's host", () => {
  test("a foreground job answers when finished: exit code, stdout, stderr, passed; a string runs through sh -c", async () => {
    const failing = await session.host().run(["sh", "-c", "echo out; echo err >&2; exit 3"], { description: "exits 3" });
    expect({
      finished: failing.finished,
      passed: failing.passed,
      exitCode: failing.exitCode,
      stdout: failing.stdout,
      stderr: failing.stderr,
    }).toEqual({
      finished: true,
      passed: false,
      exitCode: 3,
      stdout: "out\n",
      stderr: "err\n",
    });
    const piped = await session.host("m1").run("printf 'a b c' | wc -w", { env: { UNUSED: "1" } });
    expect([piped.passed, piped.stdout.trim()]).toEqual([true, "3"]);
    const expected = await session.host().run(["false"], { expectFailure: true });
    expect([expected.passed, expected.exitCode]).toEqual([true, 1]);
    const parsed = await session.host().run(["echo", '{"rx": 5}'], { parseJson: true });
    expect(parsed.result).toEqual({ rx: 5 });
    const bounded = await session.host().run(["sleep", "5"], { timeoutS: 0.3 });
    expect([bounded.passed, bounded.view.timed_out]).toEqual([false, true]);
  }, 20_000);

  test("a background job streams its output live; the stream resumes after the last chunk read", async () => {
    const job = await session.host().run("for i in 1 2 3 4; do echo line $i; sleep 0.1; done; echo done >&2", { background: true });
    expect(job.finished).toBe(false);
    const firstTwo: OutputChunk[] = [];
    for await (const chunk of job.output()) {
      firstTwo.push(chunk);
      if (firstTwo.length === 2) break;
    }
    const rest: OutputChunk[] = [];
    for await (const chunk of job.output({ after: firstTwo[1]!.id })) rest.push(chunk);
    expect([...firstTwo, ...rest].map((chunk) => [chunk.stream, chunk.text])).toEqual([
      ["stdout", "line 1\n"],
      ["stdout", "line 2\n"],
      ["stdout", "line 3\n"],
      ["stdout", "line 4\n"],
      ["stderr", "done\n"],
    ]);
    await job.wait(10);
    expect([job.passed, job.stdout]).toEqual([true, "line 1\nline 2\nline 3\nline 4\n"]);
  }, 20_000);

  test("wait with a timeout is a WaitTimeoutError while the job runs; kill ends it", async () => {
    const job = await session.host().run(["sleep", "30"], { background: true });
    const error = await caught(job.wait(0.3));
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as Error).message).toBe(`Job ${job.id} is still running after 0.3 s`);
    const outcome = await job.kill("SIGTERM");
    expect(outcome.signalled).toBe(true);
    await job.wait(10);
    expect([job.passed, job.view.signal]).toEqual([false, "SIGTERM"]);
    expect((await job.kill()).signalled).toBe(false);
  }, 20_000);

  test("the session summary lists every job per host with PASS/FAIL", async () => {
    const summary = await session.summary();
    expect(summary.hosts[0]!.jobs.find((job) => job.description === "exits 3")?.verdict).toBe("FAIL");
    expect(await session.summaryText()).toContain("exits 3");
  });

  test("a recorded result comes back in the timeline and the chronological text", async () => {
    const recorded = await session.recordResult("loss below 1 %", "PASS", { loss: 0.2 });
    expect(recorded).toMatchObject({ description: "loss below 1 %", result: "PASS", data: { loss: 0.2 } });
    expect((await session.summary()).timeline.at(-1)).toMatchObject({
      kind: "result",
      verdict: "PASS",
      description: "loss below 1 %",
      result: '{"loss":0.2}',
    });
    expect(await session.summaryText("chronological")).toContain(' result: PASS loss below 1 % — {"loss":0.2}\n');
  });

  test("a job on a role the session does not have is refused with the broker's message", async () => {
    const error = await caught(session.host("m9").run(["true"]));
    expect(error).toBeInstanceOf(LabBrokerError);
    expect(error).toMatchObject({ status: 404, detail: `Session "${session.id}" has no role "m9"` });
  });
});

describe("files and devices on a session's host", () => {
  test("upload writes the file on the host; download reads it back byte for byte", async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255, 10]);
    const path = join(files, "sub", "blob.bin");
    expect(await session.host().upload(path, bytes)).toEqual({ path, size: 6 });
    expect(new Uint8Array(readFileSync(path))).toEqual(bytes);
    expect(await session.host().download(path)).toEqual(bytes);
    await session.host().upload(join(files, "note.txt"), "héllo\n");
    expect(new TextDecoder().decode(await session.host().download(join(files, "note.txt")))).toBe("héllo\n");
    const missing = await caught(session.host().download(join(files, "absent")));
    expect(missing).toMatchObject({ code: "not-found", status: 404 });
  }, 20_000);

  test("devices list the host's interfaces; sysctls read", async () => {
    const devices = await session.host().devices();
    expect(devices.find((device) => device.name === "lo")).toMatchObject({
      up: true,
      mtu: 65536,
      addresses: expect.arrayContaining([expect.objectContaining({ local: "127.0.0.1" })]),
    });
    expect(await session.host().sysctl("net.ipv4.conf.lo.forwarding")).toMatch(/^[01]$/);
    const unknown = await caught(session.host().device("no-such-dev0").set({ up: true }));
    expect(unknown).toMatchObject({ code: "not-found", status: 404 });
  }, 20_000);
});
