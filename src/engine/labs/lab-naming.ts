import { and, eq, like } from "drizzle-orm";
import { labs } from "../../../db/schema.ts";
import type { EngineContext } from "../context.ts";

const MULTILAB_IDS = 200;

/** `<topology name>-<unix seconds>`: what a lab started at `now` is called unless the name is taken. */
export function instanceNameBase(topologyName: string, now: number): string {
  return `${topologyName}-${Math.floor(now / 1000)}`;
}

/**
 * Names starting with `base` that labs on the host already had. Labs that are gone are only in the
 * database, and its unique index still holds their names: a lab deployed again in the same second
 * as one destroyed must not reuse the name.
 */
export async function pastInstanceNames(ctx: EngineContext, hostId: string, base: string): Promise<Set<string>> {
  const rows = await ctx.orm.select({ name: labs.instanceName }).from(labs).where(
    and(eq(labs.hostId, hostId), like(labs.instanceName, `${base}%`)),
  );
  return new Set(rows.map((row) => row.name));
}

/** `base`, with a counter when a live lab on the host or one of `pastNames` has it. */
export function uniqueInstanceName(ctx: EngineContext, hostId: string, base: string, pastNames: ReadonlySet<string>): string {
  const taken = new Set([...pastNames, ...ctx.state.labs.onHost(hostId).map((lab) => lab.instanceName)]);
  if (!taken.has(base)) return base;
  for (let counter = 2;; counter++) if (!taken.has(`${base}-${counter}`)) return `${base}-${counter}`;
}

/** The smallest netlab multilab id (1–200) no live netlab lab on the host uses; null when all are taken. */
export function freeMultilabId(ctx: EngineContext, hostId: string): number | null {
  const used = new Set(ctx.state.labs.onHost(hostId).map((lab) => lab.multilabId));
  for (let id = 1; id <= MULTILAB_IDS; id++) if (!used.has(id)) return id;
  return null;
}
