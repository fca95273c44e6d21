import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FakeContainer, FakeDockerDaemon } from "../fake-docker/daemon.ts";
import { ClabError } from "./clab-log.ts";
import type { ClabTopology } from "./clab-topology.ts";

export const CLAB_VERSION = "0.79.0";

/** `CL:utils/sudo.go:CheckAndGetRootPrivs` for the commands that need root. */
export function requireRoot(): void {
  const euid = process.geteuid?.() ?? 0;
  if (euid !== 0) {
    throw new ClabError(`this containerlab command requires root privileges or root via SUID to run, effective UID: ${euid} SUID: ${euid}`);
  }
}

/** `$SUDO_USER`, else `$USER` (a custom owner needs clab_admins membership, which the fake never grants). */
export function labOwner(env: NodeJS.ProcessEnv): string {
  return env.SUDO_USER || env.USER || "root";
}

export function containersOfLab(daemon: FakeDockerDaemon, lab: string): FakeContainer[] {
  return daemon.listContainers().filter((container) => container.labels.containerlab === lab);
}

/** `--node-filter a,b`: the named nodes, which must exist. */
export function nodeFilter(filter: unknown, topology: ClabTopology | null): (node: string) => boolean {
  if (typeof filter !== "string" || filter === "") return () => true;
  const names = filter.split(",");
  const unknown = topology ? names.find((name) => !topology.nodes.some((node) => node.name === name)) : undefined;
  if (unknown) throw new ClabError(`node "${unknown}" is not present in the topology`);
  return (node) => names.includes(node);
}

/** The lab directory's `topology-data.json` (a reduced `auto.tmpl`). */
export function writeTopologyData(topology: ClabTopology, containers: FakeContainer[]): void {
  mkdirSync(topology.labDir, { recursive: true });
  const nodes = Object.fromEntries(
    topology.nodes.map((node, index) => {
      const container = containers.find((candidate) => candidate.name === node.longName);
      const [ipv4, ipv4Length] = (container?.ipv4 ?? "/").split("/");
      const [ipv6, ipv6Length] = (container?.ipv6 ?? "/").split("/");
      return [
        node.name,
        {
          index: String(index),
          shortname: node.name,
          longname: node.longName,
          fqdn: `${node.name}.${topology.name}.io`,
          group: node.group,
          labdir: join(topology.labDir, node.name),
          kind: node.kind,
          image: node.image,
          "mgmt-ipv4-address": ipv4 ?? "",
          "mgmt-ipv4-prefix-length": Number(ipv4Length || 0),
          "mgmt-ipv6-address": ipv6 ?? "",
          "mgmt-ipv6-prefix-length": Number(ipv6Length || 0),
          labels: container?.labels ?? {},
        },
      ];
    }),
  );
  const links = topology.links.map((link) => ({ endpoints: { a: endpoint(link.a), z: endpoint(link.z) } }));
  const data = {
    name: topology.name,
    type: "clab",
    clab: { config: { prefix: topology.prefix, mgmt: topology.mgmt, "config-path": topology.file } },
    nodes,
    links,
  };
  writeFileSync(join(topology.labDir, "topology-data.json"), `${JSON.stringify(data, null, 2)}\n`);
}

function endpoint(text: string): { node: string; interface: string } {
  const at = text.indexOf(":");
  return { node: text.slice(0, at), interface: text.slice(at + 1) };
}
