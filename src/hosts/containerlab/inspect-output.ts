import { z } from "zod";
import type { LabNode } from "../../protocol/lab-node.ts";
import { containerName } from "./container-naming.ts";

/**
 * `containerlab inspect --format json`: an object keyed by lab name, each an array of
 * `types.ContainerDetails` (all fields omitempty; addresses carry the prefix length or "N/A").
 */
const containerDetails = z.looseObject({
  lab_name: z.string(),
  name: z.string(),
  absLabPath: z.string().optional(),
  container_id: z.string().optional(),
  image: z.string().optional(),
  kind: z.string().optional(),
  state: z.string().optional(),
  ipv4_address: z.string().optional(),
  ipv6_address: z.string().optional(),
});

export const inspectOutput = z.record(z.string(), z.array(containerDetails));

export type ContainerDetails = z.infer<typeof containerDetails>;

/**
 * One container as a LabNode. `raw` keeps the whole record and adds only what containerlab itself
 * would put in its Ansible inventory: `ansible_host` (the management IPv4) and `mgmt` addresses.
 * Credentials are not added: containerlab does not know them.
 */
export function labNodeOf(details: ContainerDetails, lab: string, prefix: string): LabNode {
  const longNamePrefix = containerName(prefix, lab, "");
  const name = details.name.startsWith(longNamePrefix) ? details.name.slice(longNamePrefix.length) : details.name;
  const mgmtIpv4 = bareAddress(details.ipv4_address);
  const mgmtIpv6 = bareAddress(details.ipv6_address);
  const mgmt = { ...(mgmtIpv4 ? { ipv4: mgmtIpv4 } : {}), ...(mgmtIpv6 ? { ipv6: mgmtIpv6 } : {}) };
  return {
    name,
    kind: details.kind ?? "",
    state: details.state ?? "unknown",
    mgmtIpv4,
    mgmtIpv6,
    raw: { ...details, ...(mgmtIpv4 ? { ansible_host: mgmtIpv4 } : {}), mgmt },
  };
}

/** "172.20.20.4/24" → "172.20.20.4"; "N/A" or nothing → null. */
function bareAddress(address: string | undefined): string | null {
  if (!address || address === "N/A") return null;
  return address.split("/")[0] ?? null;
}
