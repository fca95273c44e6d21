import { readdirSync, readFileSync } from "node:fs";
import { runCommand } from "../../src/hosts/command-runner.ts";
import { isRunning } from "./native-labs.ts";
import { eventually } from "./wait-for.ts";

export const FRR_INSTALLED = (() => {
  try {
    return readdirSync("/usr/lib/frr").includes("frrinit.sh");
  } catch {
    return false;
  }
})();
export const NEEDS_FRR = "skipped: needs root and FRR (apt-get install frr)";

/** What a command run through a node's prefix printed; throws on a non-zero exit. */
export async function inNode(prefix: readonly string[], argv: string[]): Promise<string> {
  const result = await runCommand([...prefix, ...argv], { timeoutMs: 10_000 });
  if (result.code !== 0) throw new Error(`${argv.join(" ")} in the node exited with ${result.code}: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** OSPF neighbor states of a node, as its own vtysh reports them (`Full/DR`, `Full/-`, …), by router id. */
export async function ospfNeighbors(prefix: readonly string[]): Promise<Record<string, string>> {
  const json = JSON.parse(await inNode(prefix, ["vtysh", "-c", "show ip ospf neighbor json"])) as {
    neighbors?: Record<string, { nbrState?: string; state?: string }[]>;
  };
  return Object.fromEntries(
    Object.entries(json.neighbors ?? {}).map((
      [id, entries],
    ) => [id, entries.map((entry) => entry.nbrState ?? entry.state ?? "").join(",")]),
  );
}

/**
 * Polls until every node has `expected[node]` Full neighbors; returns the milliseconds it took.
 * OSPF itself decides how long this takes, so the wait is on the routers, bounded by `timeoutMs`.
 * Others are not counted: a restarted FRR sends hellos for a moment with a router id taken from its
 * interfaces, before frr.conf sets its own, and its peer keeps that stranger in Init until the dead
 * interval (40 s) passes.
 */
export async function waitForOspfFull(
  prefixes: Record<string, readonly string[]>,
  expected: Record<string, number>,
  timeoutMs: number,
): Promise<number> {
  const started = performance.now();
  await eventually(
    async () => {
      const neighbors = Object.fromEntries(
        await Promise.all(Object.entries(prefixes).map(async ([node, prefix]) => [node, await ospfNeighbors(prefix)] as const)),
      );
      const full = Object.entries(expected).every(([node, count]) => {
        const states = Object.values(neighbors[node] ?? {});
        return states.filter((state) => state.startsWith("Full")).length === count;
      });
      if (!full) throw new Error(`neighbours ${JSON.stringify(neighbors)}`);
      return true;
    },
    "all OSPF adjacencies to be Full",
    timeoutMs,
  );
  return Math.round(performance.now() - started);
}

/** Live processes (not zombies) whose command line names one of these FRR pathspaces (`-N <pathspace>`). */
export function frrProcessesOf(pathspaces: readonly string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      const at = argv.indexOf("-N");
      if (at >= 0 && pathspaces.includes(argv[at + 1]!) && isRunning(Number(entry))) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

export interface RouteEntry {
  protocol: string;
  nexthops: { ip?: string; interfaceName?: string }[];
}

/**
 * Polls a node's routing table until its route to `destination` goes through `nexthop`: OSPF
 * installs routes after its SPF delay, and one computed before the last adjacency came up may still
 * take a longer path for a moment.
 */
export async function waitForRoute(
  prefix: readonly string[],
  destination: string,
  nexthop: string,
  timeoutMs: number,
): Promise<RouteEntry> {
  return eventually(
    async () => {
      const table = JSON.parse(await inNode(prefix, ["vtysh", "-c", `show ip route ${destination} json`])) as Record<string, RouteEntry[]>;
      const entry = table[destination]?.[0];
      if (!entry?.nexthops.some((hop) => hop.ip === nexthop)) throw new Error(`route ${JSON.stringify(entry ?? null)}`);
      return entry;
    },
    `the route to ${destination} via ${nexthop}`,
    timeoutMs,
  );
}
