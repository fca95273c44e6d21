import { effectiveLabels, type Host } from "../model.ts";

/** Inventory facts a manifest keeps about a host (the interface list is left out: it is long and changes with every lab). */
const INVENTORY_FACTS = ["hostname", "kernel", "arch", "cpus", "cpu_model", "memory_bytes"] as const;

/**
 * A host as a session found it: who it is, its machine, its agent and tool versions. Taken when
 * the session becomes active, so the session's manifest says what it ran on even after the host
 * was upgraded.
 */
export function hostFacts(host: Host): Record<string, unknown> {
  return {
    id: host.id,
    name: host.name,
    labels: effectiveLabels(host),
    agent_version: host.agentVersion,
    runtimes: host.runtimes.map(({ name, version }) => ({ name, version })),
    ...Object.fromEntries(INVENTORY_FACTS.map((key) => [key, host.inventory[key] ?? null])),
  };
}
