import { expect, test } from "bun:test";
import { CommandFailedError, runChecked, runCommand, startCommand } from "../../src/hosts/command-runner.ts";
import { liveGroupMembers } from "../support/host-processes.ts";
import { waitFor } from "../support/wait-for.ts";

test("a command that dies of a signal nobody sent reads as 128+n, never as success", async () => {
  const result = await runCommand(["sh", "-c", "kill -SEGV $$"], { timeoutMs: 5_000 });
  expect(result).toMatchObject({ code: 139, signal: null, stderr: "" });
});

test("the timeout kills the whole process group and says which signal ended it", async () => {
  const result = await runCommand(["sh", "-c", "sleep 600 & wait"], { timeoutMs: 200 });
  expect(result).toMatchObject({ code: 137, signal: "SIGKILL", timedOut: true });
  expect(liveGroupMembers(result.pid!)).toEqual([]);
});

test("startCommand exposes the pid, streams lines and kills the group on request", async () => {
  const lines: string[] = [];
  const command = startCommand(["sh", "-c", "echo up; sleep 600"], { timeoutMs: 10_000, onLine: (stream, line) => lines.push(`${stream}:${line}`) });
  await waitFor(() => lines.length === 1, "the first line");
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
