import { afterEach, describe, expect, test } from "bun:test";
import { type AddressInfo, createServer } from "node:net";
import { LabBrokerError } from "../../src/client/errors.ts";
import { followEvents } from "../../src/client/follow-events.ts";
import { BrokerHttp } from "../../src/client/http.ts";
import { EventStreamParser, type ServerSentEvent } from "../../src/client/sse.ts";

const STREAM = "\uFEFF: a comment first\r\n" +
  'id: 1\r\nevent: output\r\ndata: {"text":"a"}\r\n\r\n' +
  "data: first line\rdata: second line\r\r" +
  "event: end\nid: 7\ndata\n\n" +
  "id: 8\n\n" +
  "retry: 2500\nevent: position\ndata:  two spaces keep one\n\n" +
  "field-without-colon\nevent: ignored\n\n";

const EXPECTED: ServerSentEvent[] = [
  { event: "output", data: '{"text":"a"}', id: "1" },
  { event: "message", data: "first line\nsecond line", id: "1" },
  { event: "end", data: "", id: "7" },
  { event: "position", data: " two spaces keep one", id: "8" },
];

describe("event stream parser", () => {
  test("CRLF, CR and LF endings, comments, multi-line data, ids that carry over, retry, a leading BOM", () => {
    const parser = new EventStreamParser();
    expect(parser.feed(STREAM)).toEqual(EXPECTED);
    expect(parser.retryMs).toBe(2500);
    expect(parser.lastEventId).toBe("8");
  });

  test("the same events however the text is split into chunks (including between CR and LF)", () => {
    for (const size of [1, 2, 3, 5, 8, 13]) {
      const parser = new EventStreamParser();
      const events: ServerSentEvent[] = [];
      for (let offset = 0; offset < STREAM.length; offset += size) events.push(...parser.feed(STREAM.slice(offset, offset + size)));
      expect(events).toEqual(EXPECTED);
    }
  });

  test("an event without data is not dispatched, but its id still counts", () => {
    const parser = new EventStreamParser("3");
    expect(parser.feed("event: nothing\nid: 4\n\n")).toEqual([]);
    expect(parser.lastEventId).toBe("4");
  });
});

/** A broker stand-in whose event stream is scripted per connection. */
function scriptedServer(script: (request: Request, connection: number) => Response) {
  let connections = 0;
  const seen: (string | null)[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(request) {
      seen.push(request.headers.get("last-event-id"));
      return script(request, connections++);
    },
  });
  servers.push(server);
  return { http: new BrokerHttp(`http://127.0.0.1:${server.port}`), seen };
}
const servers: { stop(force: boolean): unknown }[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.stop(true);
});

const events = (...ids: number[]) => ids.map((id) => `id: ${id}\nevent: output\ndata: ${id}\n\n`).join("");
const streamResponse = (text: string) => new Response(text, { headers: { "content-type": "text/event-stream" } });

