import { z } from "@hono/zod-openapi";
import type { EngineContext } from "../../engine/context.ts";
import { CI_SYSTEMS, END_REASONS, hostState, type Requirement, type Session, SESSION_STATES } from "../../engine/model.ts";
import { RUNTIMES } from "../../protocol/runtimes.ts";
import { explainWait } from "../../engine/sessions/explain-wait.ts";
import { estimateStart } from "../../engine/time/estimate-start.ts";
import { isoTime, IsoTimeSchema } from "../iso-time.ts";
import { heldBy } from "./wait-status.ts";
import { LabelKeySchema } from "../../validation/label-key.ts";
import { safeText } from "../../validation/text.ts";

const LabelValueSchema = safeText("label values").max(253, "label values are at most 253 characters");
export const LabelsSchema = z.record(LabelKeySchema, LabelValueSchema).openapi({ example: { site: "lab1", nos: "frr" } });

const CiTextSchema = (field: string) => safeText(field).min(1).max(200);
/** Shown as links on the dashboard: http(s) only, never a `javascript:` URL. */
const CiUrlSchema = z
  .string()
  .url()
  .max(2000)
  .refine((url) => /^https?:\/\//i.test(url), "must be an http(s) URL");

export const ClientInfoSchema = z
  .object({
    name: CiTextSchema("client.name").optional(),
    ci_system: z.enum(CI_SYSTEMS).optional().openapi({ description: "The CI system the session was created from" }),
    ci_job_url: CiUrlSchema.optional(),
    ci_job_id: CiTextSchema("client.ci_job_id").optional(),
    ci_pipeline: CiTextSchema("client.ci_pipeline").optional().openapi({
      description: "The pipeline, workflow run or build",
      example: "team/network-tests#412",
    }),
    ci_pipeline_url: CiUrlSchema.optional(),
    ci_commit: CiTextSchema("client.ci_commit").optional().openapi({ example: "9fceb02d0ae598e95dc970b74767f19372d61af8" }),
    ci_branch: CiTextSchema("client.ci_branch").optional().openapi({ example: "main" }),
  })
  .strict()
  .openapi("ClientInfo", {
    description:
      "Who asked: a name, and the CI job the session belongs to (`labbroker session create` fills it from the CI system's variables)",
  });

/** Beyond any configured bound, but finite in milliseconds. */
const MAX_SANE_SECONDS = 10 * 365 * 86_400;

/** A walltime: finite, at least a second; the broker's --max-walltime bounds it further. */
export const WalltimeSecondsSchema = z.number().min(1, "must be at least 1 second").max(MAX_SANE_SECONDS, "must be at most 10 years");
/** A change to a walltime, either way. */
export const WalltimeOffsetSchema = z.number().min(-MAX_SANE_SECONDS).max(MAX_SANE_SECONDS).refine((value) => value !== 0, "must not be 0");

const RoleSchema = z.string().regex(
  /^[A-Za-z][A-Za-z0-9_.-]{0,31}$/,
  "roles start with a letter: up to 32 letters, digits, '_', '.' or '-'",
);

export const RequirementInputSchema = z
  .object({
    role: RoleSchema.optional().openapi({ description: "Role name such as m1; defaults to m1, m2, … by position", example: "m1" }),
    labels: LabelsSchema.optional(),
    runtime: z.enum(RUNTIMES).optional(),
    host: safeText("host").min(1).max(253).optional().openapi({ description: "Pin a host by name or id" }),
    warm_lab: z.string().regex(/^[0-9a-f]{64}$/, "must be the SHA-256 of a topology file, 64 lower-case hex digits").optional().openapi({
      description:
        "SHA-256 of the topology file this role will deploy: among the free hosts, one holding a warm lab of it is preferred (a preference, never a requirement)",
    }),
  })
  .strict()
  .openapi("RequirementInput");

export const CreateSessionBodySchema = z
  .object({
    requirements: z
      .array(RequirementInputSchema)
      .min(1, "a session needs at least one host")
      .max(16, "a session may hold at most 16 hosts")
      .default([{}])
      .superRefine((requirements, context) => {
        const roles = requirements.map((requirement, index) => requirement.role ?? `m${index + 1}`);
        const duplicate = roles.find((role, index) => roles.indexOf(role) !== index);
        if (duplicate) context.addIssue({ code: "custom", message: `role "${duplicate}" appears twice` });
      }),
    priority: z.number().int().min(-1000).max(1000).default(0).openapi({ description: "Higher goes first; -1000 to 1000" }),
    client: ClientInfoSchema.default({}),
    walltime_s: WalltimeSecondsSchema.optional().openapi({ description: "How long it may stay active; the broker's default when absent" }),
    start_at: z.iso.datetime({ offset: true }).optional().openapi({
      description: "A reservation: book the hosts for [start_at, start_at + walltime_s)",
    }),
  })
  .strict()
  .refine((body) => body.start_at === undefined || body.walltime_s !== undefined, {
    message: "a reservation (start_at) needs walltime_s",
    path: ["walltime_s"],
  })
  .openapi("CreateSession", { example: { requirements: [{ role: "m1" }], walltime_s: 3600, client: { name: "swagger-ui" } } });

/** Fills in default role names so the engine always sees complete requirements. */
export function toRequirements(inputs: z.infer<typeof RequirementInputSchema>[]): Requirement[] {
  return inputs.map((input, index) => ({
    role: input.role ?? `m${index + 1}`,
    labels: input.labels ?? {},
    runtime: input.runtime ?? null,
    host: input.host ?? null,
    ...(input.warm_lab ? { warmLab: input.warm_lab } : {}),
  }));
}

export const SessionIdParamSchema = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) });

