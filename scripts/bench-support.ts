/** Shared pieces of the benchmark scripts: a broker process on a throwaway database, wrk runs, percentiles. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import { $ } from "dax";

export const BENCH_TOKEN = "lbe_benchmark-enrollment-token";

const benchFolders = new Set<string>();
const benchBrokers = new Set<Subprocess>();
// Exit handlers run after an uncaught error too; Ctrl-C exits through them as well.
process.on("exit", () => {
  for (const broker of benchBrokers) broker.kill("SIGKILL");
  for (const folder of benchFolders) rmSync(folder, { recursive: true, force: true });
});
process.on("SIGINT", () => process.exit(130));

/** A temporary folder that is removed when the benchmark exits, whether it finished, failed or was interrupted. */
export function benchFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  benchFolders.add(folder);
  return folder;
}

export interface BenchBroker {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts `labbroker broker` (the compiled binary, or the sources with Bun) on a fresh file database. */
export async function startBenchBroker(
  binary: string | undefined,
  extraArgs: string[] = [],
  env: Record<string, string> = {},
): Promise<BenchBroker> {
  const folder = benchFolder("labbroker-bench-");
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const command = binary ? [resolve(binary)] : [process.execPath, join(import.meta.dirname, "../main.ts")];
  const proc = Bun.spawn(
    [
      ...command,
      "broker",
      "--port",
      String(port),
      "--host",
      "127.0.0.1",
      "--db",
      `file:${join(folder, "bench.db")}`,
      "--enroll-token",
      BENCH_TOKEN,
      "--log-level",
      "warn",
      ...extraArgs,
    ],
    { stdout: "ignore", stderr: "inherit", env: { ...process.env, ...env } },
  );
  // A benchmark that fails leaves no broker behind.
  benchBrokers.add(proc);
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0;; attempt++) {
    try {
      if ((await fetch(`${url}/healthz`)).status === 204) break;
    } catch {
      if (attempt > 500) throw new Error("broker did not start");
    }
    await Bun.sleep(20);
  }
  return {
    url,
    pid: proc.pid,
    async stop() {
      proc.kill("SIGTERM");
      await proc.exited;
      benchBrokers.delete(proc);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

export interface WrkResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: string | null;
}

/** Runs wrk (one thread: on two cores the other core is the broker's) and parses its summary. */
export async function runWrk(
  url: string,
  options: { seconds: number; connections: number; method?: string; headers?: Record<string, string> },
): Promise<WrkResult> {
  const folder = benchFolder("labbroker-wrk-");
  const script = join(folder, "request.lua");
  const headers = Object.entries(options.headers ?? {}).map(([key, value]) =>
    `wrk.headers[${JSON.stringify(key)}] = ${JSON.stringify(value)}`
  );
  writeFileSync(script, [`wrk.method = ${JSON.stringify(options.method ?? "GET")}`, ...headers].join("\n") + "\n");
  const output = await $`wrk -t1 -c${options.connections} -d${options.seconds}s --latency -s ${script} ${url}`.text().finally(() =>
    rmSync(folder, { recursive: true, force: true })
  );
  const milliseconds = (label: string) => {
    const match = new RegExp(`^\\s*${label}\\s+([\\d.]+)(us|ms|s)`, "m").exec(output);
    if (!match) throw new Error(`wrk output has no ${label} line:\n${output}`);
    return Number(match[1]) * { us: 0.001, ms: 1, s: 1000 }[match[2] as "us" | "ms" | "s"];
  };
  const errors = /Non-2xx or 3xx responses: (\d+)|Socket errors: .*/.exec(output)?.[0] ?? null;
  return {
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1]),
    p50Ms: milliseconds("50%"),
    p99Ms: milliseconds("99%"),
    errors,
  };
}

export function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

export function formatWrk(result: WrkResult): string {
  return `${Math.round(result.requestsPerSecond).toLocaleString("en-US")} req/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${
    result.p99Ms.toFixed(2)
  } ms${result.errors ? ` (${result.errors})` : ""}`;
}

export function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
