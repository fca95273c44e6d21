import { z } from "@hono/zod-openapi";
import { HostNameSchema } from "./host-name.ts";
import { HostRuntimeSchema } from "./host-work.ts";
import { MAX_POLL_HOLD_S } from "./poll-timing.ts";
import { PROTOCOL_VERSION } from "./protocol-version.ts";
import { RUNTIMES } from "./runtimes.ts";
import { WORK_KINDS } from "./work-kinds.ts";

/** Schemas of the broker ↔ agent routes, shared by the routes (src/routes/agents) and by src/agents. */

export const RegisterAgentBodySchema = z
  .object({
    name: HostNameSchema,
    version: z.string().regex(/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/, "expected a semantic version such as 1.2.3"),
    protocol_version: z.number().int().min(1).optional().openapi({
      description: `The broker ↔ agent protocol version the agent speaks (${PROTOCOL_VERSION} here); absent means 1. Another one is 409`,
    }),
    labels: z.record(z.string(), z.string()).default({}).openapi({
      description: "Labels the agent gives its host; the broker checks them as session labels",
    }),
    runtimes: z.array(HostRuntimeSchema.extend({ version: z.string().max(100).nullable() }).strict()).max(RUNTIMES.length),
    capacity: z.number().int().min(1).max(200).default(1),
    inventory: z.record(z.string(), z.unknown()).default({}).openapi({
      description: "Kernel, architecture, CPU, memory, interfaces with their addresses",
    }),
    install_id: z
      .string()
      .regex(/^[A-Za-z0-9-]{8,64}$/, "expected 8-64 letters, digits or '-'")
      .optional()
      .openapi({
        description: "A random id the agent keeps in its work dir; another installation cannot take the name of a host that is online",
      }),
    current_agent_token: z
      .string()
      .max(200)
      .optional()
      .openapi({
        description:
          "The host's current agent token: registering again under a registered name needs it (or an admin's PATCH /v1/hosts/{id} {\"reenroll\": true})",
      }),
  })
  .strict();

export type RegisterAgentBody = z.input<typeof RegisterAgentBodySchema>;

export const RegisterAgentResponseSchema = z
  .object({
    agent_id: z.string(),
    agent_token: z.string().openapi({ description: "Bearer token for this agent's poll and events; shown only here" }),
    reattached: z.boolean(),
    poll_timeout_s: z.number().openapi({ description: "How long the broker holds a poll open" }),
  })
  .openapi("AgentRegistration");

export type RegisterAgentResponse = z.infer<typeof RegisterAgentResponseSchema>;

export const BearerHeaderSchema = z.object({
  authorization: z.string().optional().openapi({ description: "Bearer token", example: "Bearer lba_…" }),
});

export const AgentIdParamSchema = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) });

export const WorkDeliverySchema = z
  .object({
    id: z.string(),
    kind: z.enum(WORK_KINDS),
    protocol_version: z.number().int().openapi({ description: "The protocol version the work is written in" }),
    payload: z.record(z.string(), z.unknown()).openapi({ description: "As src/protocol/work-contract.ts says for its kind" }),
    session_id: z.string().nullable(),
    lab_id: z.string().nullable(),
    job_id: z.string().nullable(),
    attempt: z.number().int().openapi({ description: "1 on first delivery; more when redelivered" }),
  })
  .openapi("WorkDelivery");

export type WorkDelivery = z.infer<typeof WorkDeliverySchema>;

export const PollBodySchema = z
  .object({
    running: z.array(z.string().min(1).max(64)).max(10_000).default([]).openapi({
      description: "Work ids the agent is executing or still reporting; not redelivered",
    }),
    wait_s: z.number().min(0).max(MAX_POLL_HOLD_S).default(MAX_POLL_HOLD_S).openapi({
      description: "Hold the poll this long when there is no work; the host counts as alive while it is held",
    }),
    labs: z
      .array(
        z
          .object({
            instance_name: z.string().min(1).max(253),
            lab_id: z.string().max(64).nullable(),
            runtime: z.enum(RUNTIMES),
            problem: z.string().max(2000).nullable().optional().openapi({
              description: "Set when the instance is recorded but broken on the host (a namespace or link is gone)",
            }),
          })
          .strict(),
      )
      .max(1000)
      .optional()
      .openapi({
        description: "Lab instances the host's runtimes run now (sent at agent start and every few minutes), for reconciliation",
      }),
  })
  .strict()
  .openapi("AgentPoll");

export type PollBody = z.input<typeof PollBodySchema>;

export const PollResponseSchema = z
  .object({
    work: z.array(WorkDeliverySchema),
    agent_token: z
      .string()
      .optional()
      .openapi({
        description:
          "A new agent token (rotated when a session on this host ended): use it from now on; the old one stops working once it is used",
      }),
  })
  .openapi("AgentPollResponse");

const OutputEventSchema = z
  .object({
    work_id: z.string().min(1).max(64),
    seq: z.number().int().min(1),
    type: z.literal("output"),
    stream: z.enum(["stdout", "stderr", "info"]),
    node: z.string().max(253).nullable().optional(),
    text: z.string().max(64 * 1024),
  })
  .strict();

const ResultEventSchema = z
  .object({
    work_id: z.string().min(1).max(64),
    seq: z.number().int().min(1),
    type: z.literal("result"),
    ok: z.boolean(),
    result: z.record(z.string(), z.unknown()).nullable().optional(),
    error: z.string().max(64 * 1024).nullable().optional(),
  })
  .strict();

export const AgentEventsBodySchema = z
  .object({ events: z.array(z.discriminatedUnion("type", [OutputEventSchema, ResultEventSchema])).min(1).max(1000) })
  .strict()
  .openapi("AgentEvents");

export type AgentEventsBody = z.infer<typeof AgentEventsBodySchema>;
export type AgentEvent = AgentEventsBody["events"][number];

/** The topology and extra files of a lab, for its agent to deploy. */
export const LabBundleSchema = z
  .object({ files: z.array(z.object({ path: z.string(), content_base64: z.string() })) })
  .openapi("LabBundle");
