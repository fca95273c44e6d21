import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * The sysctls the gate compares: the host network stack's global settings, which a job running as
 * root can change with `sysctl -w` and which every later session would inherit (forwarding,
 * rp_filter, neighbour and TCP defaults…). Per-interface folders (`conf/eth0`) are left out: they
 * come and go with their interfaces and are covered by the link check; so are counters and keys
 * that change on their own (`net.netfilter`), and kernel.* (not the network's, and partly volatile).
 */
const WATCHED_FOLDERS = [
  "net/core",
  "net/ipv4",
  "net/ipv4/conf/all",
  "net/ipv4/conf/default",
  "net/ipv6/conf/all",
  "net/ipv6/conf/default",
];
const PROC_SYS = "/proc/sys";

/** key (dotted, as `sysctl` names it) → value, for every readable watched sysctl. */
export function readWatchedSysctls(root = PROC_SYS): Record<string, string> {
  const values: Record<string, string> = {};
  for (const folder of WATCHED_FOLDERS) {
    let entries: string[];
    try {
      entries = readdirSync(join(root, folder));
    } catch {
      continue; // no IPv6 on this host
    }
    for (const entry of entries) {
      const path = join(root, folder, entry);
      try {
        if (!statSync(path).isFile()) continue;
        values[`${folder}/${entry}`.replaceAll("/", ".")] = readFileSync(path, "utf8").trim().replace(/\s+/g, " ");
      } catch {
        continue; // write-only (flush) or unreadable (stable_secret unset)
      }
    }
  }
  return values;
}
