import { Change, type EngineContext } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import type { Host } from "../model.ts";
import { clearHostHealth } from "./health-gate.ts";
import { promoteWaitingSessions } from "../scheduler.ts";

export interface HostPatch {
  /** Admin label overrides, merged: a string sets a label, null removes the override. */
  labels?: Record<string, string | null>;
  /** Slots override; null returns to what the agent reports. */
  capacity?: number | null;
  drain?: boolean;
  maintenance?: boolean;
  /** Why it is drained or put in maintenance (kept until both are cleared). */
  reason?: string;
  /** Who asks, recorded with the reason. */
  by?: string;
  /** "clear": an unhealthy host is accepted as it is (see health-gate.ts). */
  health?: "clear";
  /** Periodic health checks of the idle host, in seconds; null: only after sessions. */
  healthCheckEveryS?: number | null;
}

export function findHost(ctx: EngineContext, idOrName: string): Host {
  const host = ctx.state.hosts.get(idOrName) ?? ctx.state.hosts.byName(idOrName);
  if (!host) throw new NotFoundError(`Cannot find host "${idOrName}"`);
  return host;
}

/** Applies an admin change. Draining keeps current sessions and takes no new ones. */
export async function updateHost(ctx: EngineContext, idOrName: string, patch: HostPatch): Promise<Host> {
  const host = findHost(ctx, idOrName);
  const draining = patch.drain ?? host.draining;
  const maintenance = patch.maintenance ?? host.maintenance;
  const change = new Change(ctx);
  change.write(ctx.state.hosts.administer(host, {
    adminLabels: patch.labels ? mergeLabels(host.adminLabels, patch.labels) : host.adminLabels,
    adminCapacity: patch.capacity !== undefined ? patch.capacity : host.adminCapacity,
    draining,
    maintenance,
    ...adminReason(host, patch, draining || maintenance, ctx.clock.now()),
    healthCheckEveryS: patch.healthCheckEveryS !== undefined ? patch.healthCheckEveryS : host.healthCheckEveryS,
  }));
  if (patch.health === "clear") clearHostHealth(ctx, change, host);
  change.emit("host.updated", { hostId: host.id }, { name: host.name, ...patch });
  promoteWaitingSessions(ctx, change);
  await change.commit();
  return host;
}

/** Admin label overrides with the patch merged in: a string sets a label, null removes the override. */
function mergeLabels(current: Record<string, string>, patch: Record<string, string | null>): Record<string, string> {
  const merged = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** Taking a host out of service records why, who and when; returning it to service forgets that. */
function adminReason(
  host: Host,
  patch: HostPatch,
  outOfService: boolean,
  now: number,
): Pick<Host, "adminReason" | "adminReasonBy" | "adminReasonAt"> {
  if (!outOfService) return { adminReason: null, adminReasonBy: null, adminReasonAt: null };
  if (patch.drain === true || patch.maintenance === true || patch.reason !== undefined) {
    return { adminReason: patch.reason ?? host.adminReason, adminReasonBy: patch.by ?? null, adminReasonAt: now };
  }
  return { adminReason: host.adminReason, adminReasonBy: host.adminReasonBy, adminReasonAt: host.adminReasonAt };
}
