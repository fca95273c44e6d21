/**
 * The one place that knows whether we run on Bun or Deno: it binds a fetch handler to a port.
 * Everything else speaks the Fetch API.
 */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

export interface HttpServer {
  hostname: string;
  port: number;
  /** Stops accepting connections and resolves when in-flight requests have finished. */
  stop(): Promise<void>;
}

export interface ServeOptions {
  hostname: string;
  port: number;
}

interface DenoServer {
  addr: { hostname: string; port: number };
  shutdown(): Promise<void>;
}
interface DenoGlobal {
  serve(options: { hostname: string; port: number; onListen?: () => void }, handler: FetchHandler): DenoServer;
}

export function serveHttp(fetch: FetchHandler, options: ServeOptions): HttpServer {
  const deno = (globalThis as { Deno?: DenoGlobal }).Deno;
  if (typeof Bun !== "undefined") {
    // Long polls and event streams stay open for tens of seconds; Bun's default idle timeout is 10 s.
    const server = Bun.serve({ hostname: options.hostname, port: options.port, fetch, idleTimeout: 120 });
    return {
      hostname: server.hostname ?? options.hostname,
      port: server.port ?? options.port,
      stop: () => server.stop(false),
    };
  }
  if (deno) {
    const server = deno.serve({ hostname: options.hostname, port: options.port, onListen: () => {} }, fetch);
    return { hostname: server.addr.hostname, port: server.addr.port, stop: () => server.shutdown() };
  }
  throw new Error("labbroker needs Bun or Deno to serve HTTP");
}
