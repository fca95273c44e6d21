import { join } from "node:path";
import type { HostRuntime } from "../protocol/host-work.ts";
import type { RuntimeName } from "../protocol/runtimes.ts";
import { ContainerlabRuntime } from "../hosts/containerlab/containerlab-runtime.ts";
import type { LabRuntime } from "../hosts/lab-runtime.ts";
import { NativeRuntime } from "../hosts/native/native-runtime.ts";
import { NetlabRuntime } from "../hosts/netlab/netlab-runtime.ts";

export interface RuntimeSettings {
  workDir: string;
  env: Record<string, string | undefined>;
  /** Put before every containerlab/netlab call (e.g. `sudo -n`) when the agent user may not run them. */
  toolPrefix: readonly string[];
}

/**
 * One runtime object per runtime the host offers. Lab folders live under the agent's work dir, and
 * so does the native runtime's record of its labs, so several agents on one machine never take each
 * other's labs for their own.
 */
export function createLabRuntimes(offered: readonly HostRuntime[], settings: RuntimeSettings): Partial<Record<RuntimeName, LabRuntime>> {
  const labsRoot = join(settings.workDir, "labs");
  const toolSettings = { environment: settings.env, commandPrefix: settings.toolPrefix, labsRoot };
  const runtimes: Partial<Record<RuntimeName, LabRuntime>> = {};
  for (const { name } of offered) {
    if (name === "native") runtimes.native = new NativeRuntime({ stateDir: join(settings.workDir, "native-labs") });
    if (name === "containerlab") runtimes.containerlab = new ContainerlabRuntime(toolSettings);
    if (name === "netlab") runtimes.netlab = new NetlabRuntime(toolSettings);
  }
  return runtimes;
}
