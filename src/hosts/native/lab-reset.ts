import { rmSync } from "node:fs";
import { runCommand } from "../command-runner.ts";
import type { OutputSink } from "../lab-runtime.ts";
import { type FrrStartPlan, startFrrInstances } from "./frr/frr-start.ts";
import { batchLine, runIpBatch } from "./ip-batch.ts";
import { namespaceExecPrefix } from "./lab-inspection.ts";
import type { LabRecord, NodeBaseline, NodeRecord } from "./lab-record.ts";
import { hasExited, killNamespaceProcesses, waitUntil } from "./namespace-processes.ts";
import { type ExecBounds, type NodeExecPlan, runNodeExecs } from "./node-exec.ts";
import { readNamespaceLinks, readNamespaceSysctls } from "./node-baseline.ts";

/**
 * Brings a deployed native lab back to how its deploy left it, without rebuilding it (a warm lab
 * handed to the next session). In every node namespace:
 *
 * 1. every process is killed (FRR daemons, what exec commands or jobs started);
 * 2. links the deploy did not make are deleted; the deploy's links are set down, their addresses
 *    flushed, their MTU and MAC put back, their qdiscs removed;
 * 3. every IPv4 and IPv6 route of every table, the policy rules (back to the kernel's three), the
 *    neighbours and nexthop objects are flushed;
 * 4. `net.*` sysctls that differ from the deployed baseline are written back;
 * 5. the links come up and the deploy's own setup runs again (management address and default routes);
 * 6. the FRR instances start again from the topology's configuration, then the exec commands run again.
 *
 * What stays: the host ends of the lab's links and its bridges (outside the nodes), firewall rules
 * (nftables/iptables) inside a node, and files written on the host. A node whose deployed links are
 * gone (moved or deleted) cannot be reset: the reset fails and the lab is destroyed instead.
 */
export async function resetLab(record: LabRecord, frr: readonly FrrStartPlan[], output: OutputSink, bounds: ExecBounds): Promise<void> {
  const remaining = () => Math.max(1, bounds.deadline - performance.now());
  const nodes = record.nodes.map((node) => ({ node, baseline: baselineOf(record, node) }));
  const pids = await killNamespaceProcesses(record.namespaces, remaining());
  await waitUntil(() => pids.every(hasExited), bounds.deadline);
  const survivors = pids.filter((pid) => !hasExited(pid));
  if (survivors.length > 0) throw new Error(`processes ${survivors.join(", ")} in the lab's namespaces could not be killed`);
  output({ stream: "info", text: `Reset of ${record.instanceName}: killed ${pids.length} process(es) in its namespaces` });
  // Pid files, sockets and watchfrr's started mark of the killed daemons: the restart must not mistake them for its own.
  for (const { node } of nodes) if (node.frr) rmSync(node.frr.runDir, { recursive: true, force: true });

  await Promise.all(nodes.map(({ node, baseline }) => resetNamespace(node, baseline, remaining)));
  output({ stream: "info", text: `Reset of ${record.instanceName}: links, addresses, routes, rules and sysctls are as deployed` });
  await startFrrInstances(frr, output, bounds);
  const execs: NodeExecPlan[] = nodes.map(({ node, baseline }) => ({ node: node.name, namespace: node.namespace, ...baseline.exec }));
  await runNodeExecs(execs, output, bounds);
}

function baselineOf(record: LabRecord, node: NodeRecord): NodeBaseline {
  if (!node.baseline) {
    throw new Error(`native lab "${record.instanceName}" was not deployed to be reset (no baseline of node ${node.name})`);
  }
  return node.baseline;
}

