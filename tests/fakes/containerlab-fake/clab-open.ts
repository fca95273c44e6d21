import { existsSync } from "node:fs";
import type { FakeContainer, FakeDockerDaemon } from "../fake-docker/daemon.ts";
import type { FlagValues } from "./clab-flags.ts";
import { containersOfLab } from "./clab-lab.ts";
import { ClabError } from "./clab-log.ts";
import { type ClabTopology, CONTAINERLESS_KINDS, findTopologyFile, loadTopology } from "./clab-topology.ts";

/**
 * The lab a command works on, as `NewContainerLab` builds it from `-t` and `--name`
 * (`CL:cmd/options.go:258-291`): `topology` is null when only the name is known.
 * `fromFile` says whether the topology came from `-t` or the cwd glob (`CL:cmd/root.go:224-264`)
 * rather than from a running lab's container labels.
 */
export interface OpenedLab {
  name: string;
  topology: ClabTopology | null;
  fromFile: boolean;
}

export function openLab(values: FlagValues, env: NodeJS.ProcessEnv, daemon: FakeDockerDaemon): OpenedLab {
  const name = typeof values.name === "string" && values.name !== "" ? values.name : undefined;
  // options.go:272-280: WithTopoPath, then WithTopologyName overrides the file's `name:`.
  if (values.topo || !name) {
    const topology = loadTopology(findTopologyFile(values.topo as string | undefined), name, env);
    return { name: topology.name, topology, fromFile: true };
  }
  return labFromName(name, env, daemon);
}

/** `WithTopologyFromLab` (`CL:core/options_clab.go:229-276`), used for `--name` without `-t` (options.go:282-284). */
function labFromName(name: string, env: NodeJS.ProcessEnv, daemon: FakeDockerDaemon): OpenedLab {
  const containers = containersOfLab(daemon, name);
  // options_clab.go:252-254 (since v0.68): a lab without containers is an error, exit 1.
  if (containers.length === 0) throw new ClabError(`lab '${name}' not found - no running containers`);
  const file = containers[0]!.labels["clab-topo-file"];
  if (!file) throw new ClabError("could not determine topology file from container labels");
  // options_clab.go:263-270: the topology file is gone, the lab name alone is used (WithLabNameOnly).
  if (!existsSync(file)) return { name, topology: null, fromFile: false };
  // WithTopologyName ran first; LoadTopologyFromFile unmarshals the file over it (core/file.go:103),
  // so the file's own `name:` replaces --name.
  const topology = loadTopology(file, undefined, env, name);
  return { name: topology.name, topology, fromFile: false };
}

/** `ListNodesContainers[IgnoreNotFound]` (`CL:core/list.go:42-79`): containers looked up by each node's container name. */
export function nodesContainers(
  daemon: FakeDockerDaemon,
  topology: ClabTopology,
  selected: (node: string) => boolean,
  ignoreNotFound: boolean,
): FakeContainer[] {
  const all = daemon.listContainers();
  return topology.nodes
    .filter((node) => selected(node.name) && !CONTAINERLESS_KINDS.includes(node.kind))
    .flatMap((node) => {
      const container = all.find((candidate) => candidate.name === node.longName);
      if (container) return [container];
      if (ignoreNotFound) return [];
      // inspect.go:176 wrapping list.go:50-53 wrapping nodes/default_node.go:484-489 (ErrContainersNotFound, nodes/node.go:118)
      throw new ClabError(
        `failed to list containers based on topology: could not get container for node ${node.longName}: Node: ${node.longName}. containers not found`,
      );
    });
}
