import { eq } from "drizzle-orm";
import { labs } from "../../../db/schema.ts";
import { sleepOn } from "../../clock.ts";
import type { EngineContext } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import type { Lab, LabState } from "./lab.ts";

/** A live lab from memory, an inactive one from the database. */
export async function findLab(ctx: EngineContext, labId: string): Promise<Lab> {
  const live = ctx.state.labs.get(labId);
  if (live) return live;
  const [row] = await ctx.orm.select().from(labs).where(eq(labs.id, labId)).limit(1);
  if (!row) throw new NotFoundError(`Cannot find lab "${labId}"`);
  return row;
}

/** Resolves once the lab is in one of `states` (or `timeoutMs` passes, or the broker stops); returns its state then. */
export async function waitForLabState(
  ctx: EngineContext,
  lab: Lab,
  states: readonly LabState[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<LabState> {
  if (states.includes(lab.state)) return lab.state;
  const stop = new AbortController();
  const stopAll = () => stop.abort();
  ctx.shutdown.addEventListener("abort", stopAll, { once: true });
  signal?.addEventListener("abort", stopAll, { once: true });
  try {
    await new Promise<void>((resolve) => {
      const unsubscribe = ctx.events.subscribe({ labId: lab.id }, () => {
        if (states.includes(lab.state)) finish();
      });
      const finish = () => {
        unsubscribe();
        resolve();
      };
      void sleepOn(ctx.clock, timeoutMs, stop.signal).then(finish);
    });
  } finally {
    stop.abort();
    ctx.shutdown.removeEventListener("abort", stopAll);
    signal?.removeEventListener("abort", stopAll);
  }
  return lab.state;
}
