import { TopologyError } from "../../topology/topology-error.ts";

/**
 * What netlab writes into (and `netlab down --cleanup` deletes from) a lab's work dir
 * (`NL:netsim/cli/down.py:down_cleanup`, `NL:netsim/defaults/automation.yml`, providers/clab.yml).
 */
export const NETLAB_LOCK = "netlab.lock";
export const NETLAB_SNAPSHOT = "netlab.snapshot.pickle";
export const CLAB_CONFIG = "clab.yml";

const GENERATED = new Set([
  CLAB_CONFIG,
  "clab_files",
  "ansible.cfg",
  "hosts.yml",
  "group_vars",
  "host_vars",
  "config",
  "node_files",
  "netlab.snapshot.yml",
  NETLAB_SNAPSHOT,
  NETLAB_LOCK,
]);

/**
 * A topology stored under a name netlab generates would be overwritten by `netlab up` or deleted
 * by `netlab down --cleanup` (and `config/` is also where `netlab collect` writes).
 */
export function refuseGeneratedFileName(topologyFile: string): void {
  const top = topologyFile.split("/")[0]!;
  if (GENERATED.has(top) || top.startsWith("clab-")) {
    throw new TopologyError(
      "topologyFile",
      `${topologyFile} collides with what netlab generates or deletes in the lab folder; upload the topology under another name`,
    );
  }
}
