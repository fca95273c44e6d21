/** Shared pieces of the benchmark scripts: a broker process on a throwaway database, wrk runs, percentiles. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import { $ } from "dax";
import { BENCH_ADMIN_TOKEN, BENCH_ENROLL_TOKEN, expectStatus, UnexpectedStatusError } from "./bench-requests.ts";

const benchFolders = new Set<string>();
const benchProcesses = new Set<Subprocess>();
// Exit handlers run after an uncaught error too; Ctrl-C exits through them as well. A failed
// benchmark must not leave a broker or agent running on the shared machine.
process.on("exit", () => {
  for (const proc of benchProcesses) proc.kill("SIGKILL");
  for (const folder of benchFolders) rmSync(folder, { recursive: true, force: true });
});
process.on("SIGINT", () => process.exit(130));

/** Ends the benchmark from a background loop, where Bun would only print an unhandled rejection and go on. */
export function failBenchmark(error: unknown): never {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
}

/** A temporary folder that is removed when the benchmark exits, whether it finished, failed or was interrupted. */
export function benchFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  benchFolders.add(folder);
  return folder;
}

/** A broker, agent or `serve` process, killed when the benchmark exits however it ends. */
export function spawnBenchProcess(
  command: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; stderr?: "inherit" | "ignore" } = {},
): Subprocess {
  const proc = Bun.spawn(command, { cwd: options.cwd, env: options.env, stdout: "ignore", stderr: options.stderr ?? "inherit" });
  benchProcesses.add(proc);
  void proc.exited.then(() => benchProcesses.delete(proc));
  return proc;
}

/** The `labbroker` command: the compiled binary, or the sources with Bun. */
export function labbrokerCommand(binary: string | undefined): string[] {
  return binary ? [resolve(binary)] : [process.execPath, join(import.meta.dirname, "../main.ts")];
}

export const randomBenchPort = () => 20_000 + Math.floor(Math.random() * 20_000);

/**
 * Polls `ready` until it holds; fails when one of `processes` exits first (a broker that could not
 * start, an agent the broker refused) or after `timeoutMs`.
 */
export async function waitFor(
  what: string,
  ready: () => Promise<boolean>,
  options: { processes?: readonly Subprocess[]; everyMs?: number; timeoutMs?: number } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await ready()) return;
    const exited = options.processes?.find((proc) => proc.exitCode !== null || proc.signalCode !== null);
    if (exited) throw new Error(`${what}: process ${exited.pid} exited first (${exited.exitCode ?? exited.signalCode})`);
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await Bun.sleep(options.everyMs ?? 20);
  }
}

/** Whether a broker answers its liveness check; false while nothing listens, a failure if something else answers. */
export async function answersHealthy(url: string): Promise<boolean> {
  const response = await fetch(`${url}/healthz`).catch(() => null);
  if (!response) return false;
  await expectStatus(response, `GET ${url}/healthz`, [204]);
  return true;
}

export interface BenchBroker {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `labbroker broker` on a fresh file database, with the bench enrollment token and the
 * bootstrap admin's token (BENCH_ADMIN_TOKEN) that benchFetch sends, both in its environment.
 */
export async function startBenchBroker(
  binary: string | undefined,
  extraArgs: string[] = [],
  env: Record<string, string> = {},
): Promise<BenchBroker> {
  const folder = benchFolder("labbroker-bench-");
  const port = randomBenchPort();
  const proc = spawnBenchProcess(
    [
      ...labbrokerCommand(binary),
      "broker",
      "--port",
      String(port),
      "--host",
      "127.0.0.1",
      "--db",
      `file:${join(folder, "bench.db")}`,
      "--log-level",
      "warn",
      ...extraArgs,
    ],
    { env: { ...process.env, LABBROKER_ENROLL_TOKEN: BENCH_ENROLL_TOKEN, LABBROKER_ADMIN_TOKEN: BENCH_ADMIN_TOKEN, ...env } },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor("the broker answering /healthz", () => answersHealthy(url), { processes: [proc] });
  return {
    url,
    pid: proc.pid,
    async stop() {
      proc.kill("SIGTERM");
      await proc.exited;
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

/**
 * Runs wrk (one thread: on two cores the other core is the broker's) and parses its summary; any
 * answer outside 2xx fails the benchmark. Socket errors are reported with the result.
 */
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
  const rejected = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  if (rejected > 0) {
    const request = `${options.method ?? "GET"} ${new URL(url).pathname}`;
    // One more request like wrk's shows what the broker answered (wrk counts, it does not say).
    const answer = await fetch(url, { method: options.method ?? "GET", headers: options.headers });
    await expectStatus(answer, request);
    throw new UnexpectedStatusError(
      `${request}: wrk got ${rejected} answers outside 2xx (a later one answered ${answer.status}):\n${output}`,
    );
  }
  const errors = /Socket errors: .*/.exec(output)?.[0] ?? null;
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
