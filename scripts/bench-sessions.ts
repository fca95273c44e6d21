/**
 * Throughput and latency of the Remote Lab session routes under concurrent load on loopback, with
 * the queue empty and with 10,000 sessions waiting (wrk as the load generator, one thread).
 * Usage: bun scripts/bench-sessions.ts [--binary dist/labbroker] [--seconds 10] [--connections 64]
 * The client is set up as a Remote Lab Python client is: a user token made for it (`ci`), sent as
 * HTTP Basic, which is what `requests` does with REMOTE_LAB_URL=http://ci:TOKEN@broker.
 */
import { parseArgs } from "node:util";
import { VERSION } from "../src/version.ts";
import { basicAuthorization, bearerAuthorization, BENCH_ENROLL_TOKEN, benchFetch, benchJson, createUserToken } from "./bench-requests.ts";
import { type BenchBroker, formatWrk, runWrk, startBenchBroker } from "./bench-support.ts";

const { values } = parseArgs({
  options: {
    binary: { type: "string", default: "dist/labbroker" },
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "64" },
    "db-sync": { type: "string", default: "full" },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
// POST /session queues some 20,000 sessions a second: the default bound of 10,000 waiting would
// answer 429 within a second. 1,000,000 (the most the flag takes) lasts about 50 s of it.
const BROKER_ARGS = ["--db-sync", values["db-sync"]!, "--max-waiting", "1000000"];

interface QueuedBroker {
  broker: BenchBroker;
  authorization: string;
  activeId: string;
  lastWaitingId: string;
}

async function brokerWithQueue(waiting: number): Promise<QueuedBroker> {
  const broker = await startBenchBroker(values.binary, BROKER_ARGS);
  await benchFetch(`${broker.url}/v1/agents/register`, {
    method: "POST",
    authorization: bearerAuthorization(BENCH_ENROLL_TOKEN),
    body: { name: "bench-host", version: VERSION, runtimes: [{ name: "native", version: null }] },
    expect: [201],
  });
  const authorization = basicAuthorization("ci", await createUserToken(broker.url, "ci"));
  const create = async () =>
    (await benchJson<{ session_id: string }>(`${broker.url}/session`, { method: "POST", authorization, expect: [201] })).session_id;
  const activeId = await create();
  let lastWaitingId = activeId;
  for (let made = 0; made < waiting; made += 100) {
    const batch = await Promise.all(Array.from({ length: Math.min(100, waiting - made) }, create));
    lastWaitingId = batch.at(-1)!;
  }
  return { broker, authorization, activeId, lastWaitingId };
}

const lines: string[] = [];
for (const waiting of [0, 10_000]) {
  const label = waiting === 0 ? "queue empty" : "10,000 waiting";
  {
    const { broker, authorization, activeId, lastWaitingId } = await brokerWithQueue(waiting);
    const target = waiting === 0 ? activeId : lastWaitingId;
    const result = await runWrk(`${broker.url}/session/${target}`, { seconds, connections, headers: { authorization } });
    lines.push(`| GET /session/{id} | ${label} | ${formatWrk(result)} |`);
    await broker.stop();
  }
  {
    const { broker, authorization } = await brokerWithQueue(waiting);
    const result = await runWrk(`${broker.url}/session`, { seconds, connections, method: "POST", headers: { authorization } });
    lines.push(`| POST /session (db-sync ${values["db-sync"]}) | ${label} | ${formatWrk(result)} |`);
    await broker.stop();
  }
}
process.stdout.write(`| route | queue | result (${connections} connections, ${seconds} s) |\n|---|---|---|\n${lines.join("\n")}\n`);
