import type { Context } from "hono";

interface BunServer {
  requestIP(request: Request): { address: string } | null;
}
interface DenoServeInfo {
  remoteAddr?: { hostname?: string };
}

/**
 * The peer address of a request as the server saw it: Bun hands the server to the fetch handler
 * (Hono's `c.env`), Deno its connection info. Null in-process (`app.request`) and when unknown.
 */
export function remoteAddress(c: Context): string | null {
  const env = c.env as Partial<BunServer> & DenoServeInfo | undefined;
  if (typeof env?.requestIP === "function") return env.requestIP(c.req.raw)?.address ?? null;
  return env?.remoteAddr?.hostname ?? null;
}
