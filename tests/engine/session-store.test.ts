import { afterEach, expect, test } from "bun:test";
import { HostStore } from "../../src/engine/hosts/host-store.ts";
import type { Session } from "../../src/engine/model.ts";
import { SessionStore } from "../../src/engine/sessions/session-store.ts";
import { createTestEngine, type TestEngine } from "../support/test-engine.ts";

let t: TestEngine;
afterEach(() => t?.close());

const HOUR = 3_600_000;

async function reload() {
  const hosts = await HostStore.load(t.db.orm, 0);
  return { hosts, sessions: await SessionStore.load(t.db.orm, hosts, 0) };
}

test("what the verbs return, once committed, rebuilds the sessions, queue, bookings and holders the verbs left in memory", async () => {
  t = await createTestEngine();
  const host = await t.addHost("solo");
  const active = await t.requestSession([{}], { idempotencyKey: "ci-1", walltimeMs: HOUR });
  const waiting = await t.requestSession([{}], { walltimeMs: HOUR });
  const reserved = await t.requestSession([{}], { walltimeMs: HOUR, startAt: t.clock.now() + 10 * HOUR });
  const { sessions } = t.ctx.state;
  expect([active.state, waiting.state, reserved.state]).toEqual(["active", "waiting", "scheduled"]);

  const reloaded = await reload();
  for (const session of [active, waiting, reserved]) expect(reloaded.sessions.get(session.id)).toEqual(session);
  expect(reloaded.sessions.byIdempotencyKey("ci-1")?.id).toBe(active.id);
  expect(reloaded.sessions.queue.inOrder().map((session) => session.id)).toEqual([waiting.id]);
  expect(reloaded.sessions.bookingsOn(host.id)?.map((session) => session.id)).toEqual([reserved.id]);
  expect([reloaded.sessions.waitingCount(), reloaded.sessions.scheduledCount(), reloaded.sessions.liveCount]).toEqual([1, 1, 3]);
  expect([...reloaded.hosts.get(host.id)!.holders]).toEqual([active.id]);
  expect(reloaded.sessions.nextSeq()).toBe(sessions.nextSeq());
});

test("an ended session leaves every index, stays answerable from memory, and its duration counts for its pool", async () => {
  t = await createTestEngine();
  const host = await t.addHost("solo");
  const session = await t.requestSession([{}], { idempotencyKey: "ci-1" });
  const { sessions } = t.ctx.state;
  t.clock.advance(5_000);
  await t.ctx.journal.write([sessions.end(session, "released", t.clock.now())]);
  expect(session).toMatchObject({ state: "ended", endReason: "released", endedAt: t.clock.now() });
  expect([sessions.get(session.id), sessions.byIdempotencyKey("ci-1"), sessions.find(session.id)]).toEqual([undefined, undefined, session]);
  expect(host.holders.size).toBe(0);
  expect(sessions.recentDurations(session.poolKey)).toEqual([5_000]);

  const reloaded = await reload();
  expect([reloaded.sessions.liveCount, reloaded.sessions.find(session.id)]).toEqual([0, undefined]);
  expect(reloaded.sessions.recentDurations(session.poolKey)).toEqual([5_000]);
  sessions.forgetEnded([session.id]);
  expect(sessions.find(session.id)).toBeUndefined();
});

test("a session refused before its statement is committed leaves nothing behind", async () => {
  t = await createTestEngine();
  await t.addHost("solo");
  await t.requestSession();
  const waiting: Session = { ...(await t.requestSession()), id: "refused", seq: 99, idempotencyKey: "retry" };
  const { sessions } = t.ctx.state;
  sessions.enqueue(waiting);
  expect([sessions.waitingCount(), sessions.liveCount]).toEqual([2, 3]);
  sessions.dropRefused(waiting);
  expect([sessions.waitingCount(), sessions.liveCount, sessions.byIdempotencyKey("retry")]).toEqual([1, 2, undefined]);
});

test("a new walltime moves a waiting session to its new pool and allows one more warning", async () => {
  t = await createTestEngine();
  await t.addHost("solo");
  await t.requestSession();
  const session = await t.requestSession([{}], { walltimeMs: HOUR });
  const { sessions } = t.ctx.state;
  const before = session.poolKey;
  expect([sessions.warnWalltimeOnce(session.id), sessions.warnWalltimeOnce(session.id)]).toEqual([true, false]);
  await t.ctx.journal.write([sessions.changeWalltime(session, 2 * HOUR)]);
  expect(session.poolKey).not.toBe(before);
  expect([sessions.queue.pool(before), sessions.queue.pool(session.poolKey)?.sessions]).toEqual([undefined, [session]]);
  expect(sessions.warnWalltimeOnce(session.id)).toBe(true);
  expect((await reload()).sessions.get(session.id)).toEqual(session);
});

test("signs of life stay in memory until the flush; a request in flight keeps a session alive until it ends", async () => {
  t = await createTestEngine();
  await t.addHost("solo");
  const session = await t.requestSession();
  const { sessions } = t.ctx.state;
  sessions.flushLastSeen();
  sessions.touch(session, 7_000);
  const flushed = sessions.flushLastSeen();
  expect([flushed.length, sessions.flushLastSeen().length]).toEqual([1, 0]);
  await t.ctx.journal.write(flushed);
  expect((await reload()).sessions.get(session.id)?.lastSeenAt).toBe(7_000);

  sessions.requestStarted(session.id);
  sessions.requestStarted(session.id);
  sessions.requestEnded(session.id);
  expect(sessions.hasRequestInFlight(session.id)).toBe(true);
  sessions.requestEnded(session.id);
  expect(sessions.hasRequestInFlight(session.id)).toBe(false);
});
