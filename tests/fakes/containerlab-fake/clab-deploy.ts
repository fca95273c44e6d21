import { existsSync, mkdirSync, rmSync } from "node:fs";
import { basename } from "node:path";
import { FakeDockerDaemon } from "../fake-docker/daemon.ts";
import type { FlagSpec, FlagValues } from "./clab-flags.ts";
import { printContainers } from "./clab-inspect.ts";
import { CLAB_VERSION, containersOfLab, labOwner, nodeFilter, requireRoot, writeTopologyData } from "./clab-lab.ts";
import { ClabError, logInfo } from "./clab-log.ts";
import { type ClabTopology, CONTAINERLESS_KINDS, findTopologyFile, loadTopology } from "./clab-topology.ts";

export const DEPLOY_FLAGS: FlagSpec[] = [
  { long: "reconfigure", short: "c", kind: "bool" },
  { long: "max-workers", kind: "string" },
  { long: "dry-run", kind: "bool" },
  { long: "format", short: "f", kind: "string" },
  { long: "graph", short: "g", kind: "bool" },
  { long: "network", kind: "string" },
  { long: "ipv4-subnet", short: "4", kind: "string" },
  { long: "ipv6-subnet", short: "6", kind: "string" },
  { long: "skip-post-deploy", kind: "bool" },
  { long: "export-template", kind: "string" },
  { long: "export-rendered", kind: "string" },
  { long: "node-filter", kind: "string" },
  { long: "skip-labdir-acl", kind: "bool" },
  { long: "owner", kind: "string" },
  { long: "restore-all", kind: "string" },
  { long: "restore", kind: "strings" },
];

/**
 * `containerlab deploy`: since v0.78 an existing lab is reconciled in place; `--reconfigure`
 * removes it and its lab directory first. Images are "pulled" before any container exists.
 */
export function deploy(values: FlagValues, env: NodeJS.ProcessEnv): void {
  requireRoot();
  if (values["dry-run"] && values.reconfigure) {
    throw new ClabError("--dry-run cannot be combined with --reconfigure: reconfigure always destroys and redeploys the full lab");
  }
  logInfo("Containerlab started", { version: CLAB_VERSION });
  const topology = loadTopology(findTopologyFile(values.topo as string | undefined), values.name as string | undefined, env);
  applyMgmtFlags(topology, values);
  logInfo("Parsing & checking topology", { file: basename(topology.file) });
  const selected = nodeFilter(values["node-filter"], topology);
  if (values["dry-run"]) return;

  const daemon = new FakeDockerDaemon(env);
  if (values.reconfigure) removeLab(daemon, topology);
  logInfo("Creating lab directory", { path: topology.labDir });
  mkdirSync(topology.labDir, { recursive: true });

  const wanted = topology.nodes.filter((node) => !CONTAINERLESS_KINDS.includes(node.kind) && selected(node.name));
  for (const image of new Set(wanted.map((node) => node.image))) {
    if (daemon.imageExists(image)) continue;
    logInfo("Pulling image", { image });
    daemon.pullImage(image);
  }

  const existing = containersOfLab(daemon, topology.name);
  for (const stale of existing.filter((container) => !topology.nodes.some((node) => node.longName === container.name))) {
    logInfo("Removing container", { name: stale.labels["clab-node-name"] ?? stale.name });
    daemon.removeContainer(stale.name);
  }
  for (const node of wanted.filter((candidate) => !existing.some((container) => container.name === candidate.longName))) {
    logInfo("Creating container", { name: node.name });
    daemon.createContainer({
      name: node.longName,
      image: node.image,
      labels: {
        containerlab: topology.name,
        "clab-node-name": node.name,
        "clab-node-longname": node.longName,
        "clab-node-kind": node.kind,
        "clab-node-type": "",
        "clab-node-group": node.group,
        "clab-node-lab-dir": `${topology.labDir}/${node.name}`,
        "clab-topo-file": topology.file,
        "clab-owner": labOwner(env),
      },
      network: node.networkMode
        ? null
        : { name: topology.mgmt.network, ipv4Subnet: topology.mgmt.ipv4Subnet, ipv6Subnet: topology.mgmt.ipv6Subnet },
      ...(node.mgmtIpv4 ? { staticIpv4: node.mgmtIpv4 } : {}),
      ...(node.mgmtIpv6 ? { staticIpv6: node.mgmtIpv6 } : {}),
    });
  }
  for (const link of topology.links) logInfo(`Created link: ${link.a} ▪┄┄▪ ${link.z}`);

  const containers = containersOfLab(daemon, topology.name);
  writeTopologyData(topology, containers);
  printContainers(containers, (values.format as string | undefined) ?? "table", false);
}

/** What `--reconfigure` removes before deploying again: the lab's containers and its lab directory. */
export function removeLab(daemon: FakeDockerDaemon, topology: ClabTopology): void {
  for (const container of containersOfLab(daemon, topology.name)) {
    daemon.removeContainer(container.name);
    logInfo("Removed container", { name: container.name });
  }
  if (!existsSync(topology.labDir)) return;
  logInfo("Removing lab directory", { path: topology.labDir });
  rmSync(topology.labDir, { recursive: true, force: true });
}

function applyMgmtFlags(topology: ClabTopology, values: FlagValues): void {
  if (typeof values.network === "string") topology.mgmt.network = values.network;
  if (typeof values["ipv4-subnet"] === "string") topology.mgmt.ipv4Subnet = values["ipv4-subnet"];
  if (typeof values["ipv6-subnet"] === "string") topology.mgmt.ipv6Subnet = values["ipv6-subnet"];
}
