import { afterEach, beforeEach, expect, test } from "bun:test";
import { acquireLab } from "../../src/engine/labs/acquire-lab.ts";
import { releaseLab } from "../../src/engine/labs/lab-actions.ts";
import { sha256Hex } from "../../src/sha256.ts";
import type { Lab } from "../../src/engine/labs/lab.ts";
import type { EngineSettings } from "../../src/engine/context.ts";
import type { Host, Session } from "../../src/engine/model.ts";
import { endSession } from "../../src/engine/sessions/end-session.ts";
import { recordAgentEvents } from "../../src/engine/work/record-agent-events.ts";
import { takeWork } from "../../src/engine/work/take-work.ts";
import type { RuntimeName } from "../../src/protocol/runtimes.ts";
import { tick } from "../support/housekeeping-tick.ts";
import { createTestEngine, type TestEngine } from "../support/test-engine.ts";

const TTL_MS = 600_000;
const topology = (name: string) => new TextEncoder().encode(`name: ${name}\ntopology:\n  nodes:\n    a: { kind: linux }\n`);
const NODES = [{ name: "a", kind: "linux", state: "running", mgmtIpv4: null, mgmtIpv6: null, raw: {} }];

let t: TestEngine;
async function start(settings: Partial<EngineSettings> = {}) {
  t = await createTestEngine({ warmLabTtlMs: TTL_MS, activeTimeoutMs: 3_600_000, ...settings });
}
beforeEach(() => start());
afterEach(() => t.close());

function deploy(session: Session, name: string, options: { keepWarm?: boolean; runtime?: RuntimeName } = {}) {
  return acquireLab(t.ctx, {
    session,
    role: null,
    upload: { topologyFile: `${name}.clab.yml`, topology: topology(name), extraFiles: [] },
    runtime: options.runtime ?? null,
    reuse: false,
    remoteLab: false,
    keepWarm: options.keepWarm ?? true,
  });
}

/** The agent's side: takes the host's queued work and reports each item done (or `failed` for the kinds named); returns the kinds. */
async function agentRuns(host: Host, failed: string[] = []): Promise<string[]> {
  const work = await takeWork(t.ctx, host, new Set());
  await recordAgentEvents(
    t.ctx,
    host,
    work.map((item) =>
      failed.includes(item.kind)
        ? { work_id: item.id, seq: 1, type: "result" as const, ok: false, error: "link eth1 of node a is gone" }
        : { work_id: item.id, seq: 1, type: "result" as const, ok: true, result: resultOf(item) }
    ),
  );
  return work.map((item) => item.kind);
}

/** What a real agent reports for each kind (the protocol's result shapes). */
function resultOf(item: { kind: string; payload: unknown }): Record<string, unknown> {
  if (item.kind === "destroy-lab") return { destroyed: (item.payload as { instance_name: string }).instance_name };
  return { nodes: NODES };
}

/** A session on `host` that deploys `name` and ends; returns the lab once the agent has run what the end queued. */
async function warmLabOf(host: Host, name: string, options: { keepWarm?: boolean; runtime?: RuntimeName } = {}): Promise<Lab> {
  const session = await t.requestSession([{ host: host.name }]);
  const { lab } = await deploy(session, name, options);
  expect(await agentRuns(host)).toEqual(["deploy-lab"]);
  await endSession(t.ctx, session.id, "released");
  return lab;
}

test("a keep_warm lab is reset instead of destroyed when its session ends, and the next session with the same content takes it without a deploy", async () => {
  const host = await t.addHost("h1");
  const lab = await warmLabOf(host, "warm");
  expect(lab).toMatchObject({ state: "resetting", holders: [], warmUntil: t.clock.now() + TTL_MS });
  expect(await agentRuns(host)).toEqual(["reset-lab"]);
  expect(lab.state).toBe("running");

  const next = await t.requestSession([{ host: "h1" }]);
  const { lab: taken, reused } = await deploy(next, "warm", { keepWarm: false });
  expect(reused).toBe(true);
  expect(taken).toBe(lab);
  expect(taken).toMatchObject({ holders: [next.id], warmUntil: null, keepWarm: false });
  expect(await takeWork(t.ctx, host, new Set())).toEqual([]);

  // Taken without keep_warm: destroyed when that session ends.
  await endSession(t.ctx, next.id, "released");
  expect(lab.state).toBe("stopping");
  expect(await agentRuns(host)).toEqual(["destroy-lab"]);
});

test("a warm lab nobody takes is destroyed once its time to live has passed, not before", async () => {
  const host = await t.addHost("h1");
  const lab = await warmLabOf(host, "warm");
  await agentRuns(host);
  await tick(t, TTL_MS - 1);
  expect(lab.state).toBe("running");
  await tick(t, 1);
  expect(lab).toMatchObject({ state: "stopping", warmUntil: null });
  const [destroy] = await takeWork(t.ctx, host, new Set());
  expect(destroy).toMatchObject({
    kind: "destroy-lab",
    payload: { reason: "warm longer than --warm-lab-ttl without a session taking it" },
  });
});

