import { frrInstanceProblem } from "./frr/frr-health.ts";
import { listNamespaces, readHostLinks } from "./host-facts.ts";
import { readIpJson } from "./ip-batch.ts";
import type { LabRecord } from "./lab-record.ts";

/** Why a lost lab is gone, said once: the two ways namespaces vanish while their records stay. */
const LIKELY_CAUSE = "the host rebooted, or the agent ran in a mount namespace of its own (its /run/netns was not the host's)";

/**
 * Checks a deployed native lab against the host, not just its record: every namespace exists and
 * can be entered, the lab's host-side links and bridges exist, every node still has its
 * interfaces, and every FRR node's FRR instance still runs in its namespace. Returns what is broken in words, or null when the lab is whole.
 */
export async function nativeLabProblem(record: LabRecord, timeoutMs: number): Promise<string | null> {
  if (record.state !== "deployed") return null;
  const present = listNamespaces();
  const missingNamespaces = record.namespaces.filter((namespace) => !present.has(namespace));
  if (missingNamespaces.length > 0) {
    return `namespace${plural(missingNamespaces)} ${missingNamespaces.join(", ")} ${
      missingNamespaces.length === 1 ? "is" : "are"
    } gone (${LIKELY_CAUSE})`;
  }

  const links = await readHostLinks({ timeoutMs });
  const missingLinks = [...record.hostInterfaces, ...record.ownedBridges].filter((name) => !links.has(name));
  if (missingLinks.length > 0) {
    return `host interface${plural(missingLinks)} ${missingLinks.join(", ")} ${missingLinks.length === 1 ? "is" : "are"} gone`;
  }

  for (const node of record.nodes) {
    let names: Set<string>;
    try {
      names = new Set(
        (await readIpJson<{ ifname: string }>(["-n", node.namespace, "link", "show"], { timeoutMs })).map((link) => link.ifname),
      );
    } catch (error) {
      return `namespace ${node.namespace} of node ${node.name} cannot be entered (${LIKELY_CAUSE}): ${
        error instanceof Error ? error.message : String(error)
      }`;
    }
    const missing = node.interfaces.filter((name) => !names.has(name));
    if (missing.length > 0) return `node ${node.name} lacks interface${plural(missing)} ${missing.join(", ")}`;
    const frrProblem = node.frr ? frrInstanceProblem(node.name, node.namespace, node.frr) : null;
    if (frrProblem) return frrProblem;
  }
  return null;
}

function plural(items: readonly unknown[]): string {
  return items.length === 1 ? "" : "s";
}
