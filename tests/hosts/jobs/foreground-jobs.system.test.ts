import { describe, expect, test } from "bun:test";
import { HostRequestError } from "../../../src/hosts/host-errors.ts";
import type { OutputChunk } from "../../../src/hosts/jobs/job-output.ts";
import type { JobRequest } from "../../../src/hosts/jobs/job-spec.ts";
import { startJob } from "../../../src/hosts/jobs/start-job.ts";

let counter = 0;
const run = (request: Omit<JobRequest, "id" | "timeoutMs"> & { timeoutMs?: number }) =>
  startJob({ id: `job-${++counter}`, timeoutMs: 10_000, ...request }).done;

describe("foreground jobs", () => {
  test("true passes with exit code 0; false fails with exit code 1", async () => {
    const passing = await run({ argv: ["true"] });
    expect(passing).toMatchObject({ state: "finished", exitCode: 0, signal: null, passed: true, timedOut: false, error: null });
    expect(Date.parse(passing.finishedAt)).toBeGreaterThanOrEqual(Date.parse(passing.startedAt));
    const failing = await run({ argv: ["false"] });
    expect(failing).toMatchObject({ exitCode: 1, signal: null, passed: false });
  });

  test("expectFailure: the job passes when the command fails, and fails when it succeeds", async () => {
    expect((await run({ argv: ["false"], expectFailure: true })).passed).toBe(true);
    expect((await run({ argv: ["true"], expectFailure: true })).passed).toBe(false);
  });

  test("argv entries reach the program verbatim; a shell string runs with sh -c", async () => {
    const literal = await run({ argv: ["echo", "$HOME; rm -rf /", "*"] });
    expect(literal.stdout).toBe("$HOME; rm -rf / *\n");
    const shell = await run({ shell: "echo one; echo two >&2; exit 3" });
    expect(shell).toMatchObject({ stdout: "one\n", stderr: "two\n", exitCode: 3, passed: false });
  });

  test("cwd and env apply to the job", async () => {
    const result = await run({ shell: 'pwd; echo "$GREETING"', cwd: "/tmp", env: { GREETING: "hello" } });
    expect(result.stdout).toBe("/tmp\nhello\n");
  });

  test("a missing program finishes with exit code 127 like in a shell", async () => {
    const result = await run({ argv: ["labbroker-no-such-program"] });
    expect(result).toMatchObject({ exitCode: 127, passed: false });
    expect(result.stderr).toContain("labbroker-no-such-program: not found");
  });

  test("the timeout kills the job with SIGKILL", async () => {
    const result = await run({ argv: ["sleep", "600"], timeoutMs: 300 });
    expect(result).toMatchObject({ exitCode: null, signal: "SIGKILL", timedOut: true, passed: false });
    expect(result.durationMs).toBeGreaterThanOrEqual(290);
    expect(result.durationMs).toBeLessThan(5_000);
  });

  test("a timed-out job does not pass even when failure is expected", async () => {
    expect((await run({ argv: ["sleep", "600"], timeoutMs: 200, expectFailure: true })).passed).toBe(false);
  });
});

describe("output limits", () => {
  test("output beyond maxOutputBytes is cut, counted and marked, live and in the result", async () => {
    const chunks: OutputChunk[] = [];
    const job = startJob(
      { id: "big-output", timeoutMs: 10_000, shell: "head -c 3000 /dev/zero | tr '\\0' a; echo short >&2", maxOutputBytes: 1000 },
      { onOutput: (chunk) => chunks.push(chunk) },
    );
    const result = await job.done;
    const marker = "\n[labbroker: stdout truncated: first 1000 bytes kept, 2000 bytes cut]\n";
    expect(result.truncated).toEqual({ stdout: 2000, stderr: 0 });
    expect(result.stdout).toBe("a".repeat(1000) + marker);
    expect(result.stderr).toBe("short\n");
    const streamed = (stream: string) => chunks.filter((chunk) => chunk.stream === stream).map((chunk) => chunk.text).join("");
    expect(streamed("stdout")).toBe(result.stdout);
    expect(streamed("stderr")).toBe(result.stderr);
    expect(chunks.map((chunk) => chunk.seq)).toEqual(chunks.map((_, index) => index + 1));
  });

  test("the limit counts bytes, not characters", async () => {
    const result = await run({ shell: "printf 'ééééé'", maxOutputBytes: 4 });
    expect(result.truncated.stdout).toBe(6);
    expect(result.stdout.startsWith("éé\n[labbroker: stdout truncated: first 4 bytes kept, 6 bytes cut]")).toBe(true);
  });
});

describe("JSON results", () => {
  test("parseJson puts parsed stdout in result", async () => {
    const result = await run({ shell: `printf '{"rx": [1, 2], "ok": true}'`, parseJson: true });
    expect(result).toMatchObject({ passed: true, result: { rx: [1, 2], ok: true }, resultError: null });
  });

  test("stdout that is not JSON is recorded as resultError and fails the job, without throwing", async () => {
    const result = await run({ argv: ["echo", "not json"], parseJson: true });
    expect(result).toMatchObject({ exitCode: 0, passed: false, result: null, stdout: "not json\n" });
    expect(result.resultError).toStartWith("stdout is not valid JSON:");
  });

  test("JSON cut by the output limit is reported as cut", async () => {
    const result = await run({ shell: `printf '{"padding": "%0200d"}' 0`, parseJson: true, maxOutputBytes: 50 });
    expect(result.resultError).toBe("stdout is not complete JSON: it was cut after 50 bytes (165 more bytes)");
  });
});

describe("invalid requests are refused before anything runs", () => {
  const refused = (request: unknown) => {
    try {
      startJob(request as JobRequest);
    } catch (error) {
      expect(error).toBeInstanceOf(HostRequestError);
      return (error as HostRequestError).message;
    }
    throw new Error("the request was accepted");
  };

  test("each problem is named", () => {
    expect(refused({ id: "a", argv: ["true"], shell: "true", timeoutMs: 1 })).toContain("give exactly one of argv or shell");
    expect(refused({ id: "a", argv: ["true"] })).toContain("timeoutMs: a foreground job needs timeoutMs");
    expect(refused({ id: "../x", argv: ["true"], timeoutMs: 1 })).toContain("id: must be");
    expect(refused({ id: "a", argv: ["true"], timeoutMs: 1, cwd: "relative" })).toContain("cwd: must be an absolute path");
    expect(refused({ id: "a", argv: ["a\0b"], timeoutMs: 1 })).toContain("must not contain NUL bytes");
    expect(refused({ id: "a", argv: ["true"], timeoutMs: 1, cwd: "/no/such/folder" })).toBe(
      'Cannot use "/no/such/folder" as the working folder: no such folder',
    );
    expect(refused({ id: "a", argv: ["true"], timeoutMs: 1, netns: "labbroker-missing" })).toBe(
      'Cannot find network namespace "labbroker-missing"',
    );
  });
});
