/**
 * Work dispatch latency (work queued → the agent has it) with 1 and 50 long-polling agents, and the
 * broker's memory with 200 agents holding long polls.
 * Usage: bun scripts/bench-agents.ts [--binary dist/labbroker] [--samples 200]
 * The agents are protocol clients in this process (register, long-poll, answer each work item with
 * a result event at once); the broker is a separate process on loopback.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { BrokerClient } from "../src/agents/broker-client.ts";
import { VERSION } from "../src/version.ts";
import { BENCH_ENROLL_TOKEN, benchJson } from "./bench-requests.ts";
import { failBenchmark, percentile, startBenchBroker } from "./bench-support.ts";

const { values } = parseArgs({
  options: { binary: { type: "string", default: "dist/labbroker" }, samples: { type: "string", default: "200" } },
});
const samples = Number(values.samples);

interface SimulatedAgent {
  name: string;
  received: Map<string, number>;
  stop: AbortController;
}

async function startAgents(url: string, count: number): Promise<SimulatedAgent[]> {
  const client = new BrokerClient(url);
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const name = `bench-${count}-${index}`;
      const { agent_id, agent_token } = await client.register(BENCH_ENROLL_TOKEN, {
        name,
        version: VERSION,
        runtimes: [{ name: "native", version: null }],
      });
      const agent: SimulatedAgent = { name, received: new Map(), stop: new AbortController() };
      // Only the abort at the end may end a poll early; any refusal fails the benchmark.
      void (async () => {
        while (!agent.stop.signal.aborted) {
          const { work } = await client.poll(agent_id, agent_token, { running: [], wait_s: 25 }, agent.stop.signal).catch((error) => {
            if (agent.stop.signal.aborted) return { work: [] };
            throw error;
          });
          for (const item of work) {
            agent.received.set(item.id, performance.now());
            await client.sendEvents(agent_id, agent_token, {
              events: [{ work_id: item.id, seq: 1, type: "result", ok: true, result: { runtimes: [], inventory: {} } }],
            });
          }
        }
      })().catch(failBenchmark);
      return agent;
    }),
  );
}

async function dispatchLatency(agentCount: number): Promise<string> {
  const broker = await startBenchBroker(values.binary);
  const agents = await startAgents(broker.url, agentCount);
  await Bun.sleep(200);
  const latencies: number[] = [];
  for (let sample = 0; sample < samples; sample++) {
    const agent = agents[sample % agents.length]!;
    const queuedAt = performance.now();
    const { id } = await benchJson<{ id: string }>(`${broker.url}/v1/hosts/${agent.name}/refresh-inventory`, { method: "POST" });
    while (!agent.received.has(id)) await Bun.sleep(0);
    latencies.push(agent.received.get(id)! - queuedAt);
  }
  for (const agent of agents) agent.stop.abort();
  await broker.stop();
  latencies.sort((a, b) => a - b);
  return `| ${agentCount} | ${percentile(latencies, 0.5).toFixed(2)} ms | ${percentile(latencies, 0.99).toFixed(2)} ms | ${samples} |`;
}

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024;

async function memoryWithAgents(agentCount: number): Promise<string> {
  const broker = await startBenchBroker(values.binary);
  await Bun.sleep(1000);
  const idle = rssMiB(broker.pid);
  const agents = await startAgents(broker.url, agentCount);
  await Bun.sleep(3000);
  const holding = rssMiB(broker.pid);
  for (const agent of agents) agent.stop.abort();
  await broker.stop();
  return `| idle, no agents | ${idle.toFixed(1)} MiB |\n| ${agentCount} agents holding long polls | ${holding.toFixed(1)} MiB |`;
}

const rows = [await dispatchLatency(1), await dispatchLatency(50)];
process.stdout.write(`| agents | p50 | p99 | samples |\n|---|---|---|---|\n${rows.join("\n")}\n\n`);
process.stdout.write(`| broker RSS | value |\n|---|---|\n${await memoryWithAgents(200)}\n`);
