/**
 * The broker's bounds under hostile load (issue 15), on loopback, bounded in time and count.
 * Usage: bun scripts/bench-limits.ts [--binary dist/labbroker] [--only TEXT]
 * Phases, each measured for the broker's peak RSS and the latency of POST /v1/sessions sent once
 * every 20 ms meanwhile (by a child process, bench-post-timer.ts): nothing else (the baseline this
 * machine gives at the moment); 2,000 open event streams; 200 clients that never read while 10,000
 * events happen, and while 40,000 do; 100 history requests replaying 10,000 events;
 * 12 posts of 60 MB without a token; 300 bodies trickling a byte every 5 s. (The idle RSS of
 * `serve` is measured by bench-startup.ts.) --only (repeatable) runs the phases whose name contains TEXT.
 */
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { VERSION } from "../src/version.ts";
import {
  ADMIN_AUTHORIZATION,
  bearerAuthorization,
  BENCH_ENROLL_TOKEN,
  benchFetch,
  benchJson,
  UnexpectedStatusError,
} from "./bench-requests.ts";
import { type BenchBroker, startBenchBroker } from "./bench-support.ts";
import { createSession as postSession } from "./bench-post-timer.ts";

const { values } = parseArgs({ options: { binary: { type: "string" }, only: { type: "string", multiple: true } } });
const BODY_TIMEOUT_S = 10;
/** The broker's stall bound: a stream whose client has not taken anything for this long is cut off. */
const STALL_S = 30;
const BROKER_ARGS = [
  "--max-streams",
  "5000",
  "--max-streams-per-client",
  "5000",
  "--max-waiting",
  "100000",
  "--body-timeout",
  String(BODY_TIMEOUT_S),
];
const AUTHORIZATION = `authorization: ${ADMIN_AUTHORIZATION}\r\n`;
let broker: BenchBroker;
let port = "";

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
const createSession = () => postSession(broker.url);

/**
 * On a fresh broker: runs `setup` (connections that should be open before timing starts), then
 * `phase` while sampling the broker's RSS and timing POST /v1/sessions every 20 ms.
 */
