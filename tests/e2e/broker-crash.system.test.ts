import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { adminFetch } from "../support/http.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VERSION } from "../../src/version.ts";
import { compiledBinary } from "../support/compiled-binary.ts";
import { brokerUrl, startLabbroker, stopAllProcesses } from "../support/processes.ts";

const TOKEN = "lbe_crash-test-enrollment-token";
const folder = mkdtempSync(join(tmpdir(), "labbroker-crash-"));
afterEach(stopAllProcesses);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function json(url: string, init: RequestInit = {}) {
  const response = await adminFetch(url, { ...init, headers: { "content-type": "application/json", ...init.headers } });
  return { status: response.status, body: response.status === 204 ? null : await response.json() };
}

describe("a broker killed with SIGKILL", () => {
  test("restarts with the same sessions, in the same order and states, and no duplicate", async () => {
    const binary = await compiledBinary();
    const args = ["broker", "--port", "0", "--host", "127.0.0.1", "--db", `file:${join(folder, "broker.db")}`, "--enroll-token", TOKEN];
    const first = startLabbroker(args, { binary });
    const url = await brokerUrl(first);
    for (const name of ["lab-a", "lab-b"]) {
      const registered = await json(`${url}/v1/agents/register`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ name, version: VERSION, runtimes: [{ name: "native", version: null }] }),
      });
      expect(registered.status).toBe(201);
    }
    const created: string[] = [];
    for (let index = 0; index < 6; index++) {
      const response = index % 2 === 0 ? await json(`${url}/session`, { method: "POST" }) : await json(`${url}/v1/sessions`, {
        method: "POST",
        body: JSON.stringify({ priority: 0 }),
        headers: { "idempotency-key": `job-${index}` },
      });
      created.push(response.body.session_id ?? response.body.id);
    }
    const before = (await json(`${url}/v1/sessions`)).body.items.map((
      item: { id: string; state: string; seq: number },
    ) => [item.id, item.state, item.seq]);
    expect(before.map(([, state]: string[]) => state)).toEqual(["active", "active", "waiting", "waiting", "waiting", "waiting"]);
    expect(before.map(([id]: string[]) => id)).toEqual(created);

    first.proc.kill("SIGKILL");
    await first.proc.exited;

    const second = startLabbroker(args, { binary });
    const restartedUrl = await brokerUrl(second);
    const after = (await json(`${restartedUrl}/v1/sessions`)).body.items.map((
      item: { id: string; state: string; seq: number },
    ) => [item.id, item.state, item.seq]);
    expect(after).toEqual(before);
    const retry = await json(`${restartedUrl}/v1/sessions`, { method: "POST", body: "{}", headers: { "idempotency-key": "job-1" } });
    expect(retry).toMatchObject({ status: 200, body: { id: created[1] } });
    const count = (await json(`${restartedUrl}/debug/health`)).body;
    expect(count).toMatchObject({ sessions: 6, queue_length: 4 });
    expect(second.logs.filter((line) => line.msg === "database migrated")).toEqual([]);
  }, 30_000);
});
