/**
 * Ends live sessions when the process is interrupted (SIGINT, SIGTERM): a test run stopped with
 * Ctrl-C or cancelled by CI frees its hosts at once instead of after the broker's timeout. After
 * the sessions are ended (bounded in time) the signal is raised again, so the process ends the
 * way it would have without us.
 */
const SIGNALS = ["SIGINT", "SIGTERM"] as const;
const END_BOUND_MS = 5_000;

interface SignalProcess {
  pid: number;
  on(signal: string, listener: (signal: string) => void): unknown;
  off(signal: string, listener: (signal: string) => void): unknown;
  kill(pid: number, signal: string): unknown;
}

const enders = new Set<() => Promise<unknown>>();
let installed = false;

/** Registers `end` to run on SIGINT/SIGTERM; the returned function unregisters it. */
export function endOnSignal(end: () => Promise<unknown>): () => void {
  const host = signalProcess();
  if (!host) return () => {};
  enders.add(end);
  if (!installed) {
    installed = true;
    for (const signal of SIGNALS) host.on(signal, onSignal);
  }
  return () => {
    enders.delete(end);
    if (enders.size === 0 && installed) {
      installed = false;
      for (const signal of SIGNALS) host.off(signal, onSignal);
    }
  };
}

async function onSignal(signal: string): Promise<void> {
  const host = signalProcess()!;
  for (const name of SIGNALS) host.off(name, onSignal);
  installed = false;
  const ending = Promise.allSettled([...enders].map((end) => end()));
  enders.clear();
  await Promise.race([ending, new Promise((resolve) => setTimeout(resolve, END_BOUND_MS))]);
  host.kill(host.pid, signal);
}

function signalProcess(): SignalProcess | undefined {
  const candidate = (globalThis as { process?: Partial<SignalProcess> }).process;
  return typeof candidate?.on === "function" && typeof candidate.kill === "function" ? (candidate as SignalProcess) : undefined;
}
