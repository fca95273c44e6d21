import type { MiddlewareHandler } from "hono";
import { ForbiddenError } from "../../engine/errors.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses state-changing requests a browser sends on behalf of another site (a cross-site form that
 * posts a lab, a script on a page the user visits): their `Origin` is neither the broker's public
 * URL nor the host the request was sent to. Clients that are not browsers send no Origin and pass.
 */
export function refuseCrossSiteRequests(publicUrl: string | undefined): MiddlewareHandler {
  const publicOrigin = publicUrl ? new URL(publicUrl).origin : null;
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const origin = c.req.header("origin");
    if (origin === undefined) {
      if (c.req.header("sec-fetch-site") === "cross-site") {
        throw new ForbiddenError("Cross-site request refused: a browser sent it from another site");
      }
      return next();
    }
    // The request URL's host is the Host header the browser sent.
    if (origin === publicOrigin || hostOf(origin) === new URL(c.req.url).host) return next();
    throw new ForbiddenError(`Cross-site request refused: Origin ${origin} is not this broker${publicOrigin ? ` (${publicOrigin})` : ""}`);
  };
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}
