import type { HostSnapshot } from "./host-snapshot.ts";
import { isLabLink, isLabNamespace, type LabFootprint } from "./lab-footprint.ts";

export const DIFFERENCE_KINDS = ["process", "file", "namespace", "link", "address", "route", "sysctl"] as const;

/** One thing a session left on its host that was not there when the host was idle. */
export interface HostDifference {
  kind: (typeof DIFFERENCE_KINDS)[number];
  name: string;
  detail: string;
  /** The gate undid it (only what it can attribute for certain: the session's processes and files). */
  cleaned: boolean;
}

/**
 * What differs from the idle baseline in the host-wide view: namespaces and links that are new
 * (lab ones aside), static addresses and configured routes added or removed on links that existed
 * then, sysctls with another value. Namespaces and links that went away are not reported: a
 * session's own device removals are undone by its restore, and what others remove is theirs.
 */
export function diffHostSnapshots(baseline: HostSnapshot, now: HostSnapshot, labs: LabFootprint): HostDifference[] {
  const differences: HostDifference[] = [];
  const add = (kind: HostDifference["kind"], name: string, detail: string) => differences.push({ kind, name, detail, cleaned: false });
  const since = `since the host was idle at ${new Date(baseline.takenAt).toISOString()}`;

  const before = new Set(baseline.namespaces);
  for (const name of now.namespaces) {
    if (!before.has(name) && !isLabNamespace(name, labs)) add("namespace", name, `network namespace created ${since}`);
  }

  const keptLinks = Object.keys(now.links).filter((name) => name in baseline.links && !isLabLink(name, labs));
  for (const [name, kind] of Object.entries(now.links)) {
    if (!(name in baseline.links) && !isLabLink(name, labs)) add("link", name, `${kind || "link"} created ${since}`);
  }
  for (const link of keptLinks) {
    const had = new Set(baseline.addresses[link] ?? []);
    const has = new Set(now.addresses[link] ?? []);
    for (const address of has) if (!had.has(address)) add("address", `${link} ${address}`, `address added on ${link} ${since}`);
    for (const address of had) if (!has.has(address)) add("address", `${link} ${address}`, `address removed from ${link} ${since}`);
  }

  const watchedRoute = (route: { dev: string | null }) => route.dev === null || keptLinks.includes(route.dev);
  const routesBefore = new Set(baseline.routes.filter(watchedRoute).map((route) => route.key));
  const routesNow = new Set(now.routes.filter(watchedRoute).map((route) => route.key));
  for (const key of routesNow) if (!routesBefore.has(key)) add("route", key, `route added ${since}`);
  for (const key of routesBefore) if (!routesNow.has(key)) add("route", key, `route removed ${since}`);

  for (const [key, value] of Object.entries(baseline.sysctls)) {
    const current = now.sysctls[key];
    if (current !== undefined && current !== value) add("sysctl", key, `${value} → ${current} ${since}`);
  }
  return differences;
}
