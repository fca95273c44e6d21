import { existsSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { FakeDockerDaemon, type FakeContainer } from "../fake-docker/daemon.ts";
import type { FlagSpec, FlagValues } from "./clab-flags.ts";
import { containersOfLab, nodeFilter, requireRoot } from "./clab-lab.ts";
import { ClabError, logInfo } from "./clab-log.ts";
import { findTopologyFile, loadTopology } from "./clab-topology.ts";

export const DESTROY_FLAGS: FlagSpec[] = [
  { long: "cleanup", short: "c", kind: "bool" },
  { long: "graceful", kind: "bool" },
  { long: "all", short: "a", kind: "bool" },
  { long: "yes", short: "y", kind: "bool" },
  { long: "max-workers", kind: "string" },
  { long: "keep-mgmt-net", kind: "bool" },
  { long: "node-filter", kind: "string" },
];

/** `containerlab destroy`: idempotent — no containers is a success; `--cleanup` still removes the lab dir. */
export function destroy(values: FlagValues, env: NodeJS.ProcessEnv): void {
  requireRoot();
  if (values.cleanup && values["node-filter"]) throw new ClabError("cleanup cannot be used with node-filter");
  if (values.all && values.name) throw new ClabError("--all and --name should not be used together");
  const daemon = new FakeDockerDaemon(env);
  if (values.all) {
    const labs = new Set(daemon.listContainers().flatMap((container) => container.labels.containerlab ?? []));
    for (const lab of labs) destroyLab(daemon, lab, null, values);
    if (labs.size === 0) logInfo("no containerlab containers found");
    return;
  }
  const topology = values.topo || !values.name ? loadTopology(findTopologyFile(values.topo as string | undefined), values.name as string | undefined, env) : null;
  destroyLab(daemon, topology?.name ?? (values.name as string), topology?.labDir ?? null, values);
}

function destroyLab(daemon: FakeDockerDaemon, lab: string, knownLabDir: string | null, values: FlagValues): void {
  logInfo("Destroying lab", { name: lab });
  const selected = nodeFilter(values["node-filter"], null);
  const containers = containersOfLab(daemon, lab).filter((container) => selected(container.labels["clab-node-name"] ?? ""));
  if (containers.length === 0) logInfo("no containerlab containers found");
  for (const container of containers) {
    daemon.removeContainer(container.name);
    logInfo("Removed container", { name: container.name });
  }
  const labDir = knownLabDir ?? labDirFromLabels(containers);
  if (!values.cleanup || !labDir || !existsSync(labDir)) return;
  logInfo("Removing lab directory", { path: labDir });
  rmSync(labDir, { recursive: true, force: true });
}

function labDirFromLabels(containers: FakeContainer[]): string | null {
  const nodeDir = containers[0]?.labels["clab-node-lab-dir"];
  return nodeDir ? dirname(nodeDir) : null;
}
