import type { EngineContext } from "../context.ts";
import { byScarcityLast, matchGang } from "../gang-matcher.ts";
import { effectiveCapacity, type Host, hostState, type Requirement } from "../model.ts";
import { hostMatches, poolKey } from "../requirements.ts";
import { type CalendarEntry, freeIn, hostCalendar } from "./host-calendar.ts";

export interface SlotResult {
  start: number;
  end: number;
  /** Per requirement group, role → host. */
  hosts: Record<string, Host>[];
}

/**
 * test_slot: can every requirement group start at `start` and run for `durationMs`, each role on
 * its own host (distinct across groups: co-allocation), on hosts that are in service and free for
 * the whole interval? Returns the hosts it would use, or null.
 */
export function testSlot(
  ctx: EngineContext,
  groups: readonly Requirement[][],
  start: number,
  durationMs: number,
  ignoreSession?: string,
): SlotResult | null {
  return testSlotWith(slotSearchView(ctx, groups), groups, start, durationMs, ignoreSession);
}

/** What a slot search reads, computed once: in-service hosts matching each requirement, and their calendars. */
interface SlotSearchView {
  candidates: Host[][][];
  calendars: Map<string, CalendarEntry[]>;
}

function slotSearchView(ctx: EngineContext, groups: readonly Requirement[][]): SlotSearchView {
  const inService = [...ctx.state.hosts.all()].filter((host) => hostState(host) === "online").sort(byScarcityLast);
  // Alike requirements (same labels, runtime, pin) share one candidate list, so each is filtered once per start.
  const shared = new Map<string, Host[]>();
  const candidatesOf = (requirement: Requirement) => {
    const key = poolKey([requirement], null);
    let hosts = shared.get(key);
    if (!hosts) shared.set(key, hosts = inService.filter((host) => hostMatches(host, requirement)));
    return hosts;
  };
  return {
    candidates: groups.map((requirements) => requirements.map(candidatesOf)),
    calendars: new Map(inService.map((host) => [host.id, hostCalendar(ctx, host)])),
  };
}

function testSlotWith(
  view: SlotSearchView,
  groups: readonly Requirement[][],
  start: number,
  durationMs: number,
  ignoreSession?: string,
): SlotResult | null {
  const end = start + durationMs;
  const taken = new Set<string>();
  const chosen: Record<string, Host>[] = [];
  // Many requirements share hosts (a gang of alike roles): decide each host's freedom once per start.
  const free = new Map<string, boolean>();
  const isFree = (host: Host) => {
    let known = free.get(host.id);
    if (known === undefined) {
      free.set(host.id, known = freeIn(view.calendars.get(host.id)!, effectiveCapacity(host), start, end, ignoreSession));
    }
    return known;
  };
  for (const [groupIndex, requirements] of groups.entries()) {
    const filtered = new Map<Host[], Host[]>();
    const usable = view.candidates[groupIndex]!.map((hosts) => {
      let kept = filtered.get(hosts);
      if (!kept) filtered.set(hosts, kept = hosts.filter((host) => !taken.has(host.id) && isFree(host)));
      return kept;
    });
    const match = matchGang(usable);
    if (!match) return null;
    for (const host of match) taken.add(host.id);
    chosen.push(Object.fromEntries(requirements.map((requirement, index) => [requirement.role, match[index]!])));
  }
  return { start, end, hosts: chosen };
}

/**
 * find_slot: the earliest start in [from, until] on the grid `from + k·stepMs` where all groups fit
 * for `durationMs`. Only grid points at or just after a moment something ends can newly fit, so
 * those are the only candidates tested (deterministic, and independent of the window's length).
 */
export function findSlot(
  ctx: EngineContext,
  groups: readonly Requirement[][],
  durationMs: number,
  from: number,
  until: number,
  stepMs: number,
  ignoreSession?: string,
): SlotResult | null {
  const view = slotSearchView(ctx, groups);
  const candidates = new Set<number>([from]);
  for (const calendar of view.calendars.values()) {
    for (const entry of calendar) {
      if (entry.to <= from || entry.to > until || !Number.isFinite(entry.to)) continue;
      candidates.add(from + Math.ceil((entry.to - from) / stepMs) * stepMs);
    }
  }
  for (const start of [...candidates].sort((a, b) => a - b)) {
    if (start > until) break;
    const slot = testSlotWith(view, groups, start, durationMs, ignoreSession);
    if (slot) return slot;
  }
  return null;
}
