import { z } from "zod";

/**
 * A soft device to create. The schema only fixes the shape; names, VLAN ids and bond modes are
 * checked by `createDevice`, which says what is wrong with them.
 */
export const softDeviceSpecSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("bridge"), name: z.string() }).strict(),
  z.object({ kind: z.literal("dummy"), name: z.string() }).strict(),
  z
    .object({
      kind: z.literal("veth"),
      name: z.string(),
      peer: z.string(),
      /** A named namespace for the peer; absent keeps it beside the device. */
      peerNetns: z.string().optional(),
    })
    .strict(),
  z.object({ kind: z.literal("vlan"), name: z.string(), parent: z.string(), vlanId: z.number() }).strict(),
  z.object({ kind: z.literal("bond"), name: z.string(), mode: z.string() }).strict(),
]);

export type SoftDeviceSpec = z.infer<typeof softDeviceSpecSchema>;
export type SoftDeviceKind = SoftDeviceSpec["kind"];
export const SOFT_DEVICE_KINDS: readonly SoftDeviceKind[] = ["bridge", "dummy", "veth", "vlan", "bond"];

/** What `removeDevice` remembers of a device so that its undo can build it again as it was. */
export const deviceSettingsSchema = z.object({
  mac: z.string().nullable(),
  mtu: z.number().int(),
  up: z.boolean(),
  master: z.string().nullable(),
  /** CIDR strings such as 10.0.0.1/24. */
  addresses: z.array(z.string()),
  /** Devices that were ports of this one (a bridge's or bond's members). */
  ports: z.array(z.string()),
});

export type DeviceSettings = z.infer<typeof deviceSettingsSchema>;
