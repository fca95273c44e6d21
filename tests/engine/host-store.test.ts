import { afterEach, expect, test } from "bun:test";
import { HostChangeStore } from "../../src/engine/devices/host-change-store.ts";
import { HostStore } from "../../src/engine/hosts/host-store.ts";
import type { Host } from "../../src/engine/model.ts";
import { createTestEngine, type TestEngine } from "../support/test-engine.ts";

let t: TestEngine;
afterEach(() => t?.close());

/** A host as the database keeps it: without what only memory knows. */
function stored(host: Host) {
  const { holders: _holders, pollsHeld: _polls, pendingAgentToken: _token, rotateAgain: _again, ...row } = host;
  return row;
}

test("what the verbs return, once committed, rebuilds the hosts the verbs left in memory", async () => {
  t = await createTestEngine();
  const host = await t.addHost("solo");
  const { hosts } = t.ctx.state;
  await t.ctx.journal.write([
    hosts.setInventory(host, [{ name: "containerlab", version: "0.60" }], { health_gate: "full" }),
    hosts.administer(host, {
      adminLabels: { site: "lab2" },
      adminCapacity: 3,
      draining: true,
      maintenance: false,
      adminReason: "cabling",
      adminReasonBy: "ops",
      adminReasonAt: 5,
      healthCheckEveryS: 60,
    }),
    hosts.setHealth(host, "unhealthy", { clean: false }, 6),
    hosts.goOffline(host),
  ]);
  expect(host).toMatchObject({ online: false, draining: true, adminLabels: { site: "lab2" }, healthState: "unhealthy" });
  const reloaded = await HostStore.load(t.db.orm, 0);
  expect(stored(reloaded.byName("solo")!)).toEqual(stored(host));
  expect([...reloaded.all()].map((each) => each.id)).toEqual([host.id]);
});

test("a sign of life stays in memory until the flush; an offline host's is not written, going offline writes its own", async () => {
  t = await createTestEngine();
  const host = await t.addHost("solo");
  const { hosts } = t.ctx.state;
  hosts.flushLastSeen();
  hosts.touch(host, 1_000);
  const flushed = hosts.flushLastSeen();
  expect(flushed).toHaveLength(1);
  expect(hosts.flushLastSeen()).toEqual([]);
  await t.ctx.journal.write(flushed);
  expect((await HostStore.load(t.db.orm, 0)).get(host.id)!.lastSeenAt).toBe(1_000);

  hosts.touch(host, 2_000);
  await t.ctx.journal.write([hosts.goOffline(host)]);
  hosts.pollStarted(host);
  hosts.pollEnded(host, 3_000);
  expect(hosts.flushLastSeen()).toEqual([]);
  expect(host).toMatchObject({ lastSeenAt: 3_000, pollsHeld: 0 });
  expect((await HostStore.load(t.db.orm, 0)).get(host.id)).toMatchObject({ online: false, lastSeenAt: 2_000 });
});

test("a credential offered while the agent may hold the previous offer waits until the agent uses that one", async () => {
  t = await createTestEngine();
  const host = await t.addHost("solo");
  const { hosts } = t.ctx.state;
  const current = host.agentTokenHash;
  await t.ctx.journal.write([hosts.rotateCredential(host)!]);
  const offered = host.pendingAgentTokenHash;
  expect(offered).not.toBeNull();
  expect(hosts.rotateCredential(host)).toBeNull();
  expect(host).toMatchObject({ agentTokenHash: current, pendingAgentTokenHash: offered, rotateAgain: true });

  await t.ctx.journal.write([hosts.adoptOfferedCredential(host), hosts.rotateCredential(host)!]);
  expect(host).toMatchObject({ agentTokenHash: offered, rotateAgain: false });
  expect(host.pendingAgentTokenHash).not.toBe(offered);
  expect((await HostStore.load(t.db.orm, 0)).get(host.id)).toMatchObject({
    agentTokenHash: offered,
    pendingAgentTokenHash: host.pendingAgentTokenHash,
    pendingAgentToken: null,
  });

  await t.ctx.journal.write([hosts.allowReenrollment(host)]);
  expect(host).toMatchObject({ agentTokenHash: "", pendingAgentTokenHash: null, pendingAgentToken: null });
});

test("the queue hears of a new host and of changed labels or runtimes, not of other changes", async () => {
  t = await createTestEngine();
  const host = await t.addHost("solo");
  const { hosts } = t.ctx.state;
  let heard = 0;
  hosts.onMatchChanged(() => heard++);
  hosts.setHealth(host, "checking", null, null);
  const { adminLabels, adminCapacity, maintenance, adminReason, adminReasonBy, adminReasonAt, healthCheckEveryS } = host;
  const admin = { adminLabels, adminCapacity, draining: true, maintenance, adminReason, adminReasonBy, adminReasonAt, healthCheckEveryS };
  hosts.administer(host, admin);
  expect(heard).toBe(0);
  hosts.administer(host, { ...admin, adminLabels: { nic: "mlx5" } });
  hosts.setInventory(host, host.runtimes, {});
  hosts.enroll({ ...host, id: "other", name: "other", holders: new Set() }, host);
  expect(heard).toBe(3);
});

test("device changes are kept per session until restored, and numbered on after a reload", async () => {
  t = await createTestEngine();
  const changes = t.ctx.state.hostChanges;
  const change = (sessionId: string, restored = false) => ({
    sessionId,
    hostId: "h",
    undo: { action: "remove-device", device: "lbt0" },
    operation: null,
    workId: null,
    restored,
    createdAt: 1,
  });
  await t.ctx.journal.write([changes.record(change("s1")), changes.record(change("s1")), changes.record(change("gone", true))]);
  expect(changes.unrestored("s1").map((row) => row.id)).toEqual([1, 2]);
  expect(changes.unrestored("gone")).toEqual([]);

  const reloaded = await HostChangeStore.load(t.db.orm);
  expect(reloaded.unrestored("s1")).toEqual(changes.unrestored("s1"));
  await t.ctx.journal.write([reloaded.markRestored("s1"), reloaded.record(change("s2"))]);
  expect(reloaded.unrestored("s1")).toEqual([]);
  expect(reloaded.unrestored("s2").map((row) => row.id)).toEqual([4]);
  expect((await HostChangeStore.load(t.db.orm)).unrestored("s1")).toEqual([]);
});
