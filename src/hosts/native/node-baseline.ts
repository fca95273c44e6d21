import { runChecked } from "../command-runner.ts";
import { readIpJson } from "./ip-batch.ts";
import { namespaceExecPrefix } from "./lab-inspection.ts";

/**
 * What a node's namespace looked like once the deploy had wired it, before its FRR instance and
 * exec commands ran: what a reset (lab-reset.ts) brings the node back to before running those again.
 * Recorded only for labs that may go warm.
 */
export interface NodeBaseline {
  /** The links the deploy made in the namespace (lo, eth0, data interfaces). */
  links: BaselineLink[];
  /** The namespace's own setup lines of the deploy (`ip -batch`): links up, management address and default routes. */
  setup: string[];
  /** The namespace's `net.*` sysctls (see readNamespaceSysctls). */
  sysctls: Record<string, string>;
  /** The node's exec commands and their environment, run again after a reset. */
  exec: { commands: string[]; env: Record<string, string>; failureAllowed: boolean };
}

export interface BaselineLink {
  name: string;
  mtu: number;
  mac: string;
  up: boolean;
}

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
