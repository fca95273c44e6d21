import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HistoryPruner } from "../../src/engine/retention/prune-history.ts";
import { runRetention } from "../../src/engine/retention/retention-loop.ts";
import { call, registerHost } from "../support/api-helpers.ts";
import { createTestApp, type TestApp } from "../support/test-broker.ts";

const DAY = 86_400_000;
let folder: string;
let broker: TestApp;
const agents = new Map<string, { agent_id: string; agent_token: string }>();

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), "labbroker-retention-"));
  broker = await createTestApp(
    { retentionMs: DAY, summaryRetentionMs: 10 * DAY, activeTimeoutMs: 100 * DAY },
    `file:${join(folder, "broker.db")}`,
  );
  for (const name of ["h1", "h2"]) agents.set(name, await registerHost(broker, name));
});
afterEach(async () => {
  await broker.close();
  rmSync(folder, { recursive: true, force: true });
});

/** A session pinned to `host` that runs `jobs` jobs, each with `outputBytes` of stdout reported by the agent. */
async function sessionWithJobs(host: string, jobs: number, outputBytes: number): Promise<string> {
  const session = (await call(broker, "POST", "/v1/sessions", { body: { requirements: [{ host }] } })).json as { id: string };
  const agent = agents.get(host)!;
  const headers = { authorization: `Bearer ${agent.agent_token}` };
  for (let index = 0; index < jobs; index++) {
    const job = (await call(broker, "POST", `/v1/sessions/${session.id}/jobs`, { body: { argv: ["cat", "big"], background: true } }))
      .json as { id: string };
    const { work } = (await call(broker, "POST", `/v1/agents/${agent.agent_id}/poll`, { headers, body: { running: [], wait_s: 0 } }))
      .json as { work: { id: string }[] };
    const stdout = `${index}`.padEnd(outputBytes, "x");
    const result = {
      id: job.id,
      state: "finished",
      exitCode: 0,
      signal: null,
      passed: true,
      stdout,
      stderr: "",
      truncated: { stdout: 0, stderr: 0 },
      timedOut: false,
      error: null,
    };
    const events = work.flatMap((item) => [
      { work_id: item.id, seq: 1, type: "output", stream: "stdout", text: stdout },
      { work_id: item.id, seq: 2, type: "result", ok: true, result },
    ]);
    expect((await call(broker, "POST", `/v1/agents/${agent.agent_id}/events`, { headers, body: { events } })).status).toBe(200);
  }
  return session.id;
}

async function count(sql: string, ...args: string[]): Promise<number> {
  return Number((await broker.db.client.execute({ sql, args })).rows[0]?.[0]);
}

const history = async (sessionId: string) => ({
  events: await count("SELECT count(*) FROM events WHERE session_id = ?", sessionId),
  output: await count("SELECT count(*) FROM work_output WHERE work_id IN (SELECT id FROM work_items WHERE session_id = ?)", sessionId),
  work: await count("SELECT count(*) FROM work_items WHERE session_id = ?", sessionId),
  jobs: await count("SELECT count(*) FROM jobs WHERE session_id = ?", sessionId),
  sessions: await count("SELECT count(*) FROM sessions WHERE id = ?", sessionId),
});

async function fileBytes(): Promise<number> {
  await broker.db.client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  return statSync(join(folder, "broker.db")).size;
}

