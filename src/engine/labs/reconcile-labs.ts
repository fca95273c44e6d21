import { Change, type EngineContext } from "../context.ts";
import type { Host } from "../model.ts";
import type { RuntimeName } from "../../protocol/runtimes.ts";
import { enqueueDestroy } from "./destroy-lab.ts";
import { transitionLab } from "./lab-changes.ts";

export interface ReportedInstance {
  instance_name: string;
  lab_id: string | null;
  runtime: RuntimeName;
  /** The instance is recorded on the host but broken there. */
  problem?: string | null | undefined;
}

/**
 * Reviving: compares what the agent says runs on its host with what the broker believes. A lab
 * the broker thinks is running but is gone, or broken on the host, becomes failed (saying why); an
 * instance no live lab owns is destroyed.
 * Labs with an operation in flight (deploying, stopping) are left to that operation.
 */
export async function reconcileHostLabs(ctx: EngineContext, host: Host, reported: readonly ReportedInstance[]): Promise<void> {
  const change = new Change(ctx);
  const byName = new Map(reported.map((instance) => [instance.instance_name, instance]));
  const live = ctx.state.labs.onHost(host.id);
  for (const lab of live) {
    if (lab.state !== "running") continue;
    const instance = byName.get(lab.instanceName);
    if (!instance) {
      transitionLab(ctx, change, lab, "failed", {
        error: `instance ${lab.instanceName} is no longer running on host ${host.name}`,
        holders: [],
      });
    } else if (instance.problem) {
      transitionLab(ctx, change, lab, "failed", {
        error: `instance ${lab.instanceName} is broken on host ${host.name}: ${instance.problem}`,
        holders: [],
      });
    }
  }
  const known = new Set(live.map((lab) => lab.instanceName));
  for (const instance of reported) {
    if (known.has(instance.instance_name)) continue;
    change.emit("lab.orphan", { hostId: host.id }, { instance: instance.instance_name, runtime: instance.runtime, labId: instance.lab_id });
    enqueueDestroy(ctx, change, { hostId: host.id, labId: null }, {
      instance_name: instance.instance_name,
      runtime: instance.runtime,
      topology_file: null,
      multilab_id: null,
      reason: "no lab owns this instance",
    });
  }
  await change.commit();
}
