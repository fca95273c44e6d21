import type { EngineContext } from "../context.ts";
import { BadRequestError } from "../errors.ts";
import { matchGang } from "../gang-matcher.ts";
import { hostState, type Requirement } from "../model.ts";
import { hostMatches } from "../requirements.ts";
import { noHostReason, unavailableReason } from "../sessions/explain-wait.ts";
import { findSlot, type SlotResult, testSlot } from "./slots.ts";

export interface SlotQuery {
  groups: readonly Requirement[][];
  durationMs: number;
  /** test_slot: the start to test; find_slot: the window's start. */
  from: number;
  /** find_slot: the latest start; null for test_slot. */
  until: number | null;
  stepMs: number;
}

/** Why nothing fits: for one group (its index), or for all of them together (null). */
export interface NoSlotReason {
  group: number | null;
  reason: string;
}

/**
 * test_slot or find_slot, never answering a start before now, and saying why nothing fits (like
 * EnOSlib's NoSlotError): per group what no host can serve, else that the groups only fit apart.
 */
export function searchSlot(ctx: EngineContext, query: SlotQuery): { slot: SlotResult | null; reasons: NoSlotReason[] } {
  const now = ctx.clock.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  if (query.until !== null && query.until < query.from) {
    throw new BadRequestError(`until: ${iso(query.until)} is before start_at ${iso(query.from)}`);
  }
  if (query.until === null && query.from < now) {
    return {
      slot: null,
      reasons: [{ group: null, reason: `start_at ${iso(query.from)} is before now (${iso(now)}); no slot starts in the past` }],
    };
  }
  // The grid stays anchored at start_at; its points before now are skipped.
  const from = query.from < now ? query.from + Math.ceil((now - query.from) / query.stepMs) * query.stepMs : query.from;
  if (query.until !== null && from > query.until) {
    return { slot: null, reasons: [{ group: null, reason: `the window ends at ${iso(query.until)}, before now (${iso(now)})` }] };
  }
  const search = (groups: readonly Requirement[][]) =>
    query.until === null
      ? testSlot(ctx, groups, from, query.durationMs)
      : findSlot(ctx, groups, query.durationMs, from, query.until, query.stepMs);
  const slot = search(query.groups);
  if (slot) return { slot, reasons: [] };

  const reasons = query.groups.flatMap((requirements, group) => {
    const reason = groupCannotBeServed(ctx, requirements) ?? (search([requirements]) ? null : busyReason(query, from));
    return reason ? [{ group, reason }] : [];
  });
  return {
    slot: null,
    reasons: reasons.length > 0 ? reasons : [{ group: null, reason: "each group fits on its own, but not all at once on distinct hosts" }],
  };
}

/** Why no host could ever serve the group as it stands (unknown labels, hosts out of service), or null. */
function groupCannotBeServed(ctx: EngineContext, requirements: readonly Requirement[]): string | null {
  const hosts = [...ctx.state.hosts.all()];
  const matching = requirements.map((requirement) => hosts.filter((host) => hostMatches(host, requirement)));
  const missing = matching.findIndex((found) => found.length === 0);
  if (missing >= 0) return noHostReason(requirements[missing]!, ctx);
  const inService = matching.map((found) => found.filter((host) => hostState(host) === "online"));
  const unavailable = inService.findIndex((found) => found.length === 0);
  if (unavailable >= 0) return `role ${requirements[unavailable]!.role}: ${unavailableReason(matching[unavailable]!)}`;
  if (!matchGang(inService)) {
    return `needs ${requirements.length} distinct hosts at once; the matching hosts in service cannot cover every role`;
  }
  return null;
}

function busyReason(query: SlotQuery, from: number): string {
  const length = `${query.durationMs / 1000} s`;
  if (query.until === null) return `its hosts are held or booked during [${new Date(from).toISOString()}, +${length})`;
  return `its hosts have no free ${length} starting between ${new Date(from).toISOString()} and ${new Date(query.until).toISOString()}`;
}
