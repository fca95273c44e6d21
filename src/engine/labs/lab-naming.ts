import type { EngineContext } from "../context.ts";
import { liveLabsOnHost } from "./lab.ts";

const MULTILAB_IDS = 200;

/** `<topology name>-<unix seconds>`, with a counter when two labs on one host start in the same second. */
export function uniqueInstanceName(ctx: EngineContext, hostId: string, topologyName: string): string {
  const base = `${topologyName}-${Math.floor(ctx.clock.now() / 1000)}`;
  const taken = new Set(liveLabsOnHost(ctx, hostId).map((lab) => lab.instanceName));
  if (!taken.has(base)) return base;
  for (let counter = 2; ; counter++) if (!taken.has(`${base}-${counter}`)) return `${base}-${counter}`;
}

/** The smallest netlab multilab id (1–200) no live netlab lab on the host uses; null when all are taken. */
export function freeMultilabId(ctx: EngineContext, hostId: string): number | null {
  const used = new Set(liveLabsOnHost(ctx, hostId).map((lab) => lab.multilabId));
  for (let id = 1; id <= MULTILAB_IDS; id++) if (!used.has(id)) return id;
  return null;
}
