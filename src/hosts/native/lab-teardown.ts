import { readFileSync } from "node:fs";
import type { OutputSink } from "../lab-runtime.ts";
import { type HostLink, listNamespaces, readHostLinks } from "./host-facts.ts";
import { batchLine, runIpBatch } from "./ip-batch.ts";
import type { LabRecord } from "./lab-record.ts";

/**
 * Removes everything a lab record lists, whatever state the lab is in (deployed, half-built, partly
 * removed): processes left in its namespaces are killed, its host interfaces and own bridges
 * deleted, its namespaces removed. Then it checks that nothing is left and fails loudly otherwise.
 */

const EXIT_POLL_MS = 5;

export async function tearDownLab(record: LabRecord, output: OutputSink, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const remaining = () => Math.max(1, deadline - performance.now());
  const present = listNamespaces();
  const namespaces = record.namespaces.filter((namespace) => present.has(namespace));

  const pids = await namespacePids(namespaces, remaining());
  for (const pid of pids) killProcess(pid);
  if (pids.length) output({ stream: "info", text: `Killed ${pids.length} process(es) left in the namespaces of ${record.instanceName}: ${pids.join(", ")}` });

  const links = await readHostLinks({ timeoutMs: remaining() });
  const keptBridges = bridgesInUseByOthers(record, links);
  for (const [bridge, ports] of keptBridges) output({ stream: "info", text: `Leaving bridge ${bridge} in place: other ports use it (${ports.join(", ")})` });
  const lines = [
    ...record.hostInterfaces.filter((name) => links.has(name)).map((name) => batchLine("link", "del", "dev", name)),
    ...record.ownedBridges.filter((name) => links.has(name) && !keptBridges.has(name)).map((name) => batchLine("link", "del", "dev", name)),
    ...namespaces.map((namespace) => batchLine("netns", "del", namespace)),
  ];
  await runIpBatch(lines, { force: true, timeoutMs: remaining() });
  await waitForExit(pids, deadline);
  await verifyRemoved(record, pids, keptBridges, remaining());
}

async function namespacePids(namespaces: readonly string[], timeoutMs: number): Promise<number[]> {
  const result = await runIpBatch(
    namespaces.map((namespace) => batchLine("netns", "pids", namespace)),
    { force: true, timeoutMs },
  );
  return (result?.stdout ?? "")
    .split("\n")
    .filter((line) => /^\d+$/.test(line))
    .map(Number)
    .filter((pid) => pid !== process.pid);
}

/** Owned bridges that still have ports this lab did not create: deleting them would cut someone else off. */
function bridgesInUseByOthers(record: LabRecord, links: ReadonlyMap<string, HostLink>): Map<string, string[]> {
  const ours = new Set(record.hostInterfaces);
  const kept = new Map<string, string[]>();
  for (const bridge of record.ownedBridges) {
    const foreign = [...links.values()].filter((link) => link.master === bridge && !ours.has(link.name)).map((link) => link.name);
    if (foreign.length) kept.set(bridge, foreign);
  }
  return kept;
}

async function verifyRemoved(record: LabRecord, pids: readonly number[], keptBridges: ReadonlyMap<string, string[]>, timeoutMs: number): Promise<void> {
  const links = await readHostLinks({ timeoutMs });
  const namespaces = listNamespaces();
  const leftovers = [
    ["namespaces", record.namespaces.filter((namespace) => namespaces.has(namespace))],
    ["interfaces", [...record.hostInterfaces, ...record.ownedBridges.filter((name) => !keptBridges.has(name))].filter((name) => links.has(name))],
    ["processes", pids.filter((pid) => !hasExited(pid)).map(String)],
  ] as const;
  const found = leftovers.filter(([, names]) => names.length).map(([what, names]) => `${what} ${names.join(", ")}`);
  if (found.length) throw new Error(`native lab "${record.instanceName}" was not removed completely; still present: ${found.join("; ")}`);
}

function killProcess(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

async function waitForExit(pids: readonly number[], deadline: number): Promise<void> {
  while (pids.some((pid) => !hasExited(pid)) && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, EXIT_POLL_MS));
  }
}

/** Gone, or a zombie waiting for its parent: either way it no longer holds the namespace. */
function hasExited(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}
