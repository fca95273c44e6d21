import { Change, type EngineContext } from "../context.ts";
import { ConflictError } from "../errors.ts";
import type { Host } from "../model.ts";
import { requestHealthCheck } from "./health-gate.ts";
import { findHost } from "./update-host.ts";

/** An admin asks for a health check now (e.g. after fixing an unhealthy host by hand): a pass makes it healthy. */
export async function recheckHostHealth(ctx: EngineContext, idOrName: string): Promise<Host> {
  const host = findHost(ctx, idOrName);
  const change = new Change(ctx);
  if (!requestHealthCheck(ctx, change, host, "requested")) {
    throw new ConflictError(
      `The agent of host "${host.name}" runs no health gate (it was started with --health-gate off, or is older than the gate)`,
    );
  }
  await change.commit();
  return host;
}
