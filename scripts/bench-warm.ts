/**
 * Warm labs against cold deploys, through a broker and a real agent process (native runtime): the
 * time from a session being active to its lab running, when the lab is deployed (cold) and when a
 * warm lab of the same topology is taken (warm); and the reset the agent runs between sessions.
 * Usage (as root: the agent creates network namespaces): bun scripts/bench-warm.ts [--sizes 2,10] [--runs 5]
 * Each size is a line of linux nodes with one exec command per node (as bench-native.ts).
 */
import { parseArgs } from "node:util";
import { BENCH_ENROLL_TOKEN, benchJson } from "./bench-requests.ts";
import { benchFolder, labbrokerCommand, median, spawnBenchProcess, startBenchBroker, waitFor } from "./bench-support.ts";

const { values } = parseArgs({ options: { sizes: { type: "string", default: "2,10" }, runs: { type: "string", default: "5" } } });
const sizes = values.sizes.split(",").map(Number);
const runs = Number(values.runs);
if (process.getuid?.() !== 0) throw new Error("bench-warm needs root: its agent creates network namespaces");

const HOST = `bench-warm-${process.pid}`;

function lineTopology(size: number): string {
  const nodes = Array.from(
    { length: size },
    (_, index) => `    n${index + 1}: {kind: linux, exec: ["ip address add 10.0.${index}.1/32 dev lo"]}`,
  );
  const links = Array.from({ length: size - 1 }, (_, index) => `    - endpoints: ["n${index + 1}:eth2", "n${index + 2}:eth1"]`);
  return `name: warm${size}-${process.pid}\ntopology:\n  nodes:\n${nodes.join("\n")}\n  links:\n${links.join("\n")}\n`;
}

/** A call as the bootstrap admin. */
const api = (url: string, method: string, path: string, body?: unknown) =>
  benchJson<Record<string, unknown>>(`${url}${path}`, { method, body });

/** Polls every 2 ms (the times are read off these waits); fails if the agent dies meanwhile. */
const until = (what: string, ready: () => Promise<boolean>) => waitFor(what, ready, { everyMs: 2, processes: [agent] });

/** A session pinned to the bench host, once active (the host may still be checked after the previous one). */
async function activeSession(url: string): Promise<string> {
  const { id } = await api(url, "POST", "/v1/sessions", { requirements: [{ host: HOST }] });
  await until(`session ${id} active`, async () => (await api(url, "GET", `/v1/sessions/${id}`)).state === "active");
  return String(id);
}

/** Milliseconds from the session being active to its lab running; the lab's id. */
async function labUsable(url: string, sessionId: string, topology: string, keepWarm: boolean): Promise<{ ms: number; labId: string }> {
  const started = performance.now();
  const lab = await api(url, "POST", "/v1/labs", { session_id: sessionId, topology, topology_file: "warm.clab.yml", keep_warm: keepWarm });
  await until(`lab ${lab.id} running`, async () => {
    const view = await api(url, "GET", `/v1/labs/${lab.id}`);
    if (view.state === "failed") throw new Error(`lab failed: ${view.error}`);
    return view.state === "running";
  });
  return { ms: performance.now() - started, labId: String(lab.id) };
}

const broker = await startBenchBroker(undefined, ["--warm-labs-per-host", "1"]);
const agent = spawnBenchProcess([
  ...labbrokerCommand(undefined),
  "agent",
  "--broker",
  broker.url,
  "--name",
  HOST,
  "--work-dir",
  benchFolder("bench-warm-agent-"),
  "--health-gate",
  "processes",
  "--log-level",
  "warn",
], { env: { ...process.env, LABBROKER_ENROLL_TOKEN: BENCH_ENROLL_TOKEN } });
try {
  await waitFor("the agent's host online", async () => {
    const { items } = (await api(broker.url, "GET", "/v1/hosts")) as { items: { name: string; state: string }[] };
    return items.some((host) => host.name === HOST && host.state === "online");
  }, { processes: [agent] });
  console.log("| nodes | cold: active → lab running | warm: active → lab running | reset between sessions |");
  console.log("|---:|---:|---:|---:|");
  for (const size of sizes) {
    const topology = lineTopology(size);
    const cold: number[] = [];
    for (let run = 0; run < runs; run++) {
      const session = await activeSession(broker.url);
      cold.push((await labUsable(broker.url, session, topology, false)).ms);
      await api(broker.url, "DELETE", `/v1/sessions/${session}`);
    }
    const warm: number[] = [];
    const resets: number[] = [];
    let labId = "";
    for (let run = 0; run <= runs; run++) {
      const session = await activeSession(broker.url);
      const usable = await labUsable(broker.url, session, topology, true);
      // The first run deploys the lab that goes warm; the others take it.
      if (run > 0) warm.push(usable.ms);
      labId = usable.labId;
      const ended = performance.now();
      await api(broker.url, "DELETE", `/v1/sessions/${session}`);
      await until(`lab ${labId} warm again`, async () => {
        const view = await api(broker.url, "GET", `/v1/labs/${labId}`);
        return view.state === "running" && Boolean(view.warm_until);
      });
      resets.push(performance.now() - ended);
    }
    await api(broker.url, "DELETE", `/v1/labs/${labId}?force=true`);
    await until(`lab ${labId} destroyed`, async () => (await api(broker.url, "GET", `/v1/labs/${labId}`)).state === "inactive");
    const ms = (samples: number[]) => `${Math.round(median(samples))} ms`;
    console.log(`| ${size} | ${ms(cold)} | ${ms(warm)} | ${ms(resets)} |`);
  }
} finally {
  agent.kill("SIGTERM");
  await agent.exited;
  await broker.stop();
}
