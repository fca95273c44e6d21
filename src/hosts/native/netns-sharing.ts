import { readFileSync } from "node:fs";
import { NETNS_DIR } from "./host-facts.ts";

interface NetnsMount {
  /** The whole mountinfo line: identical in two processes of one mount namespace. */
  line: string;
  /** Peer group the mount propagates to (`shared:N`), null when it does not. */
  sharedGroup: string | null;
}

/**
 * Whether the lab namespaces this process creates (mounts under /run/netns) are the host's. An
 * agent in a mount namespace of its own (a systemd unit with PrivateMounts=, PrivateTmp= or
 * ProtectSystem=, `ip netns exec`, `unshare -m`) makes namespaces only it can see: they vanish
 * when it stops, while their records stay. Compared with PID 1's view; null when shared (or
 * when it cannot be told), else the problem in words.
 */
export function netnsSharingProblem(read: (path: string) => string = (path) => readFileSync(path, "utf8")): string | null {
  let own: NetnsMount | null;
  let host: NetnsMount | null;
  try {
    own = netnsMount(read("/proc/self/mountinfo"));
    host = netnsMount(read("/proc/1/mountinfo"));
  } catch {
    return null;
  }
  if (!own && !host) return null;
  if (own && host && (own.line === host.line || (own.sharedGroup !== null && own.sharedGroup === host.sharedGroup))) return null;
  return (
    `${NETNS_DIR} of this agent is not the host's: the agent runs in a mount namespace of its own, so lab namespaces it creates ` +
    `would vanish when it stops. Run it in the host's mount namespace (under systemd without PrivateMounts=, PrivateTmp= or ProtectSystem=; not under ip netns exec or unshare -m)`
  );
}

function netnsMount(mountinfo: string): NetnsMount | null {
  let found: NetnsMount | null = null;
  for (const line of mountinfo.split("\n")) {
    const fields = line.split(" ");
    if (fields[4] !== NETNS_DIR) continue;
    const optional = fields.slice(6, fields.indexOf("-"));
    // The last mount on the path is the one in effect.
    found = { line, sharedGroup: optional.find((field) => field.startsWith("shared:")) ?? null };
  }
  return found;
}
