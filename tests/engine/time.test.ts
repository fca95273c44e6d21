import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConflictError, UnprocessableError } from "../../src/engine/errors.ts";
import { runHousekeeping } from "../../src/engine/housekeeping.ts";
import { acquireLab } from "../../src/engine/labs/acquire-lab.ts";
import { endSession } from "../../src/engine/sessions/end-session.ts";
import { changeWalltime } from "../../src/engine/time/change-walltime.ts";
import { estimateStart } from "../../src/engine/time/estimate-start.ts";
import { findSlot, testSlot } from "../../src/engine/time/slots.ts";
import { tick } from "../support/housekeeping-tick.ts";
import { createTestEngine, type TestEngine } from "../support/test-engine.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
let engine: TestEngine;
const folders: string[] = [];
afterEach(async () => {
  await engine?.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const req = (role = "m1", labels: Record<string, string> = {}) => ({ role, labels, runtime: null, host: null });
const events = async (type: string) =>
  (await engine.db.client.execute({ sql: "SELECT data FROM events WHERE type = ? ORDER BY id", args: [type] })).rows.map((row) =>
    JSON.parse(String(row.data))
  );

describe("reservations", () => {
  test("an overlapping booking is refused with the next slot that would work; a free one is confirmed", async () => {
    engine = await createTestEngine();
    await engine.addHost("only");
    const start = engine.clock.now() + 24 * HOUR;
    const first = await engine.requestSession([{}], { startAt: start, walltimeMs: 3 * HOUR });
    expect(first.state).toBe("scheduled");
    expect(engine.assignedNames(first.id)).toEqual({ m1: "only" });
    const overlapping = engine.requestSession([{}], { startAt: start + HOUR, walltimeMs: HOUR });
    await expect(overlapping).rejects.toThrow(ConflictError);
    await expect(overlapping).rejects.toMatchObject({ extensions: { next_start_at: new Date(start + 3 * HOUR).toISOString() } });
    const after = await engine.requestSession([{}], { startAt: start + 3 * HOUR, walltimeMs: HOUR });
    expect(after.state).toBe("scheduled");
  });

  test("a reservation in the past or without walltime is 422", async () => {
    engine = await createTestEngine();
    await engine.addHost("only");
    await expect(engine.requestSession([{}], { startAt: engine.clock.now() - 1000, walltimeMs: HOUR })).rejects.toThrow("is in the past");
    await expect(engine.requestSession([{}], { startAt: engine.clock.now() + HOUR })).rejects.toThrow(UnprocessableError);
  });

  test("at its start the reservation becomes active on the booked host; at its end the walltime ends it", async () => {
    engine = await createTestEngine({ walltimeWarningMs: 5 * MINUTE });
    await engine.addHost("only");
    const booked = await engine.requestSession([{}], { startAt: engine.clock.now() + HOUR, walltimeMs: 30 * MINUTE });
    await tick(engine, HOUR - 1000);
    expect(booked.state).toBe("scheduled");
    await tick(engine, 1000);
    expect(booked.state).toBe("active");
    expect(engine.assignedNames(booked.id)).toEqual({ m1: "only" });
    await tick(engine, 25 * MINUTE);
    expect(await events("session.walltime-warning")).toHaveLength(1);
    expect(booked.state).toBe("active");
    await tick(engine, 5 * MINUTE);
    expect(booked.state).toBe("ended");
    expect(booked.endReason).toBe("walltime");
  });

  test("an offline booked host is replaced by an equivalent one; with none, the reservation fails with a reason", async () => {
    engine = await createTestEngine({ agentOfflineAfterMs: MINUTE });
    const first = await engine.addHost("a", { labels: { nos: "frr" } });
    const booked = await engine.requestSession([{ labels: { nos: "frr" } }], { startAt: engine.clock.now() + HOUR, walltimeMs: HOUR });
    await engine.addHost("b", { labels: { nos: "frr" } });
    engine.clock.advance(HOUR);
    engine.ctx.state.hosts.get(engine.ctx.state.hosts.byName("b")!.id)!.lastSeenAt = engine.clock.now();
    await runHousekeeping(engine.ctx);
    expect(first.online).toBe(false);
    expect(engine.assignedNames(booked.id)).toEqual({ m1: "b" });

    const doomed = await engine.requestSession([{ labels: { nos: "frr" } }], { startAt: engine.clock.now() + 2 * HOUR, walltimeMs: HOUR });
    engine.clock.advance(2 * HOUR);
    await runHousekeeping(engine.ctx);
    expect(doomed.state).toBe("ended");
    expect(doomed.endReason).toBe("reservation-failed");
  });
});

describe("backfill around a booking", () => {
  test("a waiting session may take a booked host only if its walltime ends before the booking; without walltime never", async () => {
    engine = await createTestEngine();
    await engine.addHost("only");
    const bookingStart = engine.clock.now() + 2 * HOUR;
    await engine.requestSession([{}], { startAt: bookingStart, walltimeMs: HOUR });
    const unbounded = await engine.requestSession([{}]);
    expect(unbounded.state).toBe("waiting");
    const tooLong = await engine.requestSession([{}], { walltimeMs: 3 * HOUR });
    expect(tooLong.state).toBe("waiting");
    const short = await engine.requestSession([{}], { walltimeMs: HOUR });
    expect(short.state).toBe("active");
  });
});

describe("walltime changes", () => {
  test("an extension that would run into a reservation is refused with its start; a smaller one is accepted", async () => {
    engine = await createTestEngine();
    await engine.addHost("only");
    const active = await engine.requestSession([{}], { walltimeMs: HOUR });
    const bookingStart = engine.clock.now() + 2 * HOUR;
    await engine.requestSession([{}], { startAt: bookingStart, walltimeMs: HOUR });
    await expect(changeWalltime(engine.ctx, active.id, 2 * HOUR)).rejects.toMatchObject({
      status: 409,
      extensions: { conflicting_start: new Date(bookingStart).toISOString() },
    });
    expect(active.walltimeMs).toBe(HOUR);
    await changeWalltime(engine.ctx, active.id, 30 * MINUTE);
    expect(active.walltimeMs).toBe(90 * MINUTE);
    await changeWalltime(engine.ctx, active.id, -60 * MINUTE);
    expect(active.walltimeMs).toBe(30 * MINUTE);
  });
});

describe("slot search", () => {
  test("find_slot co-allocates two pools with staggered bookings at the earliest common start", async () => {
    engine = await createTestEngine();
    await engine.addHost("frr-1", { labels: { pool: "frr" } });
    await engine.addHost("tgen-1", { labels: { pool: "tgen" } });
    const now = engine.clock.now();
    await engine.requestSession([{ labels: { pool: "frr" } }], { startAt: now + HOUR, walltimeMs: 2 * HOUR });
    await engine.requestSession([{ labels: { pool: "tgen" } }], { startAt: now + 2 * HOUR, walltimeMs: 2 * HOUR });
    const groups = [[req("r1", { pool: "frr" })], [req("gen", { pool: "tgen" })]];
    expect(testSlot(engine.ctx, groups, now + HOUR, HOUR)).toBeNull();
    const found = findSlot(engine.ctx, groups, HOUR, now + HOUR, now + 24 * HOUR, 15 * MINUTE);
    expect(found?.start).toBe(now + 4 * HOUR);
    expect(found?.hosts.map((roles) => Object.fromEntries(Object.entries(roles).map(([role, host]) => [role, host.name])))).toEqual([{
      r1: "frr-1",
    }, { gen: "tgen-1" }]);
    const fitsBefore = findSlot(engine.ctx, groups, 30 * MINUTE, now, now + 24 * HOUR, 15 * MINUTE);
    expect(fitsBefore?.start).toBe(now);
  });
});

describe("scheduled labs", () => {
  const topology = new TextEncoder().encode("name: timed\ntopology:\n  nodes:\n    a: {kind: linux}\n");
  const upload = { topologyFile: "timed.clab.yml", topology, extraFiles: [] };

  test("a scheduled lab deploys at its start and is destroyed at its end", async () => {
    engine = await createTestEngine();
    await engine.addHost("only");
    const session = await engine.requestSession();
    const start = engine.clock.now() + HOUR;
    const { lab } = await acquireLab(engine.ctx, {
      session,
      role: null,
      upload,
      runtime: null,
      reuse: false,
      startAt: start,
      endAt: start + HOUR,
      remoteLab: false,
    });
    expect(lab.state).toBe("scheduled");
    const labWork = (kind: string) =>
      engine.ctx.state.work.openForHost(lab.hostId).filter((item) => item.kind === kind && item.labId === lab.id);
    expect(labWork("deploy-lab")).toHaveLength(0);
    await tick(engine, HOUR);
    expect(lab.state).toBe("deploying");
    expect(labWork("deploy-lab")).toHaveLength(1);
    await tick(engine, HOUR);
    expect(lab.state).toBe("stopping");
    expect(labWork("destroy-lab")).not.toHaveLength(0);
  });

  test("a restart during the scheduled window catches up: the due reservation starts, the lab past its end is destroyed", async () => {
    const folder = mkdtempSync(join(tmpdir(), "labbroker-time-"));
    folders.push(folder);
    const url = `file:${join(folder, "broker.db")}`;
    engine = await createTestEngine({}, url);
    await engine.addHost("only");
    const start = engine.clock.now() + HOUR;
    const reservation = await engine.requestSession([{}], { startAt: start, walltimeMs: 4 * HOUR });
    await acquireLab(engine.ctx, {
      session: reservation,
      role: null,
      upload,
      runtime: null,
      reuse: false,
      startAt: start,
      endAt: start + HOUR,
      remoteLab: false,
    });
    const startedAt = engine.clock.now();
    await engine.close();

    engine = await createTestEngine({}, url);
    engine.clock.advance(startedAt + 2 * HOUR - engine.clock.now());
    engine.ctx.state.hosts.byName("only")!.lastSeenAt = engine.clock.now();
    await runHousekeeping(engine.ctx);
    const session = engine.ctx.state.sessions.get(reservation.id)!;
    expect(session.state).toBe("active");
    expect(session.activatedAt! + session.walltimeMs!).toBe(start + 4 * HOUR);
    const lab = engine.ctx.state.labs.live()[0]!;
    expect(lab.state).toBe("stopping");
  });
});

describe("estimates", () => {
  test("a waiting session's estimate follows the walltimes ahead, else recent durations, else says it cannot tell", async () => {
    engine = await createTestEngine();
    await engine.addHost("only");
    const holder = await engine.requestSession([{}], { walltimeMs: HOUR });
    await engine.requestSession([{}], { walltimeMs: HOUR });
    const third = await engine.requestSession([{}], { walltimeMs: HOUR });
    const estimate = estimateStart(engine.ctx, third);
    expect(estimate.at).toBe(holder.activatedAt! + 2 * HOUR);
    expect(estimate.basis).toContain("walltimes");
  });

  test("without walltimes it uses recent durations of the same pool, and says so when there are none", async () => {
    engine = await createTestEngine();
    await engine.addHost("only");
    const first = await engine.requestSession();
    const waiter = await engine.requestSession();
    expect(estimateStart(engine.ctx, waiter)).toEqual({ at: null, basis: expect.stringContaining("no history yet") });
    engine.clock.advance(20 * MINUTE);
    await endSession(engine.ctx, first.id, "released");
    expect(waiter.state).toBe("active");
    const next = await engine.requestSession();
    const estimate = estimateStart(engine.ctx, next);
    expect(estimate.at).toBe(waiter.activatedAt! + 20 * MINUTE);
    expect(estimate.basis).toContain("median duration of recent sessions");
  });
});
