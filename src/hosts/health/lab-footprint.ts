/**
 * What the gate leaves to the lab runtimes: namespaces and host links of labs, this agent's (by
 * their records, whatever their names) and any other's on the host (by the names the tools give
 * them). Labs are destroyed and checked by their runtime (reviving); and on a host shared with
 * other agents or test runs, their labs come and go while a session runs and are none of its doing.
 */
export interface LabFootprint {
  namespaces: ReadonlySet<string>;
  links: ReadonlySet<string>;
}

/** containerlab's default node prefix (`clab-<lab>-<node>`), which native labs follow too. */
const LAB_NAMESPACE_PATTERN = /^clab-/;
/**
 * Host links lab tools name: native labs `nl-<tag>…`, Docker (containerlab) `veth…`, `br-…`,
 * `docker0`, libvirt (netlab) `virbr…`, `vnet…`, netlab's `vgif_…`.
 */
const LAB_LINK_PATTERN = /^(nl-|veth|br-|docker|virbr|vnet|vgif_)/;

export function isLabNamespace(name: string, footprint: LabFootprint): boolean {
  return footprint.namespaces.has(name) || LAB_NAMESPACE_PATTERN.test(name);
}

export function isLabLink(name: string, footprint: LabFootprint): boolean {
  return footprint.links.has(name) || LAB_LINK_PATTERN.test(name);
}
