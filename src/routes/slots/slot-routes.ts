import { createRoute, z } from "@hono/zod-openapi";
import { BadRequestError } from "../../engine/errors.ts";
import { type NoSlotReason, searchSlot } from "../../engine/time/slot-search.ts";
import type { SlotResult } from "../../engine/time/slots.ts";
import type { Api } from "../api.ts";
import { isoTime, IsoTimeSchema } from "../iso-time.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { RequirementInputSchema, toRequirements, WalltimeSecondsSchema } from "../sessions/session-schemas.ts";

const SlotQuerySchema = z
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

const SlotAnswerSchema = z
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

const description =
  "test_slot when `until` is absent: can all groups start at `start_at` for `walltime_s`? find_slot with `until`: the earliest such start in [start_at, until] on the grid start_at + k·step_s " +
  "(only grid points at or right after the end of a hold or booking are tested, so the answer is deterministic and cheap). Hosts must be online and not draining or in maintenance. " +
  "No start before now is ever offered (grid points in the past are skipped); `until` before `start_at` is 400. When nothing fits, `reasons` says why, per group.";

const getSlots = createRoute({
  method: "get",
  path: "/v1/slots",
  tags: ["time"],
  summary: "Test a slot or find the earliest common slot (query `q` = the JSON of the POST body)",
  description,
  request: { query: z.object({ q: z.string().min(2).max(64 * 1024) }) },
  responses: { 200: { description: "The slot", content: { "application/json": { schema: SlotAnswerSchema } } }, ...problemResponses(400) },
});

const postSlots = createRoute({
  method: "post",
  path: "/v1/slots",
  tags: ["time"],
  summary: "Test a slot or find the earliest common slot",
  description,
  request: { body: { content: { "application/json": { schema: SlotQuerySchema } }, required: true } },
  responses: { 200: { description: "The slot", content: { "application/json": { schema: SlotAnswerSchema } } }, ...problemResponses(400) },
});

export function registerSlotRoutes(api: Api, { engine }: RouteDeps): void {
  const answer = (query: z.infer<typeof SlotQuerySchema>) => {
    const { slot, reasons } = searchSlot(engine, {
      groups: query.groups.map(toRequirements),
      durationMs: query.walltime_s * 1000,
      from: query.start_at ? Date.parse(query.start_at) : engine.clock.now(),
      until: query.until ? Date.parse(query.until) : null,
      stepMs: query.step_s * 1000,
    });
    return toAnswer(slot, reasons);
  };
  api.openapi(getSlots, (c) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(c.req.valid("query").q);
    } catch {
      throw new BadRequestError("q must be JSON");
    }
    const query = SlotQuerySchema.safeParse(parsed);
    if (!query.success) {
      throw new BadRequestError(`q: ${query.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`);
    }
    return c.json(answer(query.data), 200);
  });
  api.openapi(postSlots, (c) => c.json(answer(c.req.valid("json")), 200));
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