async function resetNamespace(node: NodeRecord, baseline: NodeBaseline, remaining: () => number): Promise<void> {
  const { namespace } = node;
  const deployed = new Set(baseline.links.map((link) => link.name));
  const present = await readNamespaceLinks(namespace, remaining());
  const gone = baseline.links.filter((link) => !present.some((candidate) => candidate.name === link.name));
  if (gone.length > 0) {
    throw new Error(
      `node ${node.name}: links ${gone.map((link) => link.name).join(", ")} of the deployed lab are gone; it cannot be reset`,
    );
  }
  // Forced: deleting one end of a veth deletes its peer, whose own line then finds nothing; the links are checked right after.
  const extra = present.filter((link) => !deployed.has(link.name)).map((link) => batchLine("link", "del", "dev", link.name));
  await runIpBatch([...extra, batchLine("nexthop", "flush")], { namespace, force: true, timeoutMs: remaining() });
  const left = (await readNamespaceLinks(namespace, remaining())).filter((link) => !deployed.has(link.name));
  if (left.length > 0) throw new Error(`node ${node.name}: cannot delete links ${left.map((link) => link.name).join(", ")}`);
  await removeQdiscs(namespace, baseline, remaining());

  await runIpBatch([
    ...baseline.links.flatMap((link) => [
      batchLine("link", "set", "dev", link.name, "down"),
      batchLine("address", "flush", "dev", link.name),
      batchLine(
        "link",
        "set",
        "dev",
        link.name,
        "mtu",
        String(link.mtu),
        ...(link.name === "lo" || !link.mac ? [] : ["address", link.mac]),
      ),
    ]),
    batchLine("route", "flush", "table", "all"),
    batchLine("rule", "flush"),
    batchLine("rule", "add", "pref", "32766", "table", "main"),
    batchLine("rule", "add", "pref", "32767", "table", "default"),
    batchLine("neigh", "flush", "all"),
  ], { namespace, timeoutMs: remaining() });
  await runIpBatch([
    batchLine("route", "flush", "table", "all"),
    batchLine("rule", "flush"),
    batchLine("rule", "add", "pref", "32766", "table", "main"),
  ], { namespace, ipv6: true, timeoutMs: remaining() });

  await restoreSysctls(node, baseline, remaining());
  await runIpBatch([
    ...baseline.links.filter((link) => link.up).map((link) => batchLine("link", "set", "dev", link.name, "up")),
    ...baseline.setup,
  ], { namespace, timeoutMs: remaining() });
}

/** Root and ingress (or clsact) qdiscs go; a link without any answers an error, which is why the batch is forced. */
async function removeQdiscs(namespace: string, baseline: NodeBaseline, timeoutMs: number): Promise<void> {
  const lines = baseline.links.flatMap((link) => [`qdisc del dev ${link.name} root`, `qdisc del dev ${link.name} ingress`]);
  const run = await runCommand(["tc", "-n", namespace, "-force", "-batch", "-"], { timeoutMs, stdinText: `${lines.join("\n")}\n` });
  if (run.timedOut || run.aborted) throw new Error(`removing the qdiscs in ${namespace} did not finish in time`);
}

/** Writes back every sysctl that differs; `all` keys first, as writing one sets the per-interface keys too. */
async function restoreSysctls(node: NodeRecord, baseline: NodeBaseline, timeoutMs: number): Promise<void> {
  const current = await readNamespaceSysctls(node.namespace, timeoutMs);
  const rank = (key: string) => (key.includes(".all.") ? 0 : key.includes(".default.") ? 1 : 2);
  const changed = Object.entries(baseline.sysctls)
    .filter(([key, value]) => current[key] !== undefined && current[key] !== value)
    .sort(([a], [b]) => rank(a) - rank(b));
  if (changed.length === 0) return;
  const run = await runCommand(
    [...namespaceExecPrefix(node.namespace), "sysctl", "-qw", ...changed.map(([key, value]) => `${key}=${value}`)],
    { timeoutMs },
  );
  if (run.code !== 0 || run.timedOut) {
    throw new Error(`node ${node.name}: cannot restore its sysctls: ${run.stderr.trim() || `exit ${run.code}`}`);
  }
}
