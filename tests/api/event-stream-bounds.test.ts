import { describe, expect, test } from "bun:test";
import { setImmediate } from "node:timers";
import { Change } from "../../src/engine/context.ts";
import { REPLAY_BYTES_PER_TURN, REPLAY_SHARE_BYTES } from "../../src/routes/streams/replay-budget.ts";
import { call } from "../support/api-helpers.ts";
import { type SseMessage, SseReader } from "../support/sse.ts";
import { appsWithLimits, type TestApp } from "../support/test-broker.ts";
import { eventually } from "../support/wait-for.ts";

const testApp = appsWithLimits();

/** `count` stored events in one commit, numbered in their data. */
async function emitEvents(app: TestApp, count: number, type = "test.filler") {
  const change = new Change(app.ctx);
  for (let n = 1; n <= count; n++) change.emit(type, {}, { n, padding: "x".repeat(200) });
  await change.commit();
}

const open = (app: TestApp, path: string, headers: Record<string, string> = {}) => app.app.request(path, { headers });

describe("where /v1/events starts", () => {
  test("without Last-Event-ID the stream starts now: no history is replayed", async () => {
    const app = await testApp();
    await emitEvents(app, 50, "test.old");
    const reader = new SseReader(await open(app, "/v1/events"));
    await emitEvents(app, 1, "test.new");
    expect((await reader.next())?.event).toBe("test.new");
    await reader.cancel();
  });

  test("?since= starts at a past time, Last-Event-ID wins over it, and a malformed time is a 400", async () => {
    const app = await testApp();
    await emitEvents(app, 3, "test.before");
    app.clock.advance(60_000);
    const since = new Date(app.clock.now()).toISOString();
    await emitEvents(app, 2, "test.after");
    const fromTime = new SseReader(await open(app, `/v1/events?since=${since}`));
    expect([(await fromTime.next())?.event, (await fromTime.next())?.data]).toEqual(["test.after", expect.stringContaining('"n":2')]);
    await fromTime.cancel();
    const resumed = new SseReader(await open(app, `/v1/events?since=${since}`, { "last-event-id": "2" }));
    expect((await resumed.next())?.id).toBe("3");
    await resumed.cancel();
    const bad = await call(app, "GET", "/v1/events?since=yesterday");
    expect([bad.status, bad.json.errors[0].path]).toEqual([400, "since"]);
  });
});

describe("live events to many streams", () => {
  test("every stream gets every event once and in order, across rounds and slices of the fan-out", async () => {
    const app = await testApp({ maxStreams: 300, maxStreamsPerClient: 300 });
    const readers = await Promise.all(Array.from({ length: 250 }, async () => new SseReader(await open(app, "/v1/events"))));
    // Separate commits: the first round may carry one, later rounds those published meanwhile.
    for (let n = 0; n < 5; n++) await emitEvents(app, 2);
    for (const reader of readers) {
      const ids: string[] = [];
      while (ids.length < 10) ids.push((await reader.next())!.id!);
      expect(ids.map(Number)).toEqual(Array.from({ length: 10 }, (_, index) => index + 1));
      await reader.cancel();
    }
  });
});

describe("a client that falls behind", () => {
  test("a burst larger than what a stream keeps in memory is read back from the database: nothing lost, nothing repeated", async () => {
    const app = await testApp();
    const reader = new SseReader(await open(app, "/v1/events"));
    await emitEvents(app, 3_000);
    const received: string[] = [];
    while (received.length < 3_000) received.push((await reader.next())!.id!);
    await reader.cancel();
    expect(received.map(Number)).toEqual(Array.from({ length: 3_000 }, (_, index) => index + 1));
  });

  test("whose send buffer stays full past the stall bound is cut off with a last stream.overflow event naming where to resume, and resuming loses nothing", async () => {
    const app = await testApp();
    const response = await open(app, "/v1/events");
    await emitEvents(app, 300);
    // Not read: the stream fills its send buffer and waits for room, bounded by one timer (a live stream's keepalive is gone).
    await eventually(() => app.clock.pendingDelays.join() === "30000", "the stream to wait for room");
    app.clock.advance(30_000);
    const messages = await new SseReader(response).rest();
    const ending = messages.at(-1) as SseMessage;
    expect(ending.event).toBe("stream.overflow");
    const sent = messages.slice(0, -1);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThan(300);
    const resumeAfter = JSON.parse(ending.data).resume_after;
    expect(resumeAfter).toBe(sent.at(-1)!.id);

    const resumed = new SseReader(await open(app, "/v1/events", { "last-event-id": resumeAfter }));
    const rest: SseMessage[] = [];
    while (rest.length < 300 - sent.length) rest.push((await resumed.next())!);
    await resumed.cancel();
    expect([...sent, ...rest].map((message) => Number(message.id))).toEqual(Array.from({ length: 300 }, (_, index) => index + 1));
  });
});

