import type { z } from "zod";
import {
  DeviceOperationPayloadSchema,
  DeviceOperationResultSchema,
  FileTransferPayloadSchema,
  FileTransferResultSchema,
} from "./host-operation-work.ts";
import { HealthCheckPayloadSchema, HealthCheckResultSchema, InventoryResultSchema, RefreshInventoryPayloadSchema } from "./host-work.ts";
import { KillJobPayloadSchema, KillJobResultSchema, RunJobPayloadSchema, RunJobResultSchema } from "./job-work.ts";
import {
  DeployLabPayloadSchema,
  DeployLabResultSchema,
  DestroyLabPayloadSchema,
  DestroyLabResultSchema,
  ResetLabPayloadSchema,
  ResetLabResultSchema,
} from "./lab-work.ts";
import { describeIssues } from "./schema-issues.ts";
import type { WorkKind } from "./work-kinds.ts";

/** Each work kind's payload (broker → agent) and result (agent → broker); a kind missing here does not compile. */
export const WORK_CONTRACTS = {
  "refresh-inventory": { payload: RefreshInventoryPayloadSchema, result: InventoryResultSchema },
  "deploy-lab": { payload: DeployLabPayloadSchema, result: DeployLabResultSchema },
  "destroy-lab": { payload: DestroyLabPayloadSchema, result: DestroyLabResultSchema },
  "reset-lab": { payload: ResetLabPayloadSchema, result: ResetLabResultSchema },
  "run-job": { payload: RunJobPayloadSchema, result: RunJobResultSchema },
  "kill-job": { payload: KillJobPayloadSchema, result: KillJobResultSchema },
  "device-op": { payload: DeviceOperationPayloadSchema, result: DeviceOperationResultSchema },
  "file-transfer": { payload: FileTransferPayloadSchema, result: FileTransferResultSchema },
  "health-check": { payload: HealthCheckPayloadSchema, result: HealthCheckResultSchema },
} as const satisfies Record<WorkKind, { payload: z.ZodType<Record<string, unknown>>; result: z.ZodType<Record<string, unknown>> }>;

type Contract<K extends WorkKind> = (typeof WORK_CONTRACTS)[K];
/** A payload as the broker builds it (defaults may be left out). */
export type WorkPayload<K extends WorkKind> = z.input<Contract<K>["payload"]>;
/** A payload as the agent reads it (defaults applied). */
export type ParsedWorkPayload<K extends WorkKind> = z.output<Contract<K>["payload"]>;
/** A result as the agent reports it and the broker reads it. */
export type WorkResult<K extends WorkKind> = z.output<Contract<K>["result"]>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function parseWith<T>(schema: z.ZodType<T>, input: unknown, what: string): Parsed<T> {
  const parsed = schema.safeParse(input);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, error: `Invalid ${what}: ${describeIssues(parsed.error, what, input)}` };
}

/** Reads a work payload; the error names the kind and each bad field. */
export function parseWorkPayload<K extends WorkKind>(kind: K, payload: unknown): Parsed<ParsedWorkPayload<K>> {
  return parseWith(WORK_CONTRACTS[kind].payload as unknown as z.ZodType<ParsedWorkPayload<K>>, payload, `${kind} payload`);
}

/** Reads an agent's result; the error names the kind and each bad field. */
export function parseWorkResult<K extends WorkKind>(kind: K, result: unknown): Parsed<WorkResult<K>> {
  return parseWith(WORK_CONTRACTS[kind].result as unknown as z.ZodType<WorkResult<K>>, result, `${kind} result`);
}
