import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LabBroker } from "../../src/client/broker.ts";
import { topologyFileHash } from "../../src/client/lab-files.ts";
import { useLab } from "../../src/client/testing.ts";
import { warmLabHash } from "../../src/client/warm-lab.ts";
import type { Host } from "../../src/engine/model.ts";
import { recordAgentEvents } from "../../src/engine/work/record-agent-events.ts";
import { takeWork } from "../../src/engine/work/take-work.ts";
import { sha256Hex } from "../../src/sha256.ts";
import { registerHost } from "../support/api-helpers.ts";
import { eventually } from "../support/wait-for.ts";
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from "../support/test-broker.ts";

const TTL_MS = 600_000;
const TOPOLOGY = "name: warmsdk\ntopology:\n  nodes:\n    a: { kind: linux }\n";
const NODES = [{ name: "a", kind: "linux", state: "running", mgmtIpv4: null, mgmtIpv6: null, raw: {} }];

let t: TestApp;
let broker: LabBroker;
let host: Host;
let folder: string;
beforeEach(async () => {
  t = await createTestApp({ warmLabTtlMs: TTL_MS });
  await registerHost(t, "sdk-warm-host");
  host = [...t.ctx.state.hosts.all()].find((candidate) => candidate.name === "sdk-warm-host")!;
  broker = new LabBroker({
    url: "http://broker.test",
    token: TEST_ADMIN_TOKEN,
    fetch: async (input, init) => await t.app.request(input, init),
  });
  folder = mkdtempSync(join(tmpdir(), "labbroker-sdk-warm-"));
});
afterEach(async () => {
  await t.close();
  rmSync(folder, { recursive: true, force: true });
});

/** The agent's side, through the engine: runs the host's queued work (deploys, resets) successfully; returns the kinds. */
async function agentRuns(): Promise<string[]> {
  const work = await takeWork(t.ctx, host, new Set());
  await recordAgentEvents(
    t.ctx,
    host,
    work.map((item) => ({ work_id: item.id, seq: 1, type: "result" as const, ok: true, result: { nodes: NODES } })),
  );
  return work.map((item) => item.kind);
}

/** Runs the host's work once some is queued (the SDK call waiting on it runs meanwhile). */
function agentRunsOnceQueued(): Promise<string[]> {
  return eventually(async () => {
    const kinds = await agentRuns();
    return kinds.length > 0 && kinds;
  }, "work queued for the host");
}

test("warmLab takes topology content (text or bytes), a hash, or a file's hash, all as the broker hashes the uploaded topology", () => {
  const path = join(folder, "warm.clab.yml");
  writeFileSync(path, TOPOLOGY);
  const hash = sha256Hex(new TextEncoder().encode(TOPOLOGY));
  expect(warmLabHash(TOPOLOGY)).toBe(hash);
  expect(warmLabHash(new TextEncoder().encode(TOPOLOGY))).toBe(hash);
  expect(warmLabHash({ sha256: hash })).toBe(hash);
  expect(topologyFileHash(path)).toEqual({ sha256: hash });
  expect(() => topologyFileHash(join(folder, "missing.yml"))).toThrow(`Topology file "${join(folder, "missing.yml")}" does not exist`);
});

test("a session's warmLab is sent as the requirement's warm_lab; a keepWarm lab says so, and once its session ends it is warm until its time to live", async () => {
  const session = await broker.session({ hosts: { m1: { warmLab: TOPOLOGY, labels: {} } } });
  expect(session.view.requirements).toEqual([expect.objectContaining({ role: "m1", warm_lab: warmLabHash(TOPOLOGY) })]);

  const deploying = session.lab(TOPOLOGY, { fileName: "warm.clab.yml", keepWarm: true, timeoutS: 10 });
  expect(await agentRunsOnceQueued()).toEqual(["deploy-lab"]);
  const lab = await deploying;
  expect([lab.state, lab.keepWarm, lab.warmUntil, lab.view.topology_hash]).toEqual(["running", true, null, warmLabHash(TOPOLOGY)]);

  await session.end();
  const warm = await broker.lab(lab.id);
  expect([warm.state, warm.keepWarm, warm.warmUntil]).toEqual(["resetting", true, new Date(t.clock.now() + TTL_MS)]);
});

test("useLab passes keepWarm through, asks for a host holding a warm lab of its topology, and at the end releases the lab to go warm instead of destroying it", async () => {
  const hooks: { before?: () => Promise<void>; after?: () => Promise<void> } = {};
  const fixture = useLab({ beforeAll: (fn) => (hooks.before = fn), afterAll: (fn) => (hooks.after = fn) }, {
    broker,
    env: {},
    topology: TOPOLOGY,
    fileName: "warm.clab.yml",
    keepWarm: true,
  });
  const setUp = hooks.before!();
  expect(await agentRunsOnceQueued()).toEqual(["deploy-lab"]);
  await setUp;
  expect(fixture.session.view.requirements).toEqual([expect.objectContaining({ role: "m1", warm_lab: warmLabHash(TOPOLOGY) })]);
  expect(fixture.lab.keepWarm).toBe(true);
  const labId = fixture.lab.id;

  await hooks.after!();
  const after = await broker.lab(labId);
  expect([after.state, after.view.holders, after.warmUntil]).toEqual(["resetting", [], new Date(t.clock.now() + TTL_MS)]);
  expect(await agentRuns()).toEqual(["reset-lab"]);
});