describe("history replays and other requests", () => {
  test("a request arriving while many streams replay history waits behind one turn of replay writes, not the replays; replays keep pace with each other", async () => {
    const replays = 20;
    const app = await testApp({ maxStreams: replays, maxStreamsPerClient: replays });
    await emitEvents(app, 2_000);
    let written = 0;
    const writtenTo = Array.from({ length: replays }, () => 0);
    let othersWhenFirstDone: number[] | undefined;
    const responses = await Promise.all(Array.from({ length: replays }, () => open(app, "/v1/events", { "last-event-id": "0" })));
    // Readers that keep up: what a replay writes is read before the next turn of the event loop.
    const replayed = Promise.all(responses.map(async (response, index) => {
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let tail = "";
      for (;;) {
        const { done, value } = await reader.read();
        if (done) throw new Error("the stream ended before its replay did");
        written += value.byteLength;
        writtenTo[index]! += value.byteLength;
        tail = (tail + decoder.decode(value, { stream: true })).slice(-64);
        if (tail.endsWith("id: 2000\n\n")) {
          othersWhenFirstDone ??= writtenTo.filter((_, other) => other !== index);
          return void (await reader.cancel());
        }
      }
    }));
    let replaysDone = false;
    void replayed.then(() => (replaysDone = true));
    await eventually(() => written > 0, "the replays to start");

    // The request arrives as a task of the next turn of the event loop, as one from the network does.
    const writtenAtArrival = written;
    const handled = await new Promise<{ writtenBefore: number; status: number; replaysDone: boolean }>((resolve) =>
      setImmediate(async () => {
        const writtenBefore = written - writtenAtArrival;
        const { status } = await call(app, "POST", "/v1/sessions", { body: {} });
        resolve({ writtenBefore, status, replaysDone });
      })
    );
    await replayed;

    // Each replay given a share in that turn may write past it by less than one event (~300 bytes here).
    const sharesPerTurn = REPLAY_BYTES_PER_TURN / REPLAY_SHARE_BYTES;
    expect(handled.writtenBefore).toBeLessThanOrEqual(REPLAY_BYTES_PER_TURN + sharesPerTurn * 1024);
    expect(handled.status).toBe(201);
    expect(handled.replaysDone).toBe(false);
    // Every replay sent the same bytes; round robin: when the first was done, the others were a share or two behind, no more.
    const perReplay = written / replays;
    expect(writtenTo).toEqual(Array.from({ length: replays }, () => perReplay));
    expect(Math.min(...othersWhenFirstDone!)).toBeGreaterThanOrEqual(perReplay - 2 * REPLAY_SHARE_BYTES);
  });
});

describe("how many streams may be open", () => {
  test("a client over its own bound gets 429 with Retry-After; once it closes one, it may open another", async () => {
    const app = await testApp({ maxStreams: 10, maxStreamsPerClient: 2 });
    const first = await open(app, "/v1/events");
    const second = await open(app, "/v1/events");
    const refused = await call(app, "GET", "/v1/events");
    expect([refused.status, refused.headers.get("retry-after")]).toEqual([429, "5"]);
    expect(refused.json.detail).toContain("2 event streams open");
    await first.body!.cancel();
    await eventually(async () => (await open(app, "/v1/events")).status === 200, "a freed stream slot");
    await second.body!.cancel();
  });

  test("all streams in use is 503 with Retry-After", async () => {
    const app = await testApp({ maxStreams: 1, maxStreamsPerClient: 5 });
    const first = await open(app, "/v1/events");
    const refused = await call(app, "GET", "/v1/events");
    expect([refused.status, refused.headers.get("retry-after")]).toEqual([503, "5"]);
    await first.body!.cancel();
  });
});
