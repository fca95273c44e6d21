import { runChecked } from "../command-runner.ts";
import { readIpJson } from "./ip-batch.ts";
import { namespaceExecPrefix } from "./lab-inspection.ts";
import type { BaselineLink } from "./lab-record.ts";

// What a node baseline (see lab-record.ts) is read from: the links and sysctls of its namespace.

/**
 * Counters and connection tracking change on their own; everything else under `net.` is a setting
 * a job may change (forwarding, rp_filter, per-interface keys…).
 */
const VOLATILE_SYSCTLS = /^net\.netfilter\./;

interface IpLinkJson {
  ifname: string;
  mtu: number;
  address?: string;
  flags?: string[];
}

export async function readNamespaceLinks(namespace: string, timeoutMs: number): Promise<BaselineLink[]> {
  const links = await readIpJson<IpLinkJson>(["-n", namespace, "link", "show"], { timeoutMs });
  return links.map((link) => ({ name: link.ifname, mtu: link.mtu, mac: link.address ?? "", up: link.flags?.includes("UP") ?? false }));
}

/** The namespace's network sysctls as `sysctl net` prints them inside it, whitespace in values made single spaces. */
export async function readNamespaceSysctls(namespace: string, timeoutMs: number): Promise<Record<string, string>> {
  const { stdout } = await runChecked([...namespaceExecPrefix(namespace), "sysctl", "net"], { timeoutMs });
  const values: Record<string, string> = {};
  for (const line of stdout.split("\n")) {
    const separator = line.indexOf(" = ");
    if (separator < 0) continue;
    const key = line.slice(0, separator);
    if (!VOLATILE_SYSCTLS.test(key)) values[key] = line.slice(separator + 3).trim().replace(/\s+/g, " ");
  }
  return values;
}
