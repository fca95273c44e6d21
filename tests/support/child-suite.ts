import type { Subprocess } from "bun";
import { join } from "node:path";
import { environmentWithoutLabbroker } from "./processes.ts";
import { readLines } from "./stdout-lines.ts";

const SUITE = join(import.meta.dir, "../client/fixtures/holds-the-host.suite.ts");

/** A child `bun test` process running the host-holding suite; its stdout lines arrive in `lines`. */
export interface ChildSuite {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  lines: string[];
  /** Resolves with the first stdout line that matches. */
  line(match: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; output: string }>;
}

const running = new Set<ChildSuite>();

export function startChildSuite(name: string, env: Record<string, string>): ChildSuite {
  const proc = Bun.spawn([process.execPath, "test", SUITE], {
    env: { ...environmentWithoutLabbroker(), SUITE_NAME: name, ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let stderr = "";
  const reading = (async () => {
    await readLines(proc.stdout, lines, () => {
      for (const wake of waiters) wake();
    });
    await proc.exited;
    for (const wake of waiters) wake();
  })();
  const readingErr = (async () => {
    for await (const chunk of proc.stderr.pipeThrough(new TextDecoderStream())) stderr += chunk;
  })();
  const child: ChildSuite = {
    proc,
    lines,
    line(match, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            done(() =>
              reject(
                new Error(
                  `${name}: no line matching ${match} within ${timeoutMs} ms; stdout: ${lines.join(" | ")}; stderr: ${stderr.slice(-2000)}`,
                ),
              )
            ),
          timeoutMs,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        const check = () => {
          const found = lines.find((line) => match.test(line));
          if (found) done(() => resolve(found));
          else if (proc.exitCode !== null || proc.signalCode !== null) {
            done(() => reject(new Error(`${name} exited (${proc.exitCode ?? proc.signalCode}) first; stderr: ${stderr.slice(-2000)}`)));
          }
        };
        waiters.add(check);
        check();
      });
    },
    exited: proc.exited.then(async () => {
      await Promise.all([reading, readingErr]);
      running.delete(child);
      return { code: proc.exitCode, output: `${lines.join("\n")}\n${stderr}` };
    }),
  };
  running.add(child);
  return child;
}

export async function killChildSuites(): Promise<void> {
  for (const child of running) child.proc.kill("SIGKILL");
  await Promise.all([...running].map((child) => child.exited));
}
