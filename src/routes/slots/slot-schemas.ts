import { z } from "@hono/zod-openapi";
import type { EngineContext } from "../../engine/context.ts";
import { type NoSlotReason, searchSlot } from "../../engine/time/slot-search.ts";
import type { SlotResult } from "../../engine/time/slots.ts";
import { isoTime, IsoTimeSchema } from "../iso-time.ts";
import { RequirementInputSchema, toRequirements, WalltimeSecondsSchema } from "../sessions/session-schemas.ts";

/** The question of GET and POST /v1/slots: POST's body, GET's `q` as JSON. */
export const SlotQuerySchema = z
  .object({
    groups: z.array(z.array(RequirementInputSchema).min(1).max(16)).min(1).max(16).openapi({
      description: "Requirement groups that must fit at once, each role on its own host",
    }),
    walltime_s: WalltimeSecondsSchema,
    start_at: z.iso.datetime({ offset: true }).optional().openapi({
      description: "test_slot: the start to test; find_slot: the window's start (default now)",
    }),
    until: z.iso.datetime({ offset: true }).optional().openapi({
      description: "find_slot: the latest start to consider; without it only start_at is tested",
    }),
    step_s: z.number().int().min(1).max(86_400).default(60).openapi({ description: "find_slot: starts are start_at + k·step_s" }),
  })
  .strict()
  .openapi("SlotQuery");

export type SlotQuery = z.infer<typeof SlotQuerySchema>;

export const SlotAnswerSchema = z
  .object({
    available: z.boolean(),
    start_at: IsoTimeSchema.nullable(),
    end_at: IsoTimeSchema.nullable(),
    groups: z.array(z.record(z.string(), z.object({ id: z.string(), name: z.string() }))).openapi({
      description: "Per group, role → the host it would use",
    }),
    reasons: z
      .array(z.object({ group: z.number().int().nullable(), reason: z.string() }))
      .openapi({ description: "When nothing fits: why, per group (its index), or for all groups together (group null)" }),
  })
  .openapi("SlotAnswer");

export const SLOT_SEARCH_DESCRIPTION =
  "test_slot when `until` is absent: can all groups start at `start_at` for `walltime_s`? find_slot with `until`: the earliest such start in [start_at, until] on the grid start_at + k·step_s " +
  "(only grid points at or right after the end of a hold or booking are tested, so the answer is deterministic and cheap). Hosts must be online and not draining or in maintenance. " +
  "No start before now is ever offered (grid points in the past are skipped); `until` before `start_at` is 400. When nothing fits, `reasons` says why, per group.";

/** Runs the slot search for one query and answers in the API's shape. */
export function answerSlotQuery(engine: EngineContext, query: SlotQuery): z.infer<typeof SlotAnswerSchema> {
  const { slot, reasons } = searchSlot(engine, {
    groups: query.groups.map(toRequirements),
    durationMs: query.walltime_s * 1000,
    from: query.start_at ? Date.parse(query.start_at) : engine.clock.now(),
    until: query.until ? Date.parse(query.until) : null,
    stepMs: query.step_s * 1000,
  });
  return toAnswer(slot, reasons);
}

function toAnswer(slot: SlotResult | null, reasons: NoSlotReason[]): z.infer<typeof SlotAnswerSchema> {
  if (!slot) return { available: false, start_at: null, end_at: null, groups: [], reasons };
  return {
    available: true,
    start_at: isoTime(slot.start),
    end_at: isoTime(slot.end),
    groups: slot.hosts.map((roles) =>
      Object.fromEntries(Object.entries(roles).map(([role, host]) => [role, { id: host.id, name: host.name }]))
    ),
    reasons: [],
  };
}
