import type { Subprocess } from "bun";
import { join } from "node:path";
import { TEST_ADMIN_TOKEN } from "./test-broker.ts";

const MAIN = join(import.meta.dir, "../../main.ts");

/** A labbroker process started by a test; every one is killed by `stopAllProcesses`. */
export interface LabbrokerProcess {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  /** Every log line (stderr) parsed as JSON, as they arrive. */
  logs: Record<string, unknown>[];
  /** Resolves with the first log line that satisfies `match`; rejects if the process exits first or after `timeoutMs`. */
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  stdout(): string;
  kill(signal?: NodeJS.Signals): Promise<number>;
}

const running = new Set<LabbrokerProcess>();

/** What every test broker is started with and every test client command uses. */
export const TEST_CREDENTIALS = { LABBROKER_ADMIN_TOKEN: TEST_ADMIN_TOKEN, LABBROKER_TOKEN: TEST_ADMIN_TOKEN };

/** This process's environment without LABBROKER_* (a developer's shell may set them), for child processes. */
export function environmentWithoutLabbroker(): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("LABBROKER_")));
}

/**
 * Starts `labbroker ARGS…` from source (or `binary` when given) with a clean LABBROKER_* environment;
 * `wrapper` goes before it (e.g. `nsenter --net=…` to run it in another network namespace). A broker
 * gets TEST_ADMIN_TOKEN as its admin token and a client command uses it, unless `credentials: false`
 * (a test of what happens without them).
 */
export function startLabbroker(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; binary?: string; wrapper?: string[]; credentials?: false } = {},
): LabbrokerProcess {
  // This machine is shared with other test runs that add namespaces and links at any time: agents check
  // only what is certainly their sessions' (tests of the full gate ask for it with --health-gate full).
  const env = {
    ...environmentWithoutLabbroker(),
    LABBROKER_AGENT_HEALTH_GATE: "processes",
    ...(options.credentials === false ? {} : TEST_CREDENTIALS),
  };
  const command = [...(options.wrapper ?? []), ...(options.binary ? [options.binary, ...args] : [process.execPath, MAIN, ...args])];
  const proc = Bun.spawn(command, { env: { ...env, ...options.env }, cwd: options.cwd, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const logs: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let stdoutText = "";
  void (async () => {
    for await (const chunk of proc.stdout.pipeThrough(new TextDecoderStream())) stdoutText += chunk;
  })();
  void (async () => {
    let buffer = "";
    for await (const chunk of proc.stderr.pipeThrough(new TextDecoderStream())) {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        try {
          logs.push(JSON.parse(line));
        } catch {
          logs.push({ msg: line, unstructured: true });
        }
        for (const wake of waiters) wake();
      }
    }
    for (const wake of waiters) wake();
  })();
  const handle: LabbrokerProcess = {
    proc,
    logs,
    stdout: () => stdoutText,
    waitForLog(match, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => finish(() => reject(new Error(`no matching log line within ${timeoutMs} ms; last: ${JSON.stringify(logs.slice(-3))}`))),
          timeoutMs,
        );
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        const check = () => {
          const found = logs.find(match);
          if (found) return finish(() => resolve(found));
          if (proc.exitCode !== null || proc.signalCode !== null) {
            finish(() =>
              reject(
                new Error(
                  `process exited (${proc.exitCode ?? proc.signalCode}) before the log line; last: ${JSON.stringify(logs.slice(-5))}`,
                ),
              )
            );
          }
        };
        waiters.add(check);
        check();
      });
    },
    async kill(signal = "SIGTERM") {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const code = await proc.exited;
      running.delete(handle);
      return code;
    },
  };
  running.add(handle);
  return handle;
}

/** Where a test's broker (or `serve`) listens and keeps its database: a free port, loopback unless `host`, the file `db`. */
export function listenArgs(db: string, options: { port?: number; host?: string } = {}): string[] {
  return ["--port", String(options.port ?? 0), "--host", options.host ?? "127.0.0.1", "--db", `file:${db}`];
}

/** Waits for the broker's "listening" line and returns its local URL. */
export async function brokerUrl(broker: LabbrokerProcess): Promise<string> {
  const line = await broker.waitForLog((entry) => entry.msg === "broker listening");
  return String(line.url);
}

export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...running].map((handle) => handle.kill("SIGKILL")));
}
