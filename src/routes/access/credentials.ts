import type { Context } from "hono";
import { getCookie } from "hono/cookie";

/** The dashboard's cookie (set by POST /v1/login): the token itself, HttpOnly and SameSite=Strict. */
export const TOKEN_COOKIE = "labbroker_token";

/**
 * The secret a request presents: `Authorization: Bearer T`, HTTP Basic with the token as password
 * (or as the user name when there is no password: `http://T@broker`), or the dashboard's cookie.
 * Null when it presents none.
 */
export function presentedSecret(c: Context): string | null {
  const authorization = c.req.header("authorization")?.trim();
  if (authorization) {
    const [scheme = "", value = ""] = authorization.split(/\s+/, 2);
    if (scheme.toLowerCase() === "bearer") return value;
    if (scheme.toLowerCase() === "basic") return basicPassword(value);
    return authorization;
  }
  return getCookie(c, TOKEN_COOKIE) || null;
}

function basicPassword(encoded: string): string {
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return decoded;
  const password = decodeURIComponent(decoded.slice(colon + 1));
  return password || decodeURIComponent(decoded.slice(0, colon));
}

/** The bearer token of an Authorization header (agents and enrollment use only this scheme). */
export function bearerSecret(c: Context): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization")?.trim() ?? "");
  return match?.[1] ?? null;
}