test("a host keeps at most --warm-labs-per-host warm labs: the oldest goes first", async () => {
  await t.close();
  await start({ warmLabsPerHost: 1 });
  const host = await t.addHost("big", { capacity: 3 });
  const first = await warmLabOf(host, "first");
  await agentRuns(host);
  t.clock.advance(1000);
  const second = await warmLabOf(host, "second");
  expect(second.state).toBe("resetting");
  expect(first.state).toBe("stopping");
  expect(await agentRuns(host)).toEqual(["reset-lab", "destroy-lab"]);
});

test("warm labs count as labs the host runs: a deploy that needs the room destroys the oldest warm lab", async () => {
  const host = await t.addHost("pair", { capacity: 2 });
  const older = await warmLabOf(host, "older");
  await agentRuns(host);
  t.clock.advance(1000);
  const newer = await warmLabOf(host, "newer");
  await agentRuns(host);
  expect([older.state, newer.state]).toEqual(["running", "running"]);

  const session = await t.requestSession([{ host: "pair" }]);
  const { lab } = await deploy(session, "other");
  expect(lab.state).toBe("deploying");
  expect([older.state, newer.state]).toEqual(["stopping", "running"]);
});

test("labs without keep_warm, labs of a runtime that cannot reset (with a note) and labs of a broker that keeps none are destroyed", async () => {
  const host = await t.addHost("h1", { runtimes: ["native", "containerlab"] });
  expect((await warmLabOf(host, "plain", { keepWarm: false })).state).toBe("stopping");
  await agentRuns(host);
  const clab = await warmLabOf(host, "clab", { runtime: "containerlab" });
  expect(clab.state).toBe("stopping");
  expect(clab.notes).toEqual([
    "keep_warm: containerlab labs cannot be reset to their deployed baseline, so this one is destroyed when no session holds it",
  ]);

  await t.close();
  await start({ warmLabsPerHost: 0 });
  expect((await warmLabOf(await t.addHost("h2"), "none")).state).toBe("stopping");
});

test("a lab whose reset fails is failed with the agent's reason and destroyed", async () => {
  const host = await t.addHost("h1");
  const lab = await warmLabOf(host, "warm");
  await agentRuns(host, ["reset-lab"]);
  expect(lab.state).toBe("stopping");
  const events = await t.ctx.events.readSince(t.ctx.orm, { labId: lab.id }, 0, 100);
  expect(events.find((event) => event.type === "lab.failed")?.data).toMatchObject({
    error: "reset to the deployed baseline failed: link eth1 of node a is gone",
  });
  expect(await agentRuns(host)).toEqual(["destroy-lab"]);
});

test("among free hosts, a session naming a topology gets the one holding a warm lab of it; others keep the usual order", async () => {
  const a = await t.addHost("a");
  const b = await t.addHost("b");
  await warmLabOf(b, "warm");
  await agentRuns(b);
  expect(a.holders.size + b.holders.size).toBe(0);

  const plain = await t.requestSession([{}]);
  expect(t.assignedNames(plain.id)).toEqual({ m1: "a" });
  await endSession(t.ctx, plain.id, "released");
  const wanting = await t.requestSession([{ warmLab: sha256Hex(topology("warm")) }]);
  expect(t.assignedNames(wanting.id)).toEqual({ m1: "b" });
});

test("a keep_warm lab a session took and released goes warm when that session ends; one without keep_warm stays idle as a Remote Lab release leaves it", async () => {
  const host = await t.addHost("h1");
  const lab = await warmLabOf(host, "warm");
  await agentRuns(host);

  const taker = await t.requestSession([{ host: "h1" }]);
  await deploy(taker, "warm", { keepWarm: true });
  await releaseLab(t.ctx, lab, taker.id, "all");
  expect(lab).toMatchObject({ state: "running", holders: [], warmUntil: null });
  t.clock.advance(5000);
  await endSession(t.ctx, taker.id, "released");
  expect(lab).toMatchObject({ state: "resetting", holders: [], warmUntil: t.clock.now() + TTL_MS });
  expect(await agentRuns(host)).toEqual(["reset-lab"]);

  const plain = await t.requestSession([{ host: "h1" }]);
  await deploy(plain, "warm", { keepWarm: false });
  await releaseLab(t.ctx, lab, plain.id, "all");
  await endSession(t.ctx, plain.id, "released");
  expect(lab).toMatchObject({ state: "running", holders: [], warmUntil: null, keepWarm: false });
  expect(await takeWork(t.ctx, host, new Set())).toEqual([]);
});
