import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VERSION } from "../src/version.ts";
import { http } from "./support/http.ts";
import { eventually } from "./support/wait-for.ts";
import { brokerUrl, startLabbroker, stopAllProcesses } from "./support/processes.ts";
import { runCliCaptured } from "./support/run-cli-in-process.ts";

const folder = mkdtempSync(join(tmpdir(), "labbroker-enroll-token-"));
afterAll(async () => {
  await stopAllProcesses();
  rmSync(folder, { recursive: true, force: true });
});

const register = (url: string, token: string, name: string) =>
  http("POST", `${url}/v1/agents/register`, { name, version: VERSION, runtimes: [{ name: "native", version: null }] }, {
    authorization: `Bearer ${token}`,
  });

describe("labbroker enroll-token rotate", () => {
  test("replaces the token a running broker printed once: the new one enrolls agents at once, the old one no longer", async () => {
    const db = `file:${join(folder, "broker.db")}`;
    const broker = startLabbroker(["broker", "--port", "0", "--host", "127.0.0.1", "--db", db]);
    const url = await brokerUrl(broker);
    const printed = await eventually(async () => /^\s+(lbe_\S+)$/m.exec(broker.stdout())?.[1], "the generated token on stdout");
    expect((await register(url, printed, "before-rotation")).status).toBe(201);

    const rotated = await runCliCaptured(["enroll-token", "rotate", "--db", db]);
    expect(rotated.code).toBe(0);
    const token = rotated.stdout.trim();
    expect(token).toMatch(/^lbe_\S{40,}$/);
    expect(rotated.stderr).toContain("the previous one no longer enrolls agents");

    expect((await register(url, printed, "old-token")).status).toBe(401);
    expect((await register(url, token, "new-token")).status).toBe(201);
  });

  test("anything but rotate is a usage error", async () => {
    const shown = await runCliCaptured(["enroll-token", "show", "--db", `file:${join(folder, "other.db")}`]);
    expect(shown.code).toBe(2);
    expect(shown.stderr).toContain('expected "rotate", got "show"');
  });
});
