import { afterEach, describe, expect, test } from "bun:test";
import { BadRequestError } from "../../src/engine/errors.ts";
import { runHousekeeping } from "../../src/engine/housekeeping.ts";
import { endSession } from "../../src/engine/sessions/end-session.ts";
import { explainWait } from "../../src/engine/sessions/explain-wait.ts";
import { changeWalltime } from "../../src/engine/time/change-walltime.ts";
import { estimateStart } from "../../src/engine/time/estimate-start.ts";
import { searchSlot } from "../../src/engine/time/slot-search.ts";
import { tick } from "../support/housekeeping-tick.ts";
import { createTestEngine, type TestEngine } from "../support/test-engine.ts";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
let engine: TestEngine;
afterEach(async () => {
  await engine?.close();
});

const iso = (ms: number) => new Date(ms).toISOString();
const req = (role: string, fields: { labels?: Record<string, string>; host?: string } = {}) => ({
  role,
  labels: fields.labels ?? {},
  runtime: null,
  host: fields.host ?? null,
});

describe("a booking in the way of a waiting session", () => {
  test("the wait reason names the booking, and the estimate is its end, steady while time passes", async () => {
    engine = await createTestEngine();
    await engine.addHost("h1");
    const now = engine.clock.now();
    const booking = await engine.requestSession([{}], { startAt: now + MINUTE, walltimeMs: MINUTE });
    const pinned = await engine.requestSession([{ host: "h1" }]);
    expect(pinned.state).toBe("waiting");
    expect(explainWait(engine.ctx, pinned).reason).toBe(
      `host "h1" is booked from ${iso(now + MINUTE)} to ${
        iso(now + 2 * MINUTE)
      } by reservation ${booking.id}; this session has no walltime, so it cannot start before the booking ends`,
    );
    expect(estimateStart(engine.ctx, pinned)).toEqual({
      at: now + 2 * MINUTE,
      basis: expect.stringContaining("reservations booked on the hosts"),
    });

    await tick(engine, 30 * SECOND);
    expect(estimateStart(engine.ctx, pinned).at).toBe(now + 2 * MINUTE);
    await tick(engine, 30 * SECOND);
    expect(booking.state).toBe("active");
    expect(explainWait(engine.ctx, pinned).reason).toBe("all matching hosts are held by active sessions");
    expect(estimateStart(engine.ctx, pinned).at).toBe(now + 2 * MINUTE);
    await tick(engine, MINUTE);
    expect(pinned.state).toBe("active");
    expect(pinned.activatedAt).toBe(now + 2 * MINUTE);
  });

  test("a walltime that would run into the booking is named as the reason; one that ends before it starts now", async () => {
    engine = await createTestEngine();
    await engine.addHost("h1");
    await engine.requestSession([{}], { startAt: engine.clock.now() + HOUR, walltimeMs: HOUR });
    const tooLong = await engine.requestSession([{ host: "h1" }], { walltimeMs: 2 * HOUR });
    expect(explainWait(engine.ctx, tooLong).reason).toContain("; this session's walltime of 7200 s would run into it");
    expect(estimateStart(engine.ctx, tooLong).at).toBe(engine.clock.now() + 2 * HOUR);
    await endSession(engine.ctx, tooLong.id, "released");
    expect((await engine.requestSession([{ host: "h1" }], { walltimeMs: 30 * MINUTE })).state).toBe("active");
  });
});

