/**
 * Startup time and idle memory of the broker, and idle memory of `serve` (the broker and a local
 * agent in one process, what a single-host user runs).
 * Usage: bun scripts/bench-startup.ts [--binary dist/labbroker | --sources [--smol]] [--runs 10]
 * Each run starts the broker in an empty folder on a fresh database and polls /healthz every 2 ms;
 * idle memory is VmRSS 3 s after start. `serve` is started once, in an empty folder too; its idle
 * memory is VmRSS 3 s after its local agent registered its host.
 */
import { readFileSync, rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { BENCH_ADMIN_TOKEN, benchJson } from "./bench-requests.ts";
import { answersHealthy, benchFolder, labbrokerCommand, randomBenchPort, spawnBenchProcess, waitFor } from "./bench-support.ts";

const { values } = parseArgs({
  options: {
    binary: { type: "string", default: "dist/labbroker" },
    sources: { type: "boolean", default: false },
    smol: { type: "boolean", default: false },
    runs: { type: "string", default: "10" },
  },
});
const [program, ...programArgs] = labbrokerCommand(values.sources ? undefined : values.binary);
const command = [program!, ...(values.sources && values.smol ? ["--smol"] : []), ...programArgs];
const runs = Number(values.runs);

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024;

/** Starts `labbroker <verb>` in a fresh empty folder, its database in that folder. */
function start(verb: "broker" | "serve", port: number) {
  const folder = benchFolder("labbroker-bench-");
  const proc = spawnBenchProcess([...command, verb, "--port", String(port), "--host", "127.0.0.1", "--log-level", "warn"], {
    cwd: folder,
    stderr: "ignore",
    env: { ...process.env, LABBROKER_ADMIN_TOKEN: BENCH_ADMIN_TOKEN },
  });
  return {
    proc,
    async stop() {
      proc.kill("SIGTERM");
      await proc.exited;
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

const startups: number[] = [];
let brokerIdleMiB = 0;
for (let run = 0; run < runs; run++) {
  const port = randomBenchPort();
  const started = performance.now();
  const broker = start("broker", port);
  await waitFor("the broker answering /healthz", () => answersHealthy(`http://127.0.0.1:${port}`), {
    processes: [broker.proc],
    everyMs: 2,
  });
  startups.push(performance.now() - started);
  if (run === runs - 1) {
    await Bun.sleep(3000);
    brokerIdleMiB = rssMiB(broker.proc.pid);
  }
  await broker.stop();
}

const servePort = randomBenchPort();
const serve = start("serve", servePort);
await waitFor("serve's local agent to register its host", async () => {
  const hosts = await benchJson<{ items: unknown[] }>(`http://127.0.0.1:${servePort}/v1/hosts`).catch(() => ({ items: [] }));
  return hosts.items.length > 0;
}, { processes: [serve.proc] });
await Bun.sleep(3000);
const serveIdleMiB = rssMiB(serve.proc.pid);
await serve.stop();

startups.sort((a, b) => a - b);
const median = startups[Math.floor(startups.length / 2)]!;
process.stdout.write(
  `${command.join(" ")}\n` +
    `startup to first /healthz 204 (fresh database, ${runs} runs): median ${median.toFixed(1)} ms, min ${startups[0]!.toFixed(1)} ms, max ${
      startups.at(-1)!.toFixed(1)
    } ms\n` +
    `broker idle RSS 3 s after start: ${brokerIdleMiB.toFixed(1)} MiB\n` +
    `serve (broker + local agent) idle RSS 3 s after its host registered: ${serveIdleMiB.toFixed(1)} MiB\n`,
);
