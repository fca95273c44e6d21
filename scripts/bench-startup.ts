/**
 * Startup time and idle memory of the broker, and idle memory of `serve` (the broker and a local
 * agent in one process, what a single-host user runs).
 * Usage: bun scripts/bench-startup.ts [--binary dist/labbroker | --sources [--smol]] [--runs 10]
 * Each run starts the broker in an empty folder on a fresh database and polls /healthz every 2 ms;
 * idle memory is VmRSS 3 s after start. `serve` is started once, in an empty folder too; its idle
 * memory is VmRSS 3 s after its local agent registered its host.
 */
import { readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { benchFolder } from "./bench-support.ts";

const { values } = parseArgs({
  options: {
    binary: { type: "string", default: "dist/labbroker" },
    sources: { type: "boolean", default: false },
    smol: { type: "boolean", default: false },
    runs: { type: "string", default: "10" },
  },
});
const command = values.sources
  ? [process.execPath, ...(values.smol ? ["--smol"] : []), join(import.meta.dirname, "../main.ts")]
  : [resolve(values.binary)];
const runs = Number(values.runs);
/** The bootstrap admin's token, with which the benchmark lists `serve`'s hosts. */
const ADMIN_TOKEN = "lbt_benchmark-admin-token";

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024;
const freePort = () => 20_000 + Math.floor(Math.random() * 20_000);

async function waitFor(ready: () => Promise<boolean>): Promise<void> {
  for (;;) {
    if (await ready().catch(() => false)) return;
    await Bun.sleep(2);
  }
}

/** Starts `labbroker <verb>` in a fresh empty folder, its database in that folder. */
function start(verb: "broker" | "serve", port: number) {
  const folder = benchFolder("labbroker-bench-");
  const proc = Bun.spawn([...command, verb, "--port", String(port), "--host", "127.0.0.1", "--log-level", "warn"], {
    cwd: folder,
    stdout: "ignore",
    stderr: "ignore",
    env: { ...process.env, LABBROKER_ADMIN_TOKEN: ADMIN_TOKEN },
  });
  return {
    pid: proc.pid,
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
  const port = freePort();
  const started = performance.now();
  const broker = start("broker", port);
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 204);
  startups.push(performance.now() - started);
  if (run === runs - 1) {
    await Bun.sleep(3000);
    brokerIdleMiB = rssMiB(broker.pid);
  }
  await broker.stop();
}

const servePort = freePort();
const serve = start("serve", servePort);
await waitFor(async () => {
  const hosts = await fetch(`http://127.0.0.1:${servePort}/v1/hosts`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  return ((await hosts.json()) as { items: unknown[] }).items.length > 0;
});
await Bun.sleep(3000);
const serveIdleMiB = rssMiB(serve.pid);
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
