import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseDocument } from "yaml";
import type { LabSpec } from "../lab-runtime.ts";

/**
 * The copy of the user's topology that a containerlab lab is deployed and destroyed from: the same
 * file with `name:` set to the instance name, beside the original so relative paths (binds,
 * startup configs) resolve alike. `deploy --name` would not do: `destroy -t FILE` rebuilds the lab
 * from the file alone and looks for containers under the file's own name, ignoring `--name`
 * (`CL:core/destroy.go:90-98, 114-141, 249-260`, upstream issue #2892).
 */
export function instanceTopologyPath(spec: LabSpec): string {
  return join(dirname(join(spec.workDir, spec.topologyFile)), `.labbroker-${spec.instanceName}.clab.yml`);
}

export function writeInstanceTopology(spec: LabSpec): string {
  const document = parseDocument(readFileSync(join(spec.workDir, spec.topologyFile), "utf8"));
  document.set("name", spec.instanceName);
  const copy = instanceTopologyPath(spec);
  writeFileSync(copy, document.toString());
  return copy;
}
