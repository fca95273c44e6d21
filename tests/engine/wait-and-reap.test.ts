import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UnprocessableError } from "../../src/engine/errors.ts";
import { runHousekeeping } from "../../src/engine/housekeeping.ts";
import { updateHost } from "../../src/engine/hosts/update-host.ts";
import { explainWait } from "../../src/engine/sessions/explain-wait.ts";
import { touchSession } from "../../src/engine/sessions/touch-session.ts";
import { recordAgentHeartbeat } from "../../src/engine/agents/agent-heartbeat.ts";
import { createTestEngine, type TestEngine } from "../support/test-engine.ts";

let engine: TestEngine;
const folders: string[] = [];
afterEach(async () => {
  await engine?.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("why am I waiting?", () => {
  test("position counts competing sessions ahead and says so in words", async () => {
    engine = await createTestEngine();
    await engine.addHost("only");
    await engine.requestSession();
    const second = await engine.requestSession();
    const third = await engine.requestSession();
    expect(explainWait(engine.ctx, second)).toEqual({
      position: 0,
      reason: "all matching hosts are held by active sessions",
      unsatisfiable: false,
    });
    expect(explainWait(engine.ctx, third)).toEqual({ position: 1, reason: "1 session ahead", unsatisfiable: false });
    const fourth = await engine.requestSession();
    expect(explainWait(engine.ctx, fourth).reason).toBe("2 sessions ahead");
  });

  test("sessions for disjoint hosts do not count as ahead", async () => {
    engine = await createTestEngine();
    await engine.addHost("n1", { runtimes: ["netlab"] });
    await engine.addHost("c1", { runtimes: ["containerlab"] });
    await engine.requestSession([{ runtime: "netlab" }]);
    await engine.requestSession([{ runtime: "containerlab" }]);
    await engine.requestSession([{ runtime: "containerlab" }]);
    const netlabWaiter = await engine.requestSession([{ runtime: "netlab" }]);
    expect(explainWait(engine.ctx, netlabWaiter).position).toBe(0);
  });

  test("a runtime no host offers is unsatisfiable, and strict creation refuses it without a trace", async () => {
    engine = await createTestEngine();
    await engine.addHost("native-only");
    const waiting = await engine.requestSession([{ runtime: "netlab" }]);
    expect(explainWait(engine.ctx, waiting)).toMatchObject({ reason: "no registered host has runtime netlab", unsatisfiable: true });
    const before = engine.ctx.state.sessions.liveCount;
    await expect(engine.requestSession([{ runtime: "netlab" }], { strict: true })).rejects.toThrow(UnprocessableError);
    expect(engine.ctx.state.sessions.liveCount).toBe(before);
  });

  test("more roles than matching hosts is unsatisfiable", async () => {
    engine = await createTestEngine();
    await engine.addHost("a", { labels: { nos: "frr" } });
    const session = await engine.requestSession([{ labels: { nos: "frr" } }, { labels: { nos: "frr" } }]);
    expect(explainWait(engine.ctx, session).unsatisfiable).toBe(true);
  });

  test("offline, draining and maintenance hosts are named as the reason", async () => {
    engine = await createTestEngine({ agentOfflineAfterMs: 60_000 });
    await engine.addHost("a", { labels: { site: "x" } });
    await updateHost(engine.ctx, "a", { drain: true });
    const session = await engine.requestSession([{ labels: { site: "x" } }]);
    expect(explainWait(engine.ctx, session).reason).toBe("matching hosts are draining");
    await updateHost(engine.ctx, "a", { drain: false, maintenance: true });
    expect(explainWait(engine.ctx, session).reason).toBe("matching hosts are in maintenance");
    await updateHost(engine.ctx, "a", { maintenance: false, capacity: 0 });
    engine.clock.advance(61_000);
    touchSession(engine.ctx, session.id);
    await runHousekeeping(engine.ctx);
    expect(explainWait(engine.ctx, session).reason).toBe("all matching hosts are offline");
  });
});

describe("reaping on the injected clock", () => {
  test("an active session silent for longer than its timeout ends and the next one starts at once", async () => {
    engine = await createTestEngine({ activeTimeoutMs: 300_000, waitingTimeoutMs: 600_000 });
    const host = await engine.addHost("only");
    const active = await engine.requestSession();
    const next = await engine.requestSession();
    engine.clock.advance(200_000);
    touchSession(engine.ctx, next.id);
    await recordAgentHeartbeat(engine.ctx, host);
    await runHousekeeping(engine.ctx);
    expect(active.state).toBe("active");
    engine.clock.advance(100_001);
    await recordAgentHeartbeat(engine.ctx, host);
    await runHousekeeping(engine.ctx);
    expect(active.state).toBe("ended");
    expect(active.endReason).toBe("expired");
    expect(next.state).toBe("active");
  });

  test("a waiting session is dropped after the waiting timeout; a heartbeat keeps it", async () => {
    engine = await createTestEngine({ waitingTimeoutMs: 600_000 });
    const kept = await engine.requestSession([{ runtime: "netlab" }]);
    const dropped = await engine.requestSession([{ runtime: "netlab" }]);
    engine.clock.advance(500_000);
    touchSession(engine.ctx, kept.id);
    engine.clock.advance(100_001);
    await runHousekeeping(engine.ctx);
    expect(dropped.state).toBe("ended");
    expect(dropped.endReason).toBe("expired");
    expect(kept.state).toBe("waiting");
  });

  test("offline policy fail ends sessions on a lost host after the grace window and frees the queue", async () => {
    engine = await createTestEngine({ agentOfflineAfterMs: 60_000, offlinePolicy: "fail", offlineGraceMs: 30_000 });
    await engine.addHost("lost");
    const backup = await engine.addHost("backup");
    await updateHost(engine.ctx, "backup", { maintenance: true });
    const held = await engine.requestSession();
    const later = await engine.requestSession();
    engine.clock.advance(61_000);
    touchSession(engine.ctx, held.id);
    touchSession(engine.ctx, later.id);
    await runHousekeeping(engine.ctx);
    expect(engine.ctx.state.hosts.byName("lost")?.online).toBe(false);
    expect(held.state).toBe("active");
    engine.clock.advance(30_000);
    touchSession(engine.ctx, held.id);
    touchSession(engine.ctx, later.id);
    await recordAgentHeartbeat(engine.ctx, backup);
    await updateHost(engine.ctx, "backup", { maintenance: false });
    await runHousekeeping(engine.ctx);
    expect(held.state).toBe("ended");
    expect(held.endReason).toBe("host-lost");
    expect(engine.assignedNames(later.id)).toEqual({ m1: "backup" });
  });

  test("offline policy keep keeps the session on the offline host", async () => {
    engine = await createTestEngine({ agentOfflineAfterMs: 60_000, offlinePolicy: "keep" });
    await engine.addHost("flaky");
    const held = await engine.requestSession();
    for (let minute = 0; minute < 4; minute++) {
      engine.clock.advance(60_000);
      touchSession(engine.ctx, held.id);
      await runHousekeeping(engine.ctx);
    }
    expect(held.state).toBe("active");
    expect(engine.ctx.state.hosts.byName("flaky")?.online).toBe(false);
  });
});

describe("durability", () => {
  test("a restarted engine sees the same sessions in the same order and states", async () => {
    const folder = mkdtempSync(join(tmpdir(), "labbroker-engine-"));
    folders.push(folder);
    const url = `file:${join(folder, "broker.db")}`;
    engine = await createTestEngine({}, url);
    await engine.addHost("only");
    const ids = [];
    for (let index = 0; index < 5; index++) ids.push((await engine.requestSession()).id);
    await engine.close();

    engine = await createTestEngine({}, url);
    const states = ids.map((id) => engine.ctx.state.sessions.get(id)?.state);
    expect(states).toEqual(["active", "waiting", "waiting", "waiting", "waiting"]);
    const positions = ids.slice(1).map((id) => explainWait(engine.ctx, engine.ctx.state.sessions.get(id)!).position);
    expect(positions).toEqual([0, 1, 2, 3]);
    expect((await engine.requestSession()).seq).toBe(6);
  });
});
