import { z } from "zod";
import { deviceSettingsSchema, softDeviceSpecSchema } from "./soft-device-spec.ts";

const place = { netns: z.string().nullable() };
const onDevice = { ...place, device: z.string() };

/**
 * How to revert one change, as small serialisable JSON: each record names the action that puts
 * back what was there before. The agent keeps them (in order) and hands them to `restoreChanges`.
 */
export const undoRecordSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("set-up"), ...onDevice, up: z.boolean() }),
  z.object({ action: z.literal("set-mtu"), ...onDevice, mtu: z.number().int() }),
  z.object({ action: z.literal("add-address"), ...onDevice, address: z.string() }),
  z.object({ action: z.literal("remove-address"), ...onDevice, address: z.string() }),
  z.object({ action: z.literal("set-master"), ...onDevice, master: z.string().nullable() }),
  z.object({ action: z.literal("remove-device"), ...onDevice }),
  z.object({
    action: z.literal("recreate-device"),
    ...place,
    spec: softDeviceSpecSchema,
    settings: deviceSettingsSchema,
    /** The other end of a veth, removed with it. */
    peerSettings: deviceSettingsSchema.nullable(),
  }),
  z.object({ action: z.literal("write-sysctl"), ...place, key: z.string(), value: z.string() }),
]);

export type UndoRecord = z.infer<typeof undoRecordSchema>;
