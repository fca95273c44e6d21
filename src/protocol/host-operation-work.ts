import { z } from "zod";
import { WorkTargetSchema } from "./lab-instance.ts";
import { softDeviceSpecSchema } from "./soft-device-spec.ts";
import { undoRecordSchema } from "./undo-records.ts";

/**
 * device-op: one device operation on the host or a lab node. The schemas fix the shape; device
 * names, addresses and sysctl keys are checked on the host, which answers with a refusal.
 */
export const DeviceOperationSchema = z.discriminatedUnion("operation", [
  z.object({ operation: z.literal("list") }),
  z.object({
    operation: z.literal("change"),
    device: z.string(),
    up: z.boolean().optional(),
    mtu: z.number().int().optional(),
    master: z.string().nullable().optional(),
    add_addresses: z.array(z.string()).default([]),
    remove_addresses: z.array(z.string()).default([]),
  }),
  z.object({ operation: z.literal("create"), spec: softDeviceSpecSchema }),
  z.object({ operation: z.literal("remove"), device: z.string() }),
  z.object({ operation: z.literal("sysctl"), key: z.string(), value: z.string().optional() }),
  /** Undo a session's changes (newest first); the broker sends back the records the changes returned. */
  z.object({ operation: z.literal("restore"), records: z.array(undoRecordSchema) }),
]);

export type DeviceOperation = z.input<typeof DeviceOperationSchema>;

export const DeviceOperationPayloadSchema = z.intersection(DeviceOperationSchema, WorkTargetSchema);

/** The host said no (unknown device, bad address…): the broker answers the matching 4xx. */
export const REFUSAL_REASONS = ["invalid", "not-found", "conflict", "too-large", "unsupported"] as const;
export const RefusalSchema = z.object({ refused: z.object({ reason: z.enum(REFUSAL_REASONS), message: z.string() }) });
export type Refusal = z.infer<typeof RefusalSchema>;

/** What a change returns: its value, and the undo records of what it changed (kept for the session's end). */
export const DeviceOperationResultSchema = z.union([
  RefusalSchema,
  z.object({ value: z.unknown(), undo: z.array(undoRecordSchema).optional() }),
]);

/** file-transfer: write or read one file on the host (lab nodes share its file system), bounded. */
export const FileTransferSchema = z.discriminatedUnion("direction", [
  z.object({ direction: z.literal("upload"), path: z.string(), content_base64: z.string(), max_bytes: z.number().int().positive() }),
  z.object({ direction: z.literal("download"), path: z.string(), max_bytes: z.number().int().positive() }),
]);

export type FileTransfer = z.input<typeof FileTransferSchema>;

export const FileTransferPayloadSchema = z.intersection(FileTransferSchema, WorkTargetSchema);

/** A written file's path and size; a read one's with its content. */
export const FileTransferResultSchema = z.union([
  RefusalSchema,
  z.object({ value: z.object({ path: z.string(), size: z.number().int(), content_base64: z.string().optional() }) }),
]);
