import type { Context } from "hono";
import { actorName } from "../engine/access/principal.ts";
import { remoteAddress } from "../platform/remote-address.ts";
import type { ApiEnv } from "./api.ts";

/**
 * Who a per-client bound counts against: the caller's token (or agent) when it has one; anonymous
 * callers by their peer address, so one address cannot take every anonymous caller's share.
 */
export function clientKey(c: Context<ApiEnv>): string {
  const principal = c.get("principal");
  if (principal && principal.kind !== "anonymous") return actorName(principal);
  return `address:${remoteAddress(c) ?? "local"}`;
}
