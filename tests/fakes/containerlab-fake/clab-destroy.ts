import { existsSync, readdirSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { DockerError } from "../fake-docker/docker-error.ts";
import { type FakeContainer, FakeDockerDaemon } from "../fake-docker/daemon.ts";
import type { FlagSpec, FlagValues } from "./clab-flags.ts";
import { containersOfLab, nodeFilter, requireRoot } from "./clab-lab.ts";
import { ClabError, logError, logInfo } from "./clab-log.ts";
import { nodesContainers, type OpenedLab, openLab } from "./clab-open.ts";
import { loadTopology } from "./clab-topology.ts";

export const DESTROY_FLAGS: FlagSpec[] = [
  { long: "cleanup", short: "c", kind: "bool" },
  { long: "graceful", kind: "bool" },
  { long: "all", short: "a", kind: "bool" },
  { long: "yes", short: "y", kind: "bool" },
  { long: "max-workers", kind: "string" },
  { long: "keep-mgmt-net", kind: "bool" },
  { long: "node-filter", kind: "string" },
];

/**
 * `containerlab destroy` as `CL:core/destroy.go` does it, quirks included: the containers found
 * are grouped by the topology file in their labels, and each group is destroyed by a lab rebuilt
 * from that file alone (destroy.go:90-98, 114-141), i.e. under the file's own `name:` — `--name`
 * is not passed on. A lab deployed under another name is not found (exit 0, containers left,
 * upstream issue #2892). A container that cannot be removed is logged and skipped (exit 0).
 */
export function destroy(values: FlagValues, env: NodeJS.ProcessEnv): void {
  requireRoot();
  // CL:cmd/destroy.go:84-90
  if (values.cleanup && values["node-filter"]) throw new ClabError("cleanup cannot be used with node-filter");
  if (values.all && values.name) throw new ClabError("--all and --name should not be used together");
  const daemon = new FakeDockerDaemon(env);
  const selected = nodeFilter(values["node-filter"], null);
  const lab = values.all ? null : openLab(values, env, daemon);
  const found = foundContainers(daemon, lab, selected);
  // destroy.go:57-66: topology file (from the labels) → lab directory.
  const topologies = new Map<string, string>();
  for (const container of found) {
    const file = container.labels["clab-topo-file"];
    if (file !== undefined) topologies.set(file, dirname(container.labels["clab-node-lab-dir"] ?? ""));
  }
  try {
    for (const [file, labDir] of topologies) destroyRebuiltLab(daemon, rebuiltLab(file, labDir, env), selected);
  } finally {
    // destroy.go:68-72: the deferred cleanup runs whatever happened.
    if (values.cleanup) removeLabDirectories(topologies, values.all === true, lab?.topology?.file ?? null);
  }
}

/** destroy.go:34-49 */
function foundContainers(daemon: FakeDockerDaemon, lab: OpenedLab | null, selected: (node: string) => boolean): FakeContainer[] {
  if (!lab) return daemon.listContainers();
  if (lab.topology) return nodesContainers(daemon, lab.topology, selected, true);
  return containersOfLab(daemon, lab.name);
}

/** `makeCopyForDestroy` (destroy.go:114-141): the file alone (its own `name:`), or the name from the lab dir when the file is gone. */
function rebuiltLab(file: string, labDir: string, env: NodeJS.ProcessEnv): OpenedLab {
  if (existsSync(file)) {
    const topology = loadTopology(file, undefined, env);
    return { name: topology.name, topology, fromFile: true };
  }
  return { name: basename(labDir).replace(/^clab-/, ""), topology: null, fromFile: false };
}

/** `CLab.destroy` (destroy.go:243-284): by node container names, or by the lab label when only the name is known. */
function destroyRebuiltLab(daemon: FakeDockerDaemon, lab: OpenedLab, selected: (node: string) => boolean): void {
  const containers = lab.topology ? nodesContainers(daemon, lab.topology, selected, true) : containersOfLab(daemon, lab.name);
  if (containers.length === 0) return;
  logInfo("Destroying lab", { name: lab.name });
  for (const container of containers) {
    if (!lab.topology) logInfo(`Removing container: ${container.name}`);
    try {
      daemon.removeContainer(container.name);
      logInfo("Removed container", { name: container.name });
    } catch (error) {
      // destroy.go:392 and :442 only log the failure; destroy still exits 0.
      if (!(error instanceof DockerError)) throw error;
      logError(`could not remove container "${container.name}": ${error.message}`);
    }
  }
}

/** `destroyLabDirs` (destroy.go:188-240): with nothing found, the first `clab-*` beside the topology file (or in the cwd) goes. */
function removeLabDirectories(topologies: Map<string, string>, all: boolean, topologyFile: string | null): void {
  if (topologies.size > 0) {
    for (const labDir of topologies.values()) rmSync(labDir, { recursive: true, force: true });
    return;
  }
  logInfo("no containerlab containers found");
  if (all) return;
  const folder = topologyFile ? dirname(topologyFile) : ".";
  const first = readdirSync(folder).filter((entry) => entry.startsWith("clab-")).sort()[0];
  if (first === undefined) return;
  const path = topologyFile ? join(folder, first) : first;
  logInfo("Removing lab directory", { path });
  rmSync(path, { recursive: true, force: true });
}
