import { eq } from "drizzle-orm";
import { hosts } from "../../../db/schema.ts";
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
  const host = ctx.state.hosts.get(idOrName) ?? ctx.state.hostsByName.get(idOrName);
  if (!host) throw new NotFoundError(`Cannot find host "${idOrName}"`);
  return host;
}

/** Applies an admin change. Draining keeps current sessions and takes no new ones. */
export async function updateHost(ctx: EngineContext, idOrName: string, patch: HostPatch): Promise<Host> {
  const host = findHost(ctx, idOrName);
  if (patch.labels) {
    const adminLabels = { ...host.adminLabels };
    for (const [key, value] of Object.entries(patch.labels)) {
      if (value === null) delete adminLabels[key];
      else adminLabels[key] = value;
    }
    host.adminLabels = adminLabels;
    ctx.state.queue.hostsChanged();
  }
  if (patch.capacity !== undefined) host.adminCapacity = patch.capacity;
  if (patch.drain !== undefined) host.draining = patch.drain;
  if (patch.maintenance !== undefined) host.maintenance = patch.maintenance;
  recordAdminReason(host, patch, ctx.clock.now());
  if (patch.healthCheckEveryS !== undefined) host.healthCheckEveryS = patch.healthCheckEveryS;

  const change = new Change(ctx);
  if (patch.health === "clear") clearHostHealth(ctx, change, host);
  change.write(
    ctx.orm
      .update(hosts)
      .set({
        adminLabels: host.adminLabels,
        adminCapacity: host.adminCapacity,
        draining: host.draining,
        maintenance: host.maintenance,
        adminReason: host.adminReason,
        adminReasonBy: host.adminReasonBy,
        adminReasonAt: host.adminReasonAt,
        healthCheckEveryS: host.healthCheckEveryS,
      })
      .where(eq(hosts.id, host.id)),
  );
  change.emit("host.updated", { hostId: host.id }, { name: host.name, ...patch });
  promoteWaitingSessions(ctx, change);
  await change.commit();
  return host;
}

/** Taking a host out of service records why, who and when; returning it to service forgets that. */
function recordAdminReason(host: Host, patch: HostPatch, now: number): void {
  if (!host.draining && !host.maintenance) {
    Object.assign(host, { adminReason: null, adminReasonBy: null, adminReasonAt: null });
    return;
  }
  if (patch.drain === true || patch.maintenance === true || patch.reason !== undefined) {
    Object.assign(host, { adminReason: patch.reason ?? host.adminReason, adminReasonBy: patch.by ?? null, adminReasonAt: now });
  }
}