/** A raw TCP peer that sends a chunked event stream and then drops the connection mid-body, as a dying broker would. */
async function breakingPeer(text: string): Promise<{ url: string; close: () => void }> {
  const server = createServer((socket) => {
    socket.once("data", () => {
      const chunk = Buffer.from(text);
      socket.write(
        `HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n${chunk.length.toString(16)}\r\n`,
      );
      socket.write(chunk);
      socket.write("\r\n");
      setTimeout(() => socket.destroy(), 20);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

async function collect(iterable: AsyncIterable<ServerSentEvent>): Promise<string[]> {
  const data: string[] = [];
  for await (const event of iterable) data.push(`${event.event}:${event.data}`);
  return data;
}

describe("following an event stream", () => {
  test("reconnects with Last-Event-ID after the stream ends early, and stops after the last event", async () => {
    const { http, seen } = scriptedServer((_request, connection) => {
      if (connection === 0) return streamResponse(events(1, 2));
      if (connection === 1) return streamResponse(events(3));
      return streamResponse(`${events(4)}event: end\ndata: {}\n\n${events(5)}`);
    });
    const received = await collect(followEvents(http, "/stream", { isLast: (event) => event.event === "end", retryMs: 10 }));
    expect(received).toEqual(["output:1", "output:2", "output:3", "output:4", "end:{}"]);
    expect(seen).toEqual([null, "2", "3"]);
  });

  test("a connection that breaks off mid-body is resumed where it stopped", async () => {
    const peer = await breakingPeer(events(1, 2));
    const seen: (string | null)[] = [];
    let connections = 0;
    const http = new BrokerHttp(peer.url, async (input, init) => {
      seen.push(new Headers(init?.headers).get("last-event-id"));
      // First the breaking peer, then a healthy answer that finishes the stream.
      if (connections++ === 0) return fetch(input, init);
      return streamResponse(`${events(3)}event: end\ndata: {}\n\n`);
    });
    try {
      const received = await collect(followEvents(http, "/stream", { isLast: (event) => event.event === "end", retryMs: 10 }));
      expect(received).toEqual(["output:1", "output:2", "output:3", "end:{}"]);
      expect(seen).toEqual([null, "2"]);
    } finally {
      peer.close();
    }
  });

  test("a stream the broker ends (a slow client cut off, a restart) is resumed after its last id, and the ending is not yielded but reported", async () => {
    const overflow =
      `event: stream.overflow\nretry: 5\ndata: {"reason":"slow-client","resume_after":"2","message":"This client fell behind the stream; reconnect with Last-Event-ID: 2 to resume"}\n\n`;
    const { http, seen } = scriptedServer((_request, connection) =>
      streamResponse(connection === 0 ? `${events(1, 2)}${overflow}` : `${events(3)}event: end\ndata: {}\n\n`)
    );
    const reasons: string[] = [];
    const received = await collect(
      followEvents(http, "/stream", { isLast: (event) => event.event === "end", onReconnect: ({ reason }) => reasons.push(reason) }),
    );
    expect(received).toEqual(["output:1", "output:2", "output:3", "end:{}"]);
    expect(seen).toEqual([null, "2"]);
    expect(reasons).toEqual(["This client fell behind the stream; reconnect with Last-Event-ID: 2 to resume"]);
  });

  test("starts after a given event id", async () => {
    const { http, seen } = scriptedServer(() => streamResponse(`${events(10)}event: end\ndata: {}\n\n`));
    await collect(followEvents(http, "/stream", { lastEventId: "9", isLast: (event) => event.event === "end" }));
    expect(seen).toEqual(["9"]);
  });

  test("a 404 is thrown at once with the broker's problem detail, without retrying", async () => {
    const { http, seen } = scriptedServer(
      () =>
        new Response(JSON.stringify({ type: "about:blank", title: "Not found", status: 404, detail: 'Cannot find session "x"' }), {
          status: 404,
          headers: { "content-type": "application/problem+json" },
        }),
    );
    const error = await collect(followEvents(http, "/stream", { isLast: () => false, retryMs: 10 })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LabBrokerError);
    expect(error).toMatchObject({ code: "not-found", status: 404, title: "Not found", detail: 'Cannot find session "x"' });
    expect(seen).toHaveLength(1);
  });

  test("an unreachable broker is retried a bounded number of times, then reported", async () => {
    const http = new BrokerHttp("http://127.0.0.1:1");
    const error = await collect(followEvents(http, "/stream", { isLast: () => false, retryMs: 5, maxFailures: 2 })).catch((
      caught: unknown,
    ) => caught);
    expect(error).toMatchObject({ code: "unreachable", status: null });
    expect((error as Error).message).toContain("Cannot reach the broker at http://127.0.0.1:1");
  });

  test("backs off exponentially up to the cap, says so each time, and without a bound outlasts any number of failures", async () => {
    let attempts = 0;
    const http = new BrokerHttp("http://broker.invalid", async () => {
      if (++attempts <= 15) throw new TypeError("Unable to connect");
      return streamResponse(`${events(1)}event: end\ndata: {}\n\n`);
    });
    const delays: number[] = [];
    let reconnected = 0;
    const received = await collect(
      followEvents(http, "/stream", {
        isLast: (event) => event.event === "end",
        retryMs: 1,
        maxRetryMs: 8,
        maxFailures: Infinity,
        onReconnect: ({ reason, failures, delayMs }) => {
          expect(reason).toContain("Cannot reach the broker at http://broker.invalid: Unable to connect");
          expect(failures).toBe(delays.length + 1);
          delays.push(delayMs);
        },
        onReconnected: () => reconnected++,
      }),
    );
    expect(received).toEqual(["output:1", "end:{}"]);
    const planned = [1, 2, 4, ...Array(12).fill(8)];
    expect(delays).toHaveLength(planned.length);
    // Each delay is the planned one less up to a fifth (jitter), rounded to whole milliseconds.
    delays.forEach((delay, index) => expect(delay >= Math.floor(planned[index]! * 0.8) && delay <= planned[index]!).toBe(true));
    expect(reconnected).toBe(1);
  });

  test("aborting stops the stream with the abort reason", async () => {
    const { http } = scriptedServer(() => streamResponse(events(1)));
    const controller = new AbortController();
    const iteration = collect(followEvents(http, "/stream", { isLast: () => false, retryMs: 60_000, signal: controller.signal }));
    setTimeout(() => controller.abort(new Error("stop now")), 50);
    expect(await iteration.catch((error: Error) => error.message)).toBe("stop now");
  });
});
