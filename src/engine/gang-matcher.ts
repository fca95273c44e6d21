import type { Host } from "./model.ts";

/**
 * Assigns every requirement its own host from `usable[i]` (bipartite matching, Kuhn's augmenting
 * paths), or returns null when no complete assignment exists: a gang is placed whole or not at all.
 * The most constrained requirement is placed first, and each takes the first workable host in its
 * list, so callers order hosts by preference.
 */
export function matchGang(usable: readonly (readonly Host[])[]): Host[] | null {
  // Hall's condition for the whole gang, checked first: far cheaper than a failed search.
  const distinct = new Set<string>();
  for (const hosts of usable) {
    if (hosts.length === 0) return null;
    for (const host of hosts) distinct.add(host.id);
  }
  if (distinct.size < usable.length) return null;
  const order = usable.map((_, index) => index).sort((a, b) => usable[a]!.length - usable[b]!.length);
  const holderOf = new Map<string, number>();
  const assigned: (Host | undefined)[] = new Array(usable.length);

  const place = (requirement: number, visited: Set<string>): boolean => {
    for (const host of usable[requirement]!) {
      if (visited.has(host.id)) continue;
      visited.add(host.id);
      const holder = holderOf.get(host.id);
      if (holder === undefined || place(holder, visited)) {
        holderOf.set(host.id, requirement);
        assigned[requirement] = host;
        return true;
      }
    }
    return false;
  };

  for (const requirement of order) {
    if (!place(requirement, new Set())) return null;
  }
  return assigned as Host[];
}

/** Preference among workable hosts: the least specialised first, so scarce hosts stay free for those who need them. */
export function byScarcityLast(a: Host, b: Host): number {
  const weight = (host: Host) => Object.keys(host.agentLabels).length + Object.keys(host.adminLabels).length + host.runtimes.length;
  return weight(a) - weight(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
