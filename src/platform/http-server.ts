/**
 * The one place that knows whether we run on Bun or Deno: it binds a fetch handler to a port.
 * Everything else speaks the Fetch API.
 */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

export interface HttpServer {
  hostname: string;
  port: number;
  /**
   * Stops accepting connections and resolves when in-flight requests have finished, or after
   * `graceMs`, when the connections still open are closed (where the runtime can) and left behind.
   */
  stop(graceMs: number): Promise<void>;
}

export interface ServeOptions {
  hostname: string;
  port: number;
  /** Serve HTTPS with this PEM certificate (chain) and key. */
  tls?: { cert: string; key: string } | undefined;
}

interface DenoServer {
  addr: { hostname: string; port: number };
  shutdown(): Promise<void>;
}
interface DenoGlobal {
  serve(options: { hostname: string; port: number; onListen?: () => void; cert?: string; key?: string }, handler: FetchHandler): DenoServer;
}

export function serveHttp(fetch: FetchHandler, options: ServeOptions): HttpServer {
  const deno = (globalThis as { Deno?: DenoGlobal }).Deno;
  if (typeof Bun !== "undefined") {
    // Long polls and event streams stay open for tens of seconds; Bun's default idle timeout is 10 s.
    const server = Bun.serve({
      hostname: options.hostname,
      port: options.port,
      fetch,
      idleTimeout: 120,
      ...(options.tls ? { tls: options.tls } : {}),
    });
    return {
      hostname: server.hostname ?? options.hostname,
      port: server.port ?? options.port,
      async stop(graceMs) {
        if (!(await finishesWithin(server.stop(false), graceMs))) await server.stop(true);
      },
    };
  }
  if (deno) {
    const server = deno.serve({ hostname: options.hostname, port: options.port, onListen: () => {}, ...(options.tls ?? {}) }, fetch);
    // Deno cannot cut open connections; the process exits past them.
    return {
      hostname: server.addr.hostname,
      port: server.addr.port,
      stop: (graceMs) => finishesWithin(server.shutdown(), graceMs).then(() => {}),
    };
  }
  throw new Error("labbroker needs Bun or Deno to serve HTTP");
}

/** Whether `work` settles within `ms`. */
async function finishesWithin(work: Promise<void>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true as const), expired]);
  } finally {
    clearTimeout(timer);
  }
}
