import { RESETTABLE_RUNTIMES } from "../../protocol/lab-work.ts";
import type { Change, EngineContext } from "../context.ts";
import { effectiveCapacity, type Host, type Requirement, type Session } from "../model.ts";
import { enqueueWork } from "../work/enqueue-work.ts";
import { destroyLabIn } from "./destroy-lab.ts";
import { extraFilesKey, type Lab, labInstance } from "./lab.ts";
import { transitionLab } from "./lab-changes.ts";

/**
 * The warm pool: a lab asked for with `keep_warm` that no session holds any more is reset to its
 * deployed baseline by its agent and stays deployed, held by no one, for `--warm-lab-ttl`; a session
 * asking for the same content on that host takes it at once instead of deploying. A host keeps at
 * most `--warm-labs-per-host` of them (the oldest go first), and they count as labs the host runs:
 * a deploy that needs the room destroys the oldest warm lab.
 */

/** In the pool: reset or being reset, held by no session. */
export function isWarm(lab: Lab): boolean {
  return lab.warmUntil !== null && lab.holders.length === 0 && (lab.state === "running" || lab.state === "resetting");
}

/** Whether a lab whose last holder left goes warm instead of being destroyed. */
export function mayGoWarm(ctx: EngineContext, lab: Lab): boolean {
  return lab.keepWarm && lab.state === "running" && ctx.settings.warmLabsPerHost > 0 && RESETTABLE_RUNTIMES.includes(lab.runtime);
}

/** Puts a lab into the pool: its agent resets it (after the jobs of `sessionId`, which released it); the host's oldest warm labs beyond the bound go. */
export function sendToWarmPool(ctx: EngineContext, change: Change, lab: Lab, sessionId: string | null): void {
  lab.warmUntil = ctx.clock.now() + ctx.settings.warmLabTtlMs;
  transitionLab(ctx, change, lab, "resetting", { holders: [] });
  const payload = { ...labInstance(lab), timeout_ms: ctx.settings.labDeployTimeoutMs, session_id: sessionId };
  enqueueWork(ctx, change, { hostId: lab.hostId, kind: "reset-lab", labId: lab.id, sessionId, payload });
  const pool = warmLabsOnHost(ctx, lab.hostId);
  for (const evicted of pool.slice(ctx.settings.warmLabsPerHost)) {
    destroyLabIn(ctx, change, evicted, `more than ${ctx.settings.warmLabsPerHost} warm labs on the host (--warm-labs-per-host)`);
  }
}

/** The warm lab on the host with this content (topology and extra files, by hash), if any; a requested runtime must match. */
export function findWarmLab(
  ctx: EngineContext,
  hostId: string,
  content: { topologyHash: string; extraFilesKey: string; runtime: Lab["runtime"] | null },
): Lab | undefined {
  return warmLabsOnHost(ctx, hostId).find((lab) =>
    lab.topologyHash === content.topologyHash && extraFilesKey(lab.files, lab.topologyFile) === content.extraFilesKey &&
    (content.runtime === null || content.runtime === lab.runtime)
  );
}

/** A session takes a warm lab: it holds it from now on and decides by its own request whether it goes warm again. */
export function adoptWarmLab(ctx: EngineContext, change: Change, lab: Lab, session: Session, keepWarm: boolean): void {
  const now = ctx.clock.now();
  change.write(ctx.state.labs.adopt(lab, session.id, keepWarm, now));
  change.emit("lab.adopted", { labId: lab.id, sessionId: session.id, hostId: lab.hostId }, {
    instance: lab.instanceName,
    state: lab.state,
  });
}

/** A deploy needs a lab slot on the host (--capacity labs at once): the oldest warm labs make room. */
export function makeRoomForDeploy(ctx: EngineContext, change: Change, host: Host): void {
  const live = ctx.state.labs.onHost(host.id).filter((lab) => lab.state !== "stopping");
  const pool = warmLabsOnHost(ctx, host.id);
  let excess = live.length + 1 - effectiveCapacity(host);
  while (excess-- > 0 && pool.length > 0) destroyLabIn(ctx, change, pool.pop()!, "its host needed the room for a new lab");
}

/** Housekeeping: warm labs past their time are destroyed. */
export function expireWarmLabs(ctx: EngineContext, change: Change): void {
  const now = ctx.clock.now();
  for (const lab of ctx.state.labs.live()) {
    if (isWarm(lab) && lab.warmUntil! <= now) destroyLabIn(ctx, change, lab, "warm longer than --warm-lab-ttl without a session taking it");
  }
}

/**
 * The scheduler's preference: for each requirement naming a topology (`warmLab`), the usable hosts
 * holding a warm lab of it come first, in their order otherwise. Requirements naming none cost nothing.
 */
export function preferWarmHosts(ctx: EngineContext, requirements: readonly Requirement[], usable: Host[][]): Host[][] {
  return usable.map((hosts, index) => {
    const topologyHash = requirements[index]?.warmLab;
    if (!topologyHash || hosts.length < 2) return hosts;
    const warm = new Set<string>();
    for (const lab of ctx.state.labs.live()) if (isWarm(lab) && lab.topologyHash === topologyHash) warm.add(lab.hostId);
    if (warm.size === 0) return hosts;
    return [...hosts.filter((host) => warm.has(host.id)), ...hosts.filter((host) => !warm.has(host.id))];
  });
}

/** Newest first (by time put in the pool). */
function warmLabsOnHost(ctx: EngineContext, hostId: string): Lab[] {
  return ctx.state.labs.onHost(hostId).filter(isWarm).sort((a, b) => b.warmUntil! - a.warmUntil!);
}
