/**
 * Throughput and latency of the Remote Lab session routes under concurrent load on loopback, with
 * the queue empty and with 10,000 sessions waiting (wrk as the load generator, one thread).
 * Usage: bun scripts/bench-sessions.ts [--binary dist/labbroker] [--seconds 10] [--connections 64]
 */
import { parseArgs } from "node:util";
import { VERSION } from "../src/version.ts";
import { BENCH_TOKEN, type BenchBroker, formatWrk, runWrk, startBenchBroker } from "./bench-support.ts";

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

async function brokerWithQueue(waiting: number): Promise<{ broker: BenchBroker; activeId: string; lastWaitingId: string }> {
  const broker = await startBenchBroker(values.binary, ["--db-sync", values["db-sync"]!]);
  const registered = await fetch(`${broker.url}/v1/agents/register`, {
    method: "POST",
    headers: { authorization: `Bearer ${BENCH_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "bench-host", version: VERSION, runtimes: [{ name: "native", version: null }] }),
  });
  if (registered.status !== 201) throw new Error(`registration failed: ${registered.status}`);
  const create = async () =>
    ((await (await fetch(`${broker.url}/session`, { method: "POST" })).json()) as { session_id: string }).session_id;
  const activeId = await create();
  let lastWaitingId = activeId;
  for (let made = 0; made < waiting; made += 100) {
    const batch = await Promise.all(Array.from({ length: Math.min(100, waiting - made) }, create));
    lastWaitingId = batch.at(-1)!;
  }
  return { broker, activeId, lastWaitingId };
}

const lines: string[] = [];
for (const waiting of [0, 10_000]) {
  const label = waiting === 0 ? "queue empty" : "10,000 waiting";
  {
    const { broker, activeId, lastWaitingId } = await brokerWithQueue(waiting);
    const target = waiting === 0 ? activeId : lastWaitingId;
    const result = await runWrk(`${broker.url}/session/${target}`, { seconds, connections });
    lines.push(`| GET /session/{id} | ${label} | ${formatWrk(result)} |`);
    await broker.stop();
  }
  {
    const { broker } = await brokerWithQueue(waiting);
    const result = await runWrk(`${broker.url}/session`, { seconds, connections, method: "POST" });
    lines.push(`| POST /session (db-sync ${values["db-sync"]}) | ${label} | ${formatWrk(result)} |`);
    await broker.stop();
  }
}
process.stdout.write(`| route | queue | result (${connections} connections, ${seconds} s) |\n|---|---|---|\n${lines.join("\n")}\n`);
