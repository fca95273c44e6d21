import { existsSync } from "node:fs";
import { NAMESPACE_NAME } from "../validation/text.ts";
import { HostRequestError } from "./host-errors.ts";

/** Where `ip netns add NAME` makes a namespace visible to `ip -n NAME` and `ip netns exec NAME`. */
const NAMED_NAMESPACES = "/run/netns";

/** Throws unless `name` is a well-formed namespace name that exists on this host. */
export function requireNamespace(name: string): void {
  if (!NAMESPACE_NAME.test(name) || name === "." || name === "..") {
    throw new HostRequestError("invalid", `Invalid network namespace name "${name}": use letters, digits, "_", "." and "-" (at most 64)`);
  }
  if (!namespaceExists(name)) throw new HostRequestError("not-found", `Cannot find network namespace "${name}"`);
}

export function namespaceExists(name: string): boolean {
  return existsSync(`${NAMED_NAMESPACES}/${name}`);
}

/** `in namespace "x"` or `on the host`, for messages. */
export function describePlace(netns: string | null): string {
  return netns === null ? "on the host" : `in namespace "${netns}"`;
}
