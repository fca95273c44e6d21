/**
 * Times `POST /v1/sessions` once every 20 ms until its stdin closes, then prints the latencies (ms)
 * as JSON. A first, untimed request (connection, warm-up) comes before; `ready` on a line of its own
 * says it is done. bench-limits runs it as a child process, so the timing is not starved by the thousands
 * of sockets the benchmark itself reads in its own process.
 * Usage: bun scripts/bench-post-timer.ts <broker url>   (as the benchmarks' admin)
 */
import { benchFetch } from "./bench-requests.ts";

/** Creates a session and reads the answer; any answer but 201 fails the benchmark. */
export function createSession(url: string): Promise<ArrayBuffer> {
  return benchFetch(`${url}/v1/sessions`, { method: "POST", body: {} }).then((response) => response.arrayBuffer());
}

if (import.meta.main) {
  const [url] = process.argv.slice(2);
  if (!url) throw new Error("usage: bench-post-timer.ts <broker url>");
  let running = true;
  void Bun.stdin.stream().pipeTo(new WritableStream()).finally(() => (running = false));
  await createSession(url);
  process.stdout.write("ready\n");
  const latencies: number[] = [];
  while (running) {
    const started = performance.now();
    await createSession(url);
    latencies.push(performance.now() - started);
    await Bun.sleep(20);
  }
  process.stdout.write(JSON.stringify(latencies));
}
