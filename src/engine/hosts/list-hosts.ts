import type { EngineContext } from "../context.ts";
import type { Host } from "../model.ts";

/** Every registered host, by name. */
export function listHosts(ctx: EngineContext): Host[] {
  return [...ctx.state.hosts.all()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** A registered host by id. */
export function hostById(ctx: EngineContext, hostId: string): Host | undefined {
  return ctx.state.hosts.get(hostId);
}
