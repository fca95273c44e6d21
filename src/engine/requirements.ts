import { effectiveLabels, type Host, type Requirement } from "./model.ts";

/** Whether `host` could ever serve `requirement` (labels, runtime, pin), whatever its state now. */
export function hostMatches(host: Host, requirement: Requirement): boolean {
  if (requirement.host !== null && requirement.host !== host.name && requirement.host !== host.id) return false;
  if (requirement.runtime !== null && !host.runtimes.some((runtime) => runtime.name === requirement.runtime)) return false;
  const labels = effectiveLabels(host);
  for (const [key, value] of Object.entries(requirement.labels)) {
    if (labels[key] !== value) return false;
  }
  return true;
}

/**
 * Sessions whose requirements (apart from role names) and walltimes are equal compete identically,
 * so they share one queue pool. The key is a canonical text of both.
 */
export function poolKey(requirements: readonly Requirement[], walltimeMs: number | null): string {
  const canonical = requirements
    .map((requirement) =>
      JSON.stringify([
        requirement.host,
        requirement.runtime,
        Object.entries(requirement.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      ])
    )
    .sort();
  // Walltime is part of the pool: it decides which hosts a session may take ahead of a booking.
  return `${canonical.join("|")}#${walltimeMs ?? "-"}`;
}

/** Human words for one requirement, used in wait reasons: `runtime netlab, labels site=lab1`. */
export function describeRequirement(requirement: Requirement): string {
  const parts: string[] = [];
  if (requirement.host !== null) parts.push(`host ${requirement.host}`);
  if (requirement.runtime !== null) parts.push(`runtime ${requirement.runtime}`);
  const labels = Object.entries(requirement.labels).map(([key, value]) => `${key}=${value}`);
  if (labels.length > 0) parts.push(`labels ${labels.join(",")}`);
  return parts.length > 0 ? parts.join(", ") : "any host";
}
