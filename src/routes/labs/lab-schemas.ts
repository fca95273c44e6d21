import { z } from "@hono/zod-openapi";
import { type Lab, LAB_STATES } from "../../engine/labs/lab.ts";
import { RUNTIMES } from "../../protocol/runtimes.ts";
import { base64Schema, safeText } from "../../validation/text.ts";
import { isoTime, IsoTimeSchema } from "../iso-time.ts";
import { JsonObjectSchema } from "../json-value.ts";

export const LabIdParamSchema = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) });

/** The JSON body of POST /v1/labs (the multipart form carries the same fields). */
export const CreateLabJsonSchema = z
  .object({
    session_id: z.string().min(1).max(64),
    role: z.string().min(1).max(32).optional().openapi({ description: "Whose host runs the lab; the session's first role by default" }),
    topology: safeText("topology").min(1).openapi({ description: "The topology YAML text" }),
    topology_file: safeText("topology_file").min(1).max(255).default("topology.yml").openapi({
      description: "File name for the topology (.yml/.yaml)",
    }),
    extra_files: z.array(z.object({ path: safeText("path").min(1).max(1024), content_base64: base64Schema }).strict()).max(500).default([]),
    runtime: z.enum(RUNTIMES).optional(),
    reuse: z.boolean().default(true),
    keep_warm: z.boolean().default(false).openapi({
      description:
        "When no session holds the lab any more, reset it to its deployed baseline and keep it deployed (warm) for the next session asking for the same content on its host, instead of destroying it (native runtime only)",
    }),
    start_at: z.iso.datetime({ offset: true }).optional().openapi({
      description: "Schedule the deploy for this time (the lab stays `scheduled` until then)",
    }),
    end_at: z.iso.datetime({ offset: true }).optional().openapi({ description: "Destroy the lab at this time" }),
  })
  .strict()
  .openapi("CreateLab");

export const DeviceSchema = z.object({ name: z.string(), raw: JsonObjectSchema }).openapi("Device");

export const LabViewSchema = z
  .object({
    id: z.string(),
    session_id: z.string(),
    host_id: z.string(),
    runtime: z.enum(RUNTIMES),
    state: z.enum(LAB_STATES),
    instance_name: z.string(),
    topology_name: z.string(),
    topology_file: z.string(),
    topology_hash: z.string(),
    files: z.array(z.object({ path: z.string(), size: z.number().int() })),
    notes: z.array(z.string()).openapi({ description: "Topology fields the runtime accepts but does not honour" }),
    multilab_id: z.number().int().nullable(),
    holders: z.array(z.string()).openapi({ description: "The sessions holding the lab, each once" }),
    ref_count: z.number().int().openapi({ description: "Holds in all: one per /v1 session, one per Remote Lab acquire" }),
    nodes: z.array(JsonObjectSchema),
    devices: z.array(DeviceSchema),
    error: z.string().nullable(),
    start_at: IsoTimeSchema.nullable(),
    end_at: IsoTimeSchema.nullable(),
    keep_warm: z.boolean().openapi({ description: "Goes warm instead of being destroyed when no session holds it" }),
    warm_until: IsoTimeSchema.nullable().openapi({
      description: "While warm (held by no session): when it is destroyed unless a session takes it",
    }),
    created_at: IsoTimeSchema,
    updated_at: IsoTimeSchema,
  })
  .openapi("Lab");

/** Remote Lab's device list: each node's name and the data its runtime reports. */
export function labDevices(lab: Lab): z.infer<typeof DeviceSchema>[] {
  return lab.nodes.map((node) => ({ name: String(node.name), raw: (node.raw as Record<string, unknown>) ?? {} }));
}

export function toLabView(lab: Lab): z.infer<typeof LabViewSchema> {
  return {
    id: lab.id,
    session_id: lab.sessionId,
    host_id: lab.hostId,
    runtime: lab.runtime,
    state: lab.state,
    instance_name: lab.instanceName,
    topology_name: lab.topologyName,
    topology_file: lab.topologyFile,
    topology_hash: lab.topologyHash,
    files: lab.files.map(({ path, size }) => ({ path, size })),
    notes: lab.notes,
    multilab_id: lab.multilabId,
    holders: [...new Set(lab.holders)],
    ref_count: lab.holders.length,
    nodes: lab.nodes,
    devices: labDevices(lab),
    error: lab.error,
    start_at: isoTime(lab.startAt),
    end_at: isoTime(lab.endAt),
    keep_warm: lab.keepWarm,
    warm_until: isoTime(lab.warmUntil),
    created_at: isoTime(lab.createdAt)!,
    updated_at: isoTime(lab.updatedAt)!,
  };
}

/** The session a lab action is done for. */
export const SessionBodySchema = z.object({ session_id: z.string().min(1).max(64) }).strict();
