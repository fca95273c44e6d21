import type { Change, EngineContext } from "../context.ts";
import type { Lab, LabState } from "./lab.ts";

/** Moves a lab to `to` (refusing a transition the state machine does not have), persists it and emits `lab.<to>`. */
export function transitionLab(
  ctx: EngineContext,
  change: Change,
  lab: Lab,
  to: LabState,
  fields: Partial<Pick<Lab, "nodes" | "error" | "holders">> = {},
): void {
  const from = lab.state;
  change.write(ctx.state.labs.transition(lab, to, fields, ctx.clock.now()));
  change.emit(`lab.${to}`, { labId: lab.id, sessionId: lab.sessionId, hostId: lab.hostId }, {
    from,
    instance: lab.instanceName,
    ...(lab.error && to === "failed" ? { error: lab.error } : {}),
  });
}

/** Persists a change of holders (ref counts per session). */
export function saveHolders(ctx: EngineContext, change: Change, lab: Lab, holders: string[]): void {
  change.write(ctx.state.labs.setHolders(lab, holders, ctx.clock.now()));
  change.emit("lab.holders", { labId: lab.id, hostId: lab.hostId }, { holders: lab.holders });
}
