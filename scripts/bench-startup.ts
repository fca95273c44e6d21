/**
 * Startup time and idle memory of the compiled broker.
 * Usage: bun scripts/bench-startup.ts [--binary dist/labbroker] [--runs 10]
 * Each run starts the binary in an empty folder on a fresh database and polls /healthz every 2 ms;
 * idle memory is VmRSS 3 s after start.
 */
import { readFileSync, rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { answersHealthy, benchFolder, labbrokerCommand, randomBenchPort, spawnBenchProcess, waitFor } from "./bench-support.ts";

const { values } = parseArgs({
  options: { binary: { type: "string", default: "dist/labbroker" }, runs: { type: "string", default: "10" } },
});
const runs = Number(values.runs);

const startups: number[] = [];
let idleRssKiB = 0;
for (let run = 0; run < runs; run++) {
  const folder = benchFolder("labbroker-bench-");
  const port = randomBenchPort();
  const started = performance.now();
  const proc = spawnBenchProcess([
    ...labbrokerCommand(values.binary),
    "broker",
    "--port",
    String(port),
    "--host",
    "127.0.0.1",
    "--log-level",
    "warn",
  ], {
    cwd: folder,
    stderr: "ignore",
  });
  await waitFor("the broker answering /healthz", () => answersHealthy(`http://127.0.0.1:${port}`), { processes: [proc], everyMs: 2 });
  startups.push(performance.now() - started);
  if (run === runs - 1) {
    await Bun.sleep(3000);
    const status = readFileSync(`/proc/${proc.pid}/status`, "utf8");
    idleRssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  }
  proc.kill("SIGTERM");
  await proc.exited;
  rmSync(folder, { recursive: true, force: true });
}
startups.sort((a, b) => a - b);
const median = startups[Math.floor(startups.length / 2)]!;
process.stdout.write(
  `startup to first /healthz 204 (fresh database, ${runs} runs): median ${median.toFixed(1)} ms, min ${startups[0]!.toFixed(1)} ms, max ${
    startups.at(-1)!.toFixed(1)
  } ms\n` +
    `idle RSS 3 s after start: ${(idleRssKiB / 1024).toFixed(1)} MiB\n`,
);
