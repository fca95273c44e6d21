import { existsSync } from "node:fs";
import { HostRequestError } from "./host-errors.ts";

/** Where `ip netns add NAME` makes a namespace visible to `ip -n NAME` and `ip netns exec NAME`. */
const NAMED_NAMESPACES = "/run/netns";

/** Network namespace names as `ip netns` accepts them, minus anything that could act as a path or an option. */
const NAMESPACE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

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
