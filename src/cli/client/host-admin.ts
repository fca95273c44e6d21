import { hostname } from "node:os";
import type { HostPatch } from "../../client/api-types.ts";

export const HOST_ADMIN_ACTIONS = ["drain", "undrain", "maintenance"] as const;
export type HostAdminAction = (typeof HOST_ADMIN_ACTIONS)[number];

/**
 * The change each admin action asks for. `undrain` returns the host to service from draining and
 * from maintenance alike; the reason goes with taking it out of service.
 */
export function hostAdminPatch(action: HostAdminAction, reason: string | undefined, by: string): HostPatch {
  if (action === "undrain") return { drain: false, maintenance: false, by };
  const patch: HostPatch = action === "drain" ? { drain: true } : { maintenance: true };
  return { ...patch, by, ...(reason ? { reason } : {}) };
}

/** Who asks, as the broker records it with the reason: the local user at this machine. */
export function localActor(env: Record<string, string | undefined>): string {
  return `${env.USER ?? env.LOGNAME ?? "unknown"}@${hostname()}`;
}

export function adminDone(action: HostAdminAction, host: string): string {
  if (action === "drain") return `Host ${host} is draining: its sessions carry on, no new ones start on it`;
  if (action === "maintenance") return `Host ${host} is in maintenance: no sessions start on it until 'labbroker hosts undrain ${host}'`;
  return `Host ${host} is back in service`;
}
