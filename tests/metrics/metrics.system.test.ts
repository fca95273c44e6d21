import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runHousekeeping } from "../../src/engine/housekeeping.ts";
import { call, registerHost } from "../support/api-helpers.ts";
import { prometheusParserMissing, Scrape } from "../support/prometheus.ts";
import { createTestApp, type TestApp } from "../support/test-broker.ts";

let broker: TestApp;
let agent: { agent_id: string; agent_token: string };
beforeEach(async () => {
  broker = await createTestApp({ agentOfflineAfterMs: 60_000 });
  agent = await registerHost(broker, "lab-1");
});
afterEach(async () => {
  await broker.close();
});

const TINY = "name: tiny\ntopology:\n  nodes:\n    a: {kind: linux}\n";

async function scrape(): Promise<Scrape> {
  const response = await broker.app.request("/metrics");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toStartWith("text/plain; version=0.0.4");
  return new Scrape(await response.text());
}

/** Plays the agent: takes the queued work and reports each item with `result`. */
async function agentReports(result: (kind: string) => { ok: boolean; result?: unknown; error?: string }) {
  const headers = { authorization: `Bearer ${agent.agent_token}` };
  const { work } = (await call(broker, "POST", `/v1/agents/${agent.agent_id}/poll`, { headers, body: { running: [], wait_s: 0 } }))
    .json as {
      work: { id: string; kind: string }[];
    };
  const events = work.map((item) => ({ work_id: item.id, seq: 1, type: "result", ...result(item.kind) }));
  await call(broker, "POST", `/v1/agents/${agent.agent_id}/events`, { headers, body: { events } });
  return work.map((item) => item.kind);
}

const parserMissing = prometheusParserMissing();
if (parserMissing) test.skip(`GET /metrics (skipped: ${parserMissing})`, () => {});

