import { z } from "@hono/zod-openapi";
import { WORK_STATES, type WorkItem } from "../../engine/work/work-item.ts";
import { WORK_KINDS } from "../../protocol/work-kinds.ts";
import { isoTime, IsoTimeSchema } from "../iso-time.ts";
import { JsonObjectSchema } from "../json-value.ts";

export const WorkViewSchema = z
  .object({
    id: z.string(),
    host_id: z.string(),
    kind: z.enum(WORK_KINDS),
    state: z.enum(WORK_STATES),
    attempts: z.number().int(),
    session_id: z.string().nullable(),
    lab_id: z.string().nullable(),
    job_id: z.string().nullable(),
    result: JsonObjectSchema.nullable(),
    error: z.string().nullable(),
    created_at: IsoTimeSchema,
    dispatched_at: IsoTimeSchema.nullable(),
    finished_at: IsoTimeSchema.nullable(),
  })
  .openapi("Work");

export function toWorkView(item: WorkItem): z.infer<typeof WorkViewSchema> {
  return {
    id: item.id,
    host_id: item.hostId,
    kind: item.kind,
    state: item.state,
    attempts: item.attempts,
    session_id: item.sessionId,
    lab_id: item.labId,
    job_id: item.jobId,
    result: item.result,
    error: item.error,
    created_at: isoTime(item.createdAt)!,
    dispatched_at: isoTime(item.dispatchedAt),
    finished_at: isoTime(item.finishedAt),
  };
}
