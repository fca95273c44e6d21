/**
 * Times `POST /v1/sessions` once every 20 ms until its stdin closes, then prints the latencies (ms)
 * as JSON. A first, untimed request (connection, warm-up) comes before; `ready` on a line of its own
 * says it is done. bench-limits runs it as a child process, so the timing is not starved by the thousands
 * of sockets the benchmark itself reads in its own process.
 * Usage: bun scripts/bench-post-timer.ts <broker url> <token>
 */

/** Creates a session and reads the answer. */
export function createSession(url: string, token: string): Promise<ArrayBuffer> {
  return fetch(`${url}/v1/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: "{}",
  }).then((response) => response.arrayBuffer());
}

if (import.meta.main) {
  const [url, token] = process.argv.slice(2);
  if (!url || !token) throw new Error("usage: bench-post-timer.ts <broker url> <token>");
  let running = true;
  void Bun.stdin.stream().pipeTo(new WritableStream()).finally(() => (running = false));
  await createSession(url, token);
  process.stdout.write("ready\n");
  const latencies: number[] = [];
  while (running) {
    const started = performance.now();
    await createSession(url, token);
    latencies.push(performance.now() - started);
    await Bun.sleep(20);
  }
  process.stdout.write(JSON.stringify(latencies));
}