async function measure<Setup>(name: string, setup: () => Promise<Setup>, phase: (prepared: Setup) => Promise<string>) {
  if (values.only && !values.only.some((text) => name.includes(text))) return;
  broker = await startBenchBroker(values.binary, BROKER_ARGS);
  port = new URL(broker.url).port;
  const idle = rssMiB(broker.pid);
  const prepared = await setup();
  let peak = rssMiB(broker.pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(broker.pid))), 20);
  const timer = Bun.spawn([process.execPath, join(import.meta.dirname, "bench-post-timer.ts"), broker.url], {
    stdin: "pipe",
    stdout: "pipe",
    stderr: "inherit",
  });
  // Timing starts once the timer's first request (its connection, its warm-up) is done: it says `ready`.
  const output = timer.stdout.getReader();
  await output.read();
  const started = performance.now();
  const outcome = await phase(prepared);
  clearInterval(sampler);
  await timer.stdin.end();
  let text = "";
  const decoder = new TextDecoder();
  for (let chunk = await output.read(); !chunk.done; chunk = await output.read()) text += decoder.decode(chunk.value, { stream: true });
  const latencies = (JSON.parse(text) as number[]).sort((a, b) => a - b);
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${broker.pid}/status`, "utf8"))?.[1]) / 1024;
  await broker.stop();
  process.stdout.write(
    `| ${name} | ${outcome} | ${idle.toFixed(0)} MiB | ${Math.max(peak, hwm).toFixed(0)} MiB | ${
      percentile(latencies, 0.5).toFixed(2)
    } ms (p99 ${percentile(latencies, 0.99).toFixed(1)} ms, ${latencies.length} posts) | ${
      ((performance.now() - started) / 1000).toFixed(1)
    } s |\n`,
  );
}

/** Fails the benchmark when a raw request was answered with a status other than `expected` (no answer yet is no status). */
function expectRawStatus(requests: { received: () => string }[], expected: number, what: string): void {
  const other = requests.map(({ received }) => /^HTTP\/1\.1 (\d{3})/.exec(received())?.[1]).find((status) =>
    status !== undefined && Number(status) !== expected
  );
  if (other) throw new UnexpectedStatusError(`${what} answered ${other}, which this benchmark does not measure`);
}

/** A raw HTTP/1.1 request on its own socket; `read: false` never reads the answer (the kernel buffers fill). */
function rawRequest(head: string, options: { read: boolean }): { socket: Socket; answer: Promise<string>; received: () => string } {
  const socket = connect(Number(port), "127.0.0.1");
  socket.write(head);
  let text = "";
  const answer = new Promise<string>((resolve) => {
    socket.on("data", (chunk) => (text += chunk.toString("latin1")));
    socket.on("close", () => resolve(text));
    socket.on("error", () => resolve(text));
  });
  if (!options.read) socket.pause();
  return { socket, answer, received: () => text };
}

process.stdout.write(`| phase | outcome | RSS before | peak RSS | POST /v1/sessions p50 | time |\n|---|---|---|---|---|---|\n`);

await measure("nothing else (baseline)", async () => {}, async () => {
  await Bun.sleep(5_000);
  return "-";
});

// Raw sockets: Bun's fetch opens at most 256 connections at once.
await measure(
  "2,000 concurrent SSE streams (held 10 s)",
  async () => {
    const streams = Array.from(
      { length: 2_000 },
      () => rawRequest(`GET /v1/events HTTP/1.1\r\nhost: 127.0.0.1\r\n${AUTHORIZATION}\r\n`, { read: true }),
    );
    for (let waited = 0; waited < 200 && streams.some(({ received }) => received() === ""); waited++) await Bun.sleep(100);
    return streams;
  },
  async (streams) => {
    await Bun.sleep(10_000);
    expectRawStatus(streams, 200, "GET /v1/events");
    const answered = streams.filter(({ received }) => received().startsWith("HTTP/1.1 200")).length;
    const events = streams.reduce((sum, { received }) => sum + received().split("event: session.created").length - 1, 0);
    for (const { socket } of streams) socket.destroy();
    return `${answered} answered 200, ${(events / 2_000).toFixed(0)} events each`;
  },
);

/**
 * 200 event streams whose clients read nothing while `makeEvents` runs, then past the stall bound; then they
 * read what the broker left them. Says how many were cut off with stream.overflow (and after which event),
 * and how many got every event: those the kernel's socket buffers held for them.
 */
function unreadClientsPhase(name: string, makeEvents: () => Promise<void>, events: number) {
  return measure(
    name,
    async () =>
      Array.from({ length: 200 }, () => rawRequest(`GET /v1/events HTTP/1.1\r\nhost: 127.0.0.1\r\n${AUTHORIZATION}\r\n`, { read: false })),
    async (stalled) => {
      await makeEvents();
      await Bun.sleep((STALL_S + 5) * 1000);
      for (const { socket } of stalled) socket.resume();
      await Bun.sleep(3_000);
      expectRawStatus(stalled, 200, "GET /v1/events");
      const resumeAfter = stalled.flatMap(({ received }) => {
        const overflow = /event: stream\.overflow\r?\ndata: \{[^\n]*"resume_after":"(\d+)"/.exec(received());
        return overflow ? [Number(overflow[1])] : [];
      }).sort((a, b) => a - b);
      const complete = stalled.filter(({ received }) => received().split("\nid: ").length - 1 >= events).length;
      const megabytes = Math.max(...stalled.map(({ received }) => received().length)) / 1e6;
      for (const { socket } of stalled) socket.destroy();
      const where = resumeAfter.length ? ` (resume after event ${resumeAfter[0]}–${resumeAfter.at(-1)})` : "";
      return `${resumeAfter.length} of 200 cut off with stream.overflow${where}; ${complete} got all ${events.toLocaleString("en")} ` +
        `events (up to ${megabytes.toFixed(1)} MB each)`;
    },
  );
}

/** Creates `count` sessions, 50 at a time; `cancel` ends each again (two events per session, none left waiting). */
async function makeSessionEvents(count: number, options: { cancel: boolean }) {
  for (let batch = 0; batch < count / 50; batch++) {
    await Promise.all(Array.from({ length: 50 }, async () => {
      if (!options.cancel) return createSession();
      const { id } = await benchJson<{ id: string }>(`${broker.url}/v1/sessions`, { method: "POST", body: {} });
      await benchFetch(`${broker.url}/v1/sessions/${id}`, { method: "DELETE" });
    }));
  }
}

// What the kernel holds for a loopback socket that is never read (the broker's send buffer, autotuned up
// to net.ipv4.tcp_wmem's maximum, and the client's receive buffer) is more than 10,000 events.
await unreadClientsPhase("200 clients that never read, 10,000 events", () => makeSessionEvents(10_000, { cancel: false }), 10_000);
await unreadClientsPhase(
  "200 clients that never read, 40,000 events (20,000 sessions created and cancelled)",
  () => makeSessionEvents(20_000, { cancel: true }),
  40_000,
);

await measure(
  "100 history requests (?since= the start, 10,000 stored events each)",
  async () => {
    for (let batch = 0; batch < 10_000 / 50; batch++) await Promise.all(Array.from({ length: 50 }, createSession));
  },
  async () => {
    const replays = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const response = await benchFetch(`${broker.url}/v1/events?since=2000-01-01T00:00:00Z`);
        const reader = response.body!.getReader();
        let events = 0;
        const decoder = new TextDecoder();
        while (events < 10_000) {
          const { done, value } = await reader.read();
          if (done) break;
          events += decoder.decode(value, { stream: true }).split("\nid: ").length - 1;
        }
        await reader.cancel();
        return events;
      }),
    );
    return `${replays.filter((events) => events >= 10_000).length} of 100 replayed 10,000 events`;
  },
);

await measure("12 × 60 MB posts without a token to an enrolled agent's events", async () => {
  const registered = await benchJson<{ agent_id: string }>(`${broker.url}/v1/agents/register`, {
    method: "POST",
    authorization: bearerAuthorization(BENCH_ENROLL_TOKEN),
    body: { name: "bench-agent", version: VERSION, runtimes: [] },
  });
  return registered.agent_id;
}, async (agentId) => {
  const size = 60 * 1024 * 1024;
  const statuses = await Promise.all(
    Array.from({ length: 12 }, async () => {
      const chunk = new Uint8Array(1024 * 1024).fill(0x20);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= size) return controller.close();
          sent += chunk.length;
          controller.enqueue(chunk);
        },
      });
      const response = await fetch(`${broker.url}/v1/agents/${agentId}/events`, {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": String(size) },
        body,
        duplex: "half",
      } as RequestInit).catch(() => null);
      await response?.arrayBuffer();
      return response?.status ?? 0;
    }),
  );
  const counts = new Map<number, number>();
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts].map(([status, count]) => `${count}× ${status || "reset"}`).join(", ");
});

await measure(
  `300 bodies trickling 1 byte every 5 s (--body-timeout ${BODY_TIMEOUT_S})`,
  async () => {},
  async () => {
    const slow = Array.from(
      { length: 300 },
      () =>
        rawRequest(
          `POST /v1/sessions HTTP/1.1\r\nhost: 127.0.0.1\r\n${AUTHORIZATION}content-type: application/json\r\ncontent-length: 1000\r\n\r\n{`,
          {
            read: true,
          },
        ),
    );
    const trickle = setInterval(() => {
      for (const { socket } of slow) if (!socket.destroyed) socket.write(" ");
    }, 5_000);
    await Bun.sleep((BODY_TIMEOUT_S + 3) * 1000);
    clearInterval(trickle);
    expectRawStatus(slow, 408, "POST /v1/sessions with a trickling body");
    const cut = slow.filter(({ received }) => received().startsWith("HTTP/1.1 408")).length;
    for (const { socket } of slow) socket.destroy();
    return `${cut} of 300 cut with 408`;
  },
);
