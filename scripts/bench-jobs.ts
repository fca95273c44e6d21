/**
 * Jobs through the broker and real agent processes: the round trip of a foreground `true` job (API
 * call to answer), and jobs/s with many sessions each running foreground jobs back to back.
 * Usage (as root: agents run as root on lab hosts): npm run build && bun scripts/bench-jobs.ts
 *   [--binary dist/labbroker] [--samples 500] [--sessions 50] [--seconds 10] [--layouts 1x50,5x10] [--db-sync full|normal]
 * A layout AxC is A agent processes on this machine, each a host with capacity C (A×C ≥ sessions);
 * every session is pinned to one host, spread evenly. Broker and agents are the compiled binary.
 * A session on a shared host (capacity above 1) may not act in the host's own namespace, so each
 * deploys a one-node native lab first (not timed, one at a time) and runs its jobs in that node.
 * Sessions and jobs are a user token's (`ci`, sent as a bearer token, as the CLI and SDK send it).
 */
import { readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { bearerAuthorization, BENCH_ENROLL_TOKEN, benchFetch, benchJson, createUserToken } from "./bench-requests.ts";
import { benchFolder, percentile, spawnBenchProcess, startBenchBroker, waitFor } from "./bench-support.ts";

const { values } = parseArgs({
  options: {
    binary: { type: "string", default: "dist/labbroker" },
    samples: { type: "string", default: "500" },
    sessions: { type: "string", default: "50" },
    seconds: { type: "string", default: "10" },
    layouts: { type: "string", default: "1x50,5x10" },
    "db-sync": { type: "string", default: "full" },
  },
});
const binary = resolve(values.binary);
const sessions = Number(values.sessions);
const layouts = values.layouts.split(",").map((layout) => layout.split("x").map(Number) as [number, number]);

interface Agents {
  names: string[];
  pids: number[];
  stop(): Promise<void>;
}

/** CPU seconds a process used so far, its reaped children (the jobs' shells and commands) included, from /proc. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const [utime, stime, cutime, cstime] = stat.slice(stat.lastIndexOf(")") + 2).split(" ").slice(11, 15).map(Number);
  return (utime! + stime! + cutime! + cstime!) / 100;
}

/** `count` agent processes, each registering a host of `capacity`; resolves once the broker lists them all. */
async function startAgents(url: string, count: number, capacity: number): Promise<Agents> {
  const folder = benchFolder("labbroker-bench-agents-");
  const names = Array.from({ length: count }, (_, index) => `bench-host-${index + 1}`);
  const procs = names.map((name) =>
    spawnBenchProcess([
      binary,
      "agent",
      "--broker",
      url,
      "--name",
      name,
      "--capacity",
      String(capacity),
      "--work-dir",
      join(folder, name),
      "--log-level",
      "warn",
    ], { env: { ...process.env, LABBROKER_ENROLL_TOKEN: BENCH_ENROLL_TOKEN } })
  );
  await waitFor("every agent online", async () => {
    const { items } = await benchJson<{ items: { name: string; online: boolean }[] }>(`${url}/v1/hosts`);
    return names.every((name) => items.some((host) => host.name === name && host.online));
  }, { processes: procs, everyMs: 50 });
  return {
    names,
    pids: procs.map((proc) => proc.pid),
    async stop() {
      for (const proc of procs) proc.kill("SIGTERM");
      await Promise.all(procs.map((proc) => proc.exited));
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Where a job runs: the session's host (which it holds whole), or a node of its lab on a shared host. */
type JobTarget = { lab_id: string; node: string } | Record<string, never>;

async function openSession(url: string, authorization: string, host: string): Promise<string> {
  const session = await benchJson<{ id: string; state: string }>(`${url}/v1/sessions`, {
    method: "POST",
    authorization,
    body: { requirements: [{ host }] },
  });
  if (session.state !== "active") throw new Error(`session on ${host} is ${session.state}, not active`);
  return session.id;
}

/** One foreground `true` job; resolves with the milliseconds from the call to the answer. */
/** A one-node native lab of the session, once running; its instance name is unique on this machine. */
async function labNode(url: string, authorization: string, sessionId: string, index: number): Promise<JobTarget> {
  const topology = `name: jb${process.pid}x${index}\ntopology:\n  nodes:\n    n1: {kind: linux}\n`;
  const lab = await benchJson<{ id: string }>(`${url}/v1/labs`, {
    method: "POST",
    authorization,
    body: { session_id: sessionId, topology, topology_file: "job.clab.yml" },
  });
  await waitFor(`lab ${lab.id} running`, async () => {
    const view = await benchJson<{ state: string; error: string | null }>(`${url}/v1/labs/${lab.id}`, { authorization });
    if (view.state === "failed") throw new Error(`lab ${lab.id} failed: ${view.error}`);
    return view.state === "running";
  });
  return { lab_id: lab.id, node: "n1" };
}

/** Ends the sessions and waits until their labs are destroyed, so no namespace outlives the agents. */
async function endSessions(url: string, authorization: string, ids: string[]): Promise<void> {
  for (const id of ids) await benchFetch(`${url}/v1/sessions/${id}`, { method: "DELETE", authorization });
  await waitFor("the labs destroyed", async () => {
    const { items } = await benchJson<{ items: { state: string }[] }>(`${url}/v1/labs`);
    return items.every((lab) => lab.state === "inactive" || lab.state === "failed");
  });
}

async function runTrue(url: string, authorization: string, sessionId: string, target: JobTarget = {}): Promise<number> {
  const started = performance.now();
  const response = await benchFetch(`${url}/v1/sessions/${sessionId}/jobs`, {
    method: "POST",
    authorization,
    body: { argv: ["true"], ...target },
    expect: [200],
  });
  const job = (await response.json()) as { state: string; passed: boolean };
  const elapsed = performance.now() - started;
  if (job.state !== "finished" || !job.passed) throw new Error(`job did not pass: ${JSON.stringify(job)}`);
  return elapsed;
}

/** A user token for the sessions and jobs, as a CI job has. */
const userAuthorization = async (url: string) => bearerAuthorization(await createUserToken(url, "ci"));

async function roundTrip(): Promise<string> {
  const broker = await startBenchBroker(binary, ["--db-sync", values["db-sync"]]);
  const agents = await startAgents(broker.url, 1, 1);
  try {
    const authorization = await userAuthorization(broker.url);
    const sessionId = await openSession(broker.url, authorization, agents.names[0]!);
    for (let warmup = 0; warmup < 20; warmup++) await runTrue(broker.url, authorization, sessionId);
    const times: number[] = [];
    for (let sample = 0; sample < Number(values.samples); sample++) times.push(await runTrue(broker.url, authorization, sessionId));
    times.sort((a, b) => a - b);
    return `| 1 agent, 1 session, sequential | ${percentile(times, 0.5).toFixed(2)} ms | ${
      percentile(times, 0.99).toFixed(2)
    } ms | ${times.length} |`;
  } finally {
    await agents.stop();
    await broker.stop();
  }
}

async function throughput([agentCount, capacity]: [number, number]): Promise<string> {
  if (agentCount * capacity < sessions) throw new Error(`layout ${agentCount}x${capacity} cannot hold ${sessions} sessions`);
  const broker = await startBenchBroker(binary, ["--db-sync", values["db-sync"]]);
  const agents = await startAgents(broker.url, agentCount, capacity);
  const authorization = await userAuthorization(broker.url);
  const ids: string[] = [];
  try {
    for (let index = 0; index < sessions; index++) {
      ids.push(await openSession(broker.url, authorization, agents.names[index % agentCount]!));
    }
    const targets: JobTarget[] = [];
    for (const [index, id] of ids.entries()) targets.push(capacity > 1 ? await labNode(broker.url, authorization, id, index) : {});
    await Promise.all(ids.map((id, index) => runTrue(broker.url, authorization, id, targets[index])));
    const deadline = performance.now() + Number(values.seconds) * 1000;
    const times: number[] = [];
    const cpuBefore = { broker: cpuSeconds(broker.pid), agents: agents.pids.map(cpuSeconds) };
    const started = performance.now();
    await Promise.all(
      ids.map(async (id, index) => {
        while (performance.now() < deadline) times.push(await runTrue(broker.url, authorization, id, targets[index]));
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;
    const brokerMs = ((cpuSeconds(broker.pid) - cpuBefore.broker) * 1000) / times.length;
    const agentsMs = (agents.pids.reduce((sum, pid, index) => sum + cpuSeconds(pid) - cpuBefore.agents[index]!, 0) * 1000) / times.length;
    times.sort((a, b) => a - b);
    const row = [
      `${agentCount} agent${agentCount > 1 ? "s" : ""} × capacity ${capacity}`,
      sessions,
      `${Math.round(times.length / elapsedS).toLocaleString("en-US")} jobs/s`,
    ];
    row.push(
      `${percentile(times, 0.5).toFixed(1)} ms`,
      `${percentile(times, 0.99).toFixed(1)} ms`,
      times.length,
      `${brokerMs.toFixed(2)} ms`,
      `${agentsMs.toFixed(2)} ms`,
    );
    return `| ${row.join(" | ")} |`;
  } finally {
    try {
      await endSessions(broker.url, authorization, ids);
    } finally {
      await agents.stop();
      await broker.stop();
    }
  }
}

const single = await roundTrip();
process.stdout.write(`| foreground \`true\` job, API call to answer | p50 | p99 | samples |\n|---|---|---|---|\n${single}\n\n`);
const rows: string[] = [];
for (const layout of layouts) rows.push(await throughput(layout));
process.stdout.write(
  `| hosts | sessions | throughput (${values.seconds} s) | p50 | p99 | jobs | broker CPU per job | agent CPU per job (with the job's processes) |\n|---|---:|---:|---:|---:|---:|---:|---:|\n${
    rows.join("\n")
  }\n`,
);
