import { existsSync, rmSync } from "node:fs";
import type { OutputSink } from "../lab-runtime.ts";
import { frrFolders } from "./frr/frr-paths.ts";
import { hostInterfaceExists, type HostLink, listNamespaces, readHostLinks } from "./host-facts.ts";
import { batchLine, runIpBatch } from "./ip-batch.ts";
import type { LabRecord } from "./lab-record.ts";
import { hasExited, killNamespaceProcesses, waitUntil } from "./namespace-processes.ts";

/**
 * Removes everything a lab record lists, whatever state the lab is in (deployed, half-built, partly
 * removed): processes left in its namespaces (FRR daemons among them) are killed, the namespaces
 * deleted, its remaining host interfaces and own bridges deleted, its FRR instances' files removed. Then it checks that nothing is left and fails loudly otherwise.
 *
 * Namespaces go first: the kernel then removes all their veths in one batch, while deleting veths
 * one by one waits for an RCU grace period each (about 20 ms per interface).
 */

/** How long the host ends of the lab's veths may take to vanish after their namespaces are deleted. */
const NAMESPACE_CLEANUP_MS = 3000;

export async function tearDownLab(record: LabRecord, output: OutputSink, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const remaining = () => Math.max(1, deadline - performance.now());
  const present = listNamespaces();
  const namespaces = record.namespaces.filter((namespace) => present.has(namespace));

  const pids = await killNamespaceProcesses(namespaces, remaining());
  if (pids.length) {
    output({
      stream: "info",
      text: `Killed ${pids.length} process(es) left in the namespaces of ${record.instanceName}: ${pids.join(", ")}`,
    });
  }

  const links = await readHostLinks({ timeoutMs: remaining() });
  const keptBridges = bridgesInUseByOthers(record, links);
  for (const [bridge, ports] of keptBridges) {
    output({ stream: "info", text: `Leaving bridge ${bridge} in place: other ports use it (${ports.join(", ")})` });
  }
  await runIpBatch(
    namespaces.map((namespace) => batchLine("netns", "del", namespace)),
    { force: true, timeoutMs: remaining() },
  );
  const vanishing = record.hostInterfaces.filter((name) => links.get(name)?.peerInNamespace);
  await waitUntil(() => !vanishing.some(hostInterfaceExists), Math.min(deadline, performance.now() + NAMESPACE_CLEANUP_MS));
  const leftInterfaces = [...record.hostInterfaces, ...record.ownedBridges.filter((name) => !keptBridges.has(name))].filter(
    hostInterfaceExists,
  );
  await runIpBatch(
    leftInterfaces.map((name) => batchLine("link", "del", "dev", name)),
    { force: true, timeoutMs: remaining() },
  );
  await waitUntil(() => pids.every(hasExited), deadline);
  // Only once its daemons are gone: they hold their sockets and pid files there.
  for (const folder of frrFiles(record)) rmSync(folder, { recursive: true, force: true });
  verifyRemoved(record, pids, keptBridges);
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

function verifyRemoved(record: LabRecord, pids: readonly number[], keptBridges: ReadonlyMap<string, string[]>): void {
  const namespaces = listNamespaces();
  const leftovers = [
    ["namespaces", record.namespaces.filter((namespace) => namespaces.has(namespace))],
    ["interfaces", [...record.hostInterfaces, ...record.ownedBridges.filter((name) => !keptBridges.has(name))].filter(hostInterfaceExists)],
    ["processes", pids.filter((pid) => !hasExited(pid)).map(String)],
    ["files", frrFiles(record).filter((folder) => existsSync(folder))],
  ] as const;
  const found = leftovers.filter(([, names]) => names.length).map(([what, names]) => `${what} ${names.join(", ")}`);
  if (found.length) throw new Error(`native lab "${record.instanceName}" was not removed completely; still present: ${found.join("; ")}`);
}

/** The folders of the lab's FRR instances: configuration, sockets and pid files, the node's vtysh. */
function frrFiles(record: LabRecord): string[] {
  return record.nodes.flatMap((node) => (node.frr ? frrFolders(node.frr) : []));
}