test("raw history goes after the retention, summaries after the summary retention; a running session's history is never cut; the file shrinks", async () => {
  const live = await sessionWithJobs("h2", 3, 1_000);
  const old = await sessionWithJobs("h1", 40, 16_000);
  await call(broker, "DELETE", `/v1/sessions/${old}`);
  const liveBefore = await history(live);
  const oldBefore = await history(old);
  expect(oldBefore).toMatchObject({ jobs: 40, output: 40, work: 40, sessions: 1 });

  broker.clock.advance(DAY / 2);
  const recent = await sessionWithJobs("h1", 2, 1_000);
  await call(broker, "DELETE", `/v1/sessions/${recent}`);
  const recentBefore = await history(recent);
  broker.clock.advance(DAY / 2 + 60_000);

  const sizeBefore = await fileBytes();
  await runRetention(broker.ctx, new HistoryPruner(broker.ctx));
  expect(await history(old)).toEqual({ events: 0, output: 0, work: 0, jobs: 40, sessions: 1 });
  expect(await history(recent)).toEqual(recentBefore);
  expect(await history(live)).toEqual(liveBefore);
  expect(await fileBytes()).toBeLessThan(sizeBefore - 500_000);

  const job = (await call(broker, "GET", `/v1/sessions/${old}/jobs`)).json.items[0];
  expect(job).toMatchObject({ passed: true, exit_code: 0, stdout: null, output_deleted: true });
  const liveJob = (await call(broker, "GET", `/v1/sessions/${live}/jobs`)).json.items[0];
  expect(liveJob).toMatchObject({ output_deleted: false });
  expect(liveJob.stdout).toStartWith("0x");

  broker.clock.advance(9 * DAY);
  await runRetention(broker.ctx, new HistoryPruner(broker.ctx));
  expect(await history(old)).toEqual({ events: 0, output: 0, work: 0, jobs: 0, sessions: 0 });
  expect(await history(recent)).toEqual({ events: 0, output: 0, work: 0, jobs: 2, sessions: 1 });
  expect((await call(broker, "GET", `/v1/sessions/${old}`)).status).toBe(404);
  expect(await history(live)).toEqual(liveBefore);
  expect((await call(broker, "GET", `/v1/sessions/${live}`)).json.state).toBe("active");
});

test("a backlog larger than one batch is deleted over several commits, each small", async () => {
  const old = await sessionWithJobs("h1", 1, 10);
  await call(broker, "DELETE", `/v1/sessions/${old}`);
  const host = (await call(broker, "GET", "/v1/hosts/h1")).json as { id: string };
  // 1,200 host events (no session): several batches of 500.
  for (let index = 0; index < 1_200; index++) {
    await call(broker, "PATCH", `/v1/hosts/${host.id}`, { body: { labels: { round: String(index % 7) } } });
  }
  const commits: number[] = [];
  const realRun = broker.db.writer.run;
  broker.db.writer.run = async (statements) => {
    commits.push(statements.length);
    return realRun(statements);
  };
  broker.clock.advance(2 * DAY);
  await new HistoryPruner(broker.ctx).prune();
  expect(await count("SELECT count(*) FROM events WHERE at < ?", String(broker.clock.now() - DAY))).toBe(0);
  expect(commits.filter((statements) => statements === 1).length).toBeGreaterThanOrEqual(3);
});

test("an ended session's manifest is the same after raw retention (and after its host changed); it goes with the session", async () => {
  const old = await sessionWithJobs("h1", 2, 1_000);
  await call(broker, "POST", `/v1/sessions/${old}/results`, { body: { description: "reachability", result: "PASS" } });
  await call(broker, "DELETE", `/v1/sessions/${old}`);
  const before = await call(broker, "GET", `/v1/sessions/${old}/manifest`);
  expect(before.status).toBe(200);
  expect(before.json.jobs.map((job: { outcome: string; exit_code: number }) => [job.outcome, job.exit_code])).toEqual([["passed", 0], [
    "passed",
    0,
  ]]);

  const host = (await call(broker, "GET", "/v1/hosts/h1")).json as { id: string };
  await call(broker, "PATCH", `/v1/hosts/${host.id}`, { body: { labels: { upgraded: "yes" } } });
  broker.clock.advance(DAY + 60_000);
  await runRetention(broker.ctx, new HistoryPruner(broker.ctx));
  expect(await history(old)).toMatchObject({ events: 0, output: 0, work: 0, jobs: 2 });
  expect((await call(broker, "GET", `/v1/sessions/${old}/manifest`)).text).toBe(before.text);

  broker.clock.advance(10 * DAY);
  await runRetention(broker.ctx, new HistoryPruner(broker.ctx));
  expect((await call(broker, "GET", `/v1/sessions/${old}/manifest`)).status).toBe(404);
});
