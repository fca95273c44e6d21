import type { Context } from "hono";
import { remoteAddress } from "../platform/remote-address.ts";

/**
 * Who a per-client bound counts against: the peer address for now. Once requests carry tokens,
 * this is the one place that switches to the token.
 */
export function clientKey(c: Context): string {
  return remoteAddress(c) ?? "local";
}
