import { afterEach, beforeEach, expect, test } from "bun:test";
import { recheckHostHealth } from "../../src/engine/hosts/recheck-host-health.ts";
import { updateHost } from "../../src/engine/hosts/update-host.ts";
import type { Host } from "../../src/engine/model.ts";
import { explainWait } from "../../src/engine/sessions/explain-wait.ts";
import { endSession } from "../../src/engine/sessions/end-session.ts";
import { recordAgentEvents } from "../../src/engine/work/record-agent-events.ts";
import { takeWork } from "../../src/engine/work/take-work.ts";
import { tick } from "../support/housekeeping-tick.ts";
import { createTestEngine, type TestEngine } from "../support/test-engine.ts";

let t: TestEngine;
beforeEach(async () => {
  t = await createTestEngine();
});
afterEach(() => t.close());

const DIRTY = {
  clean: false,
  gate: "full",
  checked: ["processes", "namespaces", "sysctls"],
  differences: [{ kind: "namespace", name: "stray", detail: "created", cleaned: false }],
};

/** The agent's side: takes the queued health checks and reports `result` for each. */
async function reportChecks(host: Host, result: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  const checks = (await takeWork(t.ctx, host, new Set())).filter((work) => work.kind === "health-check");
  await recordAgentEvents(t.ctx, host, checks.map((work) => ({ work_id: work.id, seq: 1, type: "result" as const, ok: true, result })));
  return checks.map((work) => work.payload);
}

test("a gated host is checked after each session and takes no session until the check passes", async () => {
  const host = await t.addHost("gated", { inventory: { health_gate: "full" } });
  const first = await t.requestSession([{ host: "gated" }]);
  await endSession(t.ctx, first.id, "released");
  const second = await t.requestSession([{ host: "gated" }]);
  expect(host.healthState).toBe("checking");
  expect(second.state).toBe("waiting");
  expect(explainWait(t.ctx, second).reason).toBe("matching hosts are being health-checked after their last session");

  const payloads = await reportChecks(host, { clean: true, gate: "full", checked: [], differences: [] });
  expect(payloads).toEqual([{ mode: "check", reason: "session-ended", session_id: first.id, host_wide: true }]);
  expect(host.healthState).toBe("healthy");
  expect(second.state).toBe("active");
});

test("an unhealthy host keeps its report and no session until an admin clears it, which re-baselines the agent", async () => {
  const host = await t.addHost("gated", { inventory: { health_gate: "processes" } });
  const first = await t.requestSession([{ host: "gated" }]);
  await endSession(t.ctx, first.id, "expired");
  await reportChecks(host, DIRTY);
  expect(host.healthState).toBe("unhealthy");
  expect(host.healthReport).toMatchObject({ ...DIRTY, reason: "session-ended", session_id: first.id });

  const second = await t.requestSession([{ host: "gated" }]);
  expect(explainWait(t.ctx, second).reason).toBe("matching hosts are unhealthy");
  await tick(t, 1_000);
  expect(second.state).toBe("waiting");

  await updateHost(t.ctx, "gated", { health: "clear" });
  expect(host.healthState).toBe("healthy");
  expect(second.state).toBe("active");
  expect((await takeWork(t.ctx, host, new Set())).map((work) => [work.kind, work.payload.mode])).toEqual([["health-check", "baseline"]]);
});

test("a re-check that passes makes an unhealthy host healthy; one that still finds differences keeps it unhealthy", async () => {
  const host = await t.addHost("gated", { inventory: { health_gate: "full" } });
  const first = await t.requestSession([{ host: "gated" }]);
  await endSession(t.ctx, first.id, "released");
  await reportChecks(host, DIRTY);
  const second = await t.requestSession([{ host: "gated" }]);

  await recheckHostHealth(t.ctx, "gated");
  expect(await reportChecks(host, DIRTY)).toEqual([{ mode: "check", reason: "requested", session_id: null, host_wide: true }]);
  expect(host.healthState).toBe("unhealthy");

  await recheckHostHealth(t.ctx, "gated");
  await reportChecks(host, { clean: true, gate: "full", checked: [], differences: [] });
  expect(host.healthState).toBe("healthy");
  expect(second.state).toBe("active");
});

test("a check that fails on the agent leaves the host unhealthy with the error", async () => {
  const host = await t.addHost("gated", { inventory: { health_gate: "full" } });
  await endSession(t.ctx, (await t.requestSession([{ host: "gated" }])).id, "released");
  const [check] = await takeWork(t.ctx, host, new Set());
  await recordAgentEvents(t.ctx, host, [{ work_id: check!.id, seq: 1, type: "result", ok: false, error: "ip -j link show timed out" }]);
  expect(host.healthState).toBe("unhealthy");
  expect(host.healthReport).toMatchObject({ clean: false, error: "ip -j link show timed out" });
});

test("with several sessions on a host, only the check after the last one looks host-wide", async () => {
  const host = await t.addHost("shared", { inventory: { health_gate: "full" }, capacity: 2 });
  const [a, b] = [await t.requestSession([{ host: "shared" }]), await t.requestSession([{ host: "shared" }])];
  await endSession(t.ctx, a.id, "released");
  expect((await reportChecks(host, { clean: true, gate: "full", checked: [], differences: [] }))[0]).toMatchObject({
    session_id: a.id,
    host_wide: false,
  });
  await endSession(t.ctx, b.id, "released");
  expect((await reportChecks(host, { clean: true, gate: "full", checked: [], differences: [] }))[0]).toMatchObject({
    session_id: b.id,
    host_wide: true,
  });
});

test("hosts whose agent runs no gate are handed on at once, and cannot be re-checked", async () => {
  const host = await t.addHost("plain");
  const first = await t.requestSession([{ host: "plain" }]);
  await endSession(t.ctx, first.id, "released");
  expect(host.healthState).toBe("healthy");
  expect((await t.requestSession([{ host: "plain" }])).state).toBe("active");
  await expect(recheckHostHealth(t.ctx, "plain")).rejects.toThrow('The agent of host "plain" runs no health gate');
});

test("periodic checks run on idle healthy hosts when due, by the injected clock", async () => {
  const host = await t.addHost("gated", { inventory: { health_gate: "full" } });
  await updateHost(t.ctx, "gated", { healthCheckEveryS: 600 });
  await tick(t, 0);
  expect(await reportChecks(host, { clean: true, gate: "full", checked: [], differences: [] })).toEqual([{
    mode: "check",
    reason: "periodic",
    session_id: null,
    host_wide: true,
  }]);
  await tick(t, 599_000);
  expect(host.healthState).toBe("healthy");
  await tick(t, 1_000);
  expect(host.healthState).toBe("checking");
});