describe.skipIf(parserMissing !== null)("GET /metrics", () => {
  test("sessions, queue depth, wait and hold times, busy seconds and end reasons follow the queue", async () => {
    const first = (await call(broker, "POST", "/v1/sessions", { body: {} })).json as { id: string };
    broker.clock.advance(5_000);
    const second = (await call(broker, "POST", "/v1/sessions", { body: {} })).json as { id: string; state: string };
    expect(second.state).toBe("waiting");

    let metrics = await scrape();
    expect(metrics.type("labbroker_host_busy_seconds")).toBe("counter");
    expect([metrics.value("labbroker_sessions", { state: "active" }), metrics.value("labbroker_sessions", { state: "waiting" })]).toEqual([
      1,
      1,
    ]);
    expect(metrics.value("labbroker_queue_depth", { pool: "any host" })).toBe(1);
    expect(metrics.value("labbroker_hosts", { state: "online" })).toBe(1);
    expect(metrics.value("labbroker_host_busy_seconds_total", { host: "lab-1" })).toBe(5);

    broker.clock.advance(25_000);
    await call(broker, "DELETE", `/v1/sessions/${first.id}`);
    metrics = await scrape();
    expect(metrics.value("labbroker_sessions_ended_total", { reason: "released" })).toBe(1);
    expect(metrics.histogram("labbroker_session_duration_seconds", { reason: "released" })).toEqual({ count: 1, sum: 30 });
    // The first waited 0 s, the second 25 s, behind the first.
    expect(metrics.histogram("labbroker_session_wait_seconds")).toEqual({ count: 2, sum: 25 });
    expect(metrics.value("labbroker_queue_depth", { pool: "any host" })).toBe(0);
    expect(metrics.value("labbroker_host_busy_seconds_total", { host: "lab-1" })).toBe(30);

    broker.clock.advance(10_000);
    metrics = await scrape();
    expect(metrics.value("labbroker_host_busy_seconds_total", { host: "lab-1" })).toBe(40);
    expect(metrics.value("labbroker_agent_last_seen_age_seconds", { host: "lab-1" })).toBe(40);
  });

  test("lab deploys and destroys are timed by runtime, failures counted, jobs counted by outcome", async () => {
    const session = (await call(broker, "POST", "/v1/sessions", { body: {} })).json as { id: string };
    const lab = (await call(broker, "POST", "/v1/labs", { body: { session_id: session.id, topology: TINY } })).json as {
      id: string;
      instance_name: string;
    };
    broker.clock.advance(2_000);
    expect(await agentReports(() => ({ ok: true, result: { nodes: [] } }))).toEqual(["deploy-lab"]);

    const job = await call(broker, "POST", `/v1/sessions/${session.id}/jobs`, { body: { role: "m1", argv: ["true"], background: true } });
    expect(job.status).toBe(202);
    broker.clock.advance(1_000);
    await agentReports(() => ({
      ok: true,
      result: { id: job.json.id, state: "finished", passed: false, exitCode: 1, signal: null, timedOut: true, error: null },
    }));

    await call(broker, "DELETE", `/v1/labs/${lab.id}`);
    broker.clock.advance(3_000);
    await agentReports(() => ({ ok: true, result: { destroyed: lab.instance_name } }));

    const again = (await call(broker, "POST", "/v1/labs", { body: { session_id: session.id, topology: TINY.replace("tiny", "tiny2") } }))
      .json as { id: string };
    await agentReports(() => ({ ok: false, error: "the namespace could not be created" }));
    expect((await call(broker, "GET", `/v1/labs/${again.id}`)).json.state).toBe("failed");

    const metrics = await scrape();
    expect(metrics.histogram("labbroker_lab_deploy_seconds", { runtime: "native", outcome: "running" })).toEqual({ count: 1, sum: 2 });
    expect(metrics.histogram("labbroker_lab_deploy_seconds", { runtime: "native", outcome: "failed" })).toEqual({ count: 1, sum: 0 });
    expect(metrics.histogram("labbroker_lab_destroy_seconds", { runtime: "native" })).toEqual({ count: 1, sum: 3 });
    expect(metrics.value("labbroker_lab_failures_total", { runtime: "native" })).toBe(1);
    expect(metrics.value("labbroker_jobs_finished_total", { outcome: "timed_out" })).toBe(1);
    expect(metrics.histogram("labbroker_work_seconds", { kind: "run-job", ok: "true" })).toEqual({ count: 1, sum: 1 });
    expect(metrics.histogram("labbroker_work_seconds", { kind: "deploy-lab", ok: "false" }).count).toBe(1);
  });

  test("hosts by state, requests by route pattern and status, commits and the database size", async () => {
    broker.clock.advance(61_000);
    await runHousekeeping(broker.ctx);
    await call(broker, "GET", "/v1/sessions/no-such-session");
    await call(broker, "GET", "/no/such/path");
    const metrics = await scrape();
    expect([metrics.value("labbroker_hosts", { state: "online" }), metrics.value("labbroker_hosts", { state: "offline" })]).toEqual([0, 1]);
    expect(metrics.histogram("labbroker_http_request_duration_seconds", { method: "GET", route: "/v1/sessions/:id", status: "404" }).count)
      .toBe(1);
    expect(metrics.histogram("labbroker_http_request_duration_seconds", { method: "GET", route: "unmatched", status: "404" }).count).toBe(
      1,
    );
    expect(
      metrics.histogram("labbroker_http_request_duration_seconds", { method: "POST", route: "/v1/agents/register", status: "201" }).count,
    ).toBe(1);
    expect(metrics.histogram("labbroker_db_commit_seconds").count).toBeGreaterThan(0);
    expect(metrics.value("labbroker_db_commit_failures_total")).toBe(0);
    expect(metrics.value("labbroker_database_size_bytes")).toBeGreaterThan(0);
  });
});

test("every metric the example Grafana dashboard and alert rules use is one the broker serves", async () => {
  const text = await (await broker.app.request("/metrics")).text();
  const served = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]!));
  const folder = join(import.meta.dir, "../../examples/monitoring");
  const used = new Set(
    ["grafana-dashboard.json", "alert-rules.yml"].flatMap((file) =>
      [...readFileSync(join(folder, file), "utf8").matchAll(/\blabbroker_[a-z_]+/g)].map((match) => match[0])
    ),
  );
  expect(used.size).toBeGreaterThan(10);
  const unknown = [...used].filter((name) => !served.has(name) && !served.has(name.replace(/_(bucket|count|sum)$/, "")));
  expect(unknown).toEqual([]);
});