export const SessionViewSchema = z
  .object({
    id: z.string(),
    state: z.enum(SESSION_STATES),
    end_reason: z.enum(END_REASONS).nullable(),
    priority: z.number().int(),
    position: z.number().int().nullable().openapi({ description: "Competing waiting sessions ahead; 0 when active; null when ended" }),
    queue_position: z
      .number()
      .int()
      .nullable()
      .openapi({
        description:
          "A waiting session's place in the whole queue, from 1, in the order the scheduler considers sessions (priority, then arrival); null unless waiting",
      }),
    wait_reason: z.string().nullable().openapi({ example: "2 sessions ahead" }),
    unsatisfiable: z.boolean(),
    degraded: z.boolean().openapi({ description: "True while a held host is offline" }),
    requirements: z.array(
      z.object({
        role: z.string(),
        labels: z.record(z.string(), z.string()),
        runtime: z.enum(RUNTIMES).nullable(),
        host: z.string().nullable(),
        warm_lab: z.string().optional(),
      }),
    ),
    hosts: z.record(z.string(), z.object({ id: z.string(), name: z.string(), state: z.string() })).openapi({
      description: "Assigned hosts by role",
    }),
    client: ClientInfoSchema,
    owner: z.string().nullable().openapi({
      description: "The name of the token that created it (only it and admins act in the session); null for sessions from before owners",
    }),
    created_at: IsoTimeSchema,
    activated_at: IsoTimeSchema.nullable(),
    ended_at: IsoTimeSchema.nullable(),
    last_seen_at: IsoTimeSchema,
    expires_at: IsoTimeSchema.nullable().openapi({ description: "When it is dropped unless a request or heartbeat comes first" }),
    walltime_s: z.number().nullable(),
    start_at: IsoTimeSchema.nullable().openapi({ description: "A reservation's start" }),
    ends_at: IsoTimeSchema.nullable().openapi({ description: "When the walltime (or the reservation) ends" }),
    estimated_start_at: IsoTimeSchema.nullable().openapi({ description: "For a waiting session: when it is expected to start" }),
    estimate_basis: z.string().nullable().openapi({ description: "What the estimate is based on" }),
    held_by: z
      .array(z.object({ host: z.string(), session_id: z.string(), client: ClientInfoSchema, since: IsoTimeSchema.nullable() }))
      .openapi({
        description:
          "For a waiting session: the active sessions holding the hosts it could use (up to 5, longest-held first); empty otherwise",
      }),
  })
  .openapi("Session");

export type SessionView = z.infer<typeof SessionViewSchema>;

export function toSessionView(ctx: EngineContext, session: Session): SessionView {
  const wait = session.state === "waiting" ? explainWait(ctx, session) : null;
  const estimate = session.state === "waiting" ? estimateStart(ctx, session) : null;
  const start = session.state === "scheduled" ? session.startAt : session.activatedAt;
  const hosts: SessionView["hosts"] = {};
  let degraded = false;
  for (const [role, hostId] of Object.entries(session.assignments ?? {})) {
    const host = ctx.state.hosts.get(hostId);
    const state = host ? hostState(host) : "removed";
    if (session.state === "active" && state === "offline") degraded = true;
    hosts[role] = { id: hostId, name: host?.name ?? hostId, state };
  }
  const timeout = session.state === "waiting" ? ctx.settings.waitingTimeoutMs : ctx.settings.activeTimeoutMs;
  return {
    id: session.id,
    state: session.state,
    end_reason: session.endReason,
    priority: session.priority,
    position: session.state === "ended" || session.state === "scheduled" ? null : (wait?.position ?? 0),
    queue_position: session.state === "waiting" ? ctx.state.sessions.queue.placeOf(session) : null,
    wait_reason: wait?.reason ?? (session.state === "scheduled" ? `reserved: starts at ${isoTime(session.startAt)}` : null),
    unsatisfiable: wait?.unsatisfiable ?? false,
    degraded,
    requirements: session.requirements.map(({ warmLab, ...requirement }) => ({
      ...requirement,
      ...(warmLab ? { warm_lab: warmLab } : {}),
    })),
    hosts,
    client: session.client,
    owner: session.ownerName,
    created_at: isoTime(session.createdAt)!,
    activated_at: isoTime(session.activatedAt),
    ended_at: isoTime(session.endedAt),
    last_seen_at: isoTime(session.lastSeenAt)!,
    expires_at: session.state === "ended" || session.state === "scheduled" ? null : isoTime(session.lastSeenAt + timeout),
    walltime_s: session.walltimeMs === null ? null : session.walltimeMs / 1000,
    start_at: isoTime(session.startAt),
    ends_at: start !== null && session.walltimeMs !== null ? isoTime(start + session.walltimeMs) : null,
    estimated_start_at: estimate ? isoTime(estimate.at) : null,
    estimate_basis: estimate?.basis ?? null,
    held_by: session.state === "waiting" ? heldBy(ctx, session) : [],
  };
}