describe("walltime changes are refused, never clamped", () => {
  test("an active session cannot be made to end before now; the walltime is left as it was", async () => {
    engine = await createTestEngine();
    await engine.addHost("h1");
    const active = await engine.requestSession([{}], { walltimeMs: 50 * SECOND });
    await expect(changeWalltime(engine.ctx, active.id, -2000 * SECOND)).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("offset_walltime_s: the walltime would be -1950 s"),
    });
    await tick(engine, 20 * SECOND);
    await expect(changeWalltime(engine.ctx, active.id, -30 * SECOND)).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("before now; less than 30 s can be taken off"),
    });
    expect(active.walltimeMs).toBe(50 * SECOND);
    await changeWalltime(engine.ctx, active.id, -29 * SECOND);
    expect(active.walltimeMs).toBe(21 * SECOND);
  });

  test("a booking cannot be made empty or longer than the maximum", async () => {
    engine = await createTestEngine();
    await engine.addHost("h1");
    const booking = await engine.requestSession([{}], { startAt: engine.clock.now() + HOUR, walltimeMs: MINUTE });
    await expect(changeWalltime(engine.ctx, booking.id, -MINUTE)).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("must stay above 0"),
    });
    await expect(changeWalltime(engine.ctx, booking.id, 10_000 * HOUR)).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("more than this broker's maximum"),
    });
    expect(booking.walltimeMs).toBe(MINUTE);
    expect(engine.ctx.state.sessions.bookingsOn(engine.ctx.state.hosts.byName("h1")!.id)).toEqual([booking]);
  });
});

describe("slot search", () => {
  test("a start in the past is never offered: test_slot says so, find_slot starts at the first grid point from now", async () => {
    engine = await createTestEngine();
    await engine.addHost("h1");
    const now = engine.clock.now();
    const query = { groups: [[req("m1")]], durationMs: MINUTE, stepMs: 7 * MINUTE };
    const tested = searchSlot(engine.ctx, { ...query, from: now - HOUR, until: null });
    expect(tested).toEqual({
      slot: null,
      reasons: [{ group: null, reason: `start_at ${iso(now - HOUR)} is before now (${iso(now)}); no slot starts in the past` }],
    });
    const found = searchSlot(engine.ctx, { ...query, from: now - HOUR, until: now + HOUR });
    expect(found.slot?.start).toBe(now - HOUR + 9 * 7 * MINUTE);
    expect(searchSlot(engine.ctx, { ...query, from: now - 2 * HOUR, until: now - HOUR }).reasons[0]!.reason).toContain("before now");
  });

  test("when nothing fits, each group says why: unknown labels, an offline pinned host, busy hosts; a window ending before it starts is 400", async () => {
    engine = await createTestEngine({ agentOfflineAfterMs: MINUTE });
    await engine.addHost("gone");
    engine.clock.advance(2 * MINUTE);
    await runHousekeeping(engine.ctx);
    await engine.addHost("busy", { labels: { pool: "frr" } });
    await engine.addHost("free", { labels: { pool: "tgen" } });
    await engine.requestSession([{ labels: { pool: "frr" } }]);
    const now = engine.clock.now();
    const groups = [[req("r1", { labels: { nos: "eos" } })], [req("p", { host: "gone" })], [req("b", { labels: { pool: "frr" } })], [
      req("t", { labels: { pool: "tgen" } }),
    ]];
    const answer = searchSlot(engine.ctx, { groups, durationMs: MINUTE, from: now, until: now + HOUR, stepMs: MINUTE });
    expect(answer).toEqual({
      slot: null,
      reasons: [
        { group: 0, reason: "no registered host matches role r1 (labels nos=eos)" },
        { group: 1, reason: "role p: all matching hosts are offline" },
        { group: 2, reason: `its hosts have no free 60 s starting between ${iso(now)} and ${iso(now + HOUR)}` },
      ],
    });
    expect(() => searchSlot(engine.ctx, { groups, durationMs: MINUTE, from: now + HOUR, until: now, stepMs: MINUTE })).toThrow(
      BadRequestError,
    );
    expect(() => searchSlot(engine.ctx, { groups, durationMs: MINUTE, from: now + HOUR, until: now, stepMs: MINUTE })).toThrow(
      `until: ${iso(now)} is before start_at ${iso(now + HOUR)}`,
    );
  });

  test("groups that each fit alone but not together say so", async () => {
    engine = await createTestEngine();
    await engine.addHost("h1");
    const now = engine.clock.now();
    const answer = searchSlot(engine.ctx, { groups: [[req("a")], [req("b")]], durationMs: MINUTE, from: now, until: null, stepMs: MINUTE });
    expect(answer).toEqual({
      slot: null,
      reasons: [{ group: null, reason: "each group fits on its own, but not all at once on distinct hosts" }],
    });
  });
});
