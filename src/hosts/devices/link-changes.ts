import { HostRequestError } from "../host-errors.ts";
import { describePlace } from "../network-namespace.ts";
import { type DeviceTarget, getDevice, placeOf } from "./list-devices.ts";
import { changeWithIp } from "./run-ip.ts";
import type { UndoRecord } from "../../protocol/undo-records.ts";

/** Device kinds the kernel lets other devices join as ports. */
const MASTER_KINDS = ["bridge", "bond", "team", "vrf", "openvswitch"];

/** Sets a device administratively up or down. */
export async function setDeviceUp(input: DeviceTarget & { up: boolean }): Promise<UndoRecord> {
  const netns = placeOf(input);
  const device = await getDevice({ netns, device: input.device });
  const state = input.up ? "up" : "down";
  await changeWithIp(netns, ["link", "set", "dev", device.name, state], `set device "${device.name}" ${state}`);
  return { action: "set-up", netns, device: device.name, up: device.up };
}

/** Sets the MTU, within the range the driver reports (where it reports one). */
export async function setDeviceMtu(input: DeviceTarget & { mtu: number }): Promise<UndoRecord> {
  const netns = placeOf(input);
  const device = await getDevice({ netns, device: input.device });
  const { mtu } = input;
  if (!Number.isInteger(mtu) || mtu < 1) {
    throw new HostRequestError("invalid", `Invalid MTU ${mtu} for device "${device.name}": it must be a positive whole number`);
  }
  if ((device.minMtu !== null && mtu < device.minMtu) || (device.maxMtu !== null && mtu > device.maxMtu)) {
    throw new HostRequestError(
      "invalid",
      `MTU ${mtu} is out of range for device "${device.name}" ${describePlace(netns)}: it accepts ${device.minMtu}-${device.maxMtu}`,
    );
  }
  await changeWithIp(netns, ["link", "set", "dev", device.name, "mtu", String(mtu)], `set the MTU of device "${device.name}" to ${mtu}`);
  return { action: "set-mtu", netns, device: device.name, mtu: device.mtu };
}

/** Makes a device a port of a bridge or bond (`master`), or of none (null). */
export async function setDeviceMaster(input: DeviceTarget & { master: string | null }): Promise<UndoRecord> {
  const netns = placeOf(input);
  const device = await getDevice({ netns, device: input.device });
  if (input.master === null) {
    await changeWithIp(netns, ["link", "set", "dev", device.name, "nomaster"], `release device "${device.name}" from its master`);
    return { action: "set-master", netns, device: device.name, master: device.master };
  }
  if (input.master === device.name) throw new HostRequestError("invalid", `Device "${device.name}" cannot be its own master`);
  const master = await getDevice({ netns, device: input.master });
  if (!MASTER_KINDS.includes(master.kind ?? "")) {
    throw new HostRequestError(
      "invalid",
      `Device "${master.name}" ${describePlace(netns)} cannot be a master: it is ${
        master.kind ? `a ${master.kind}` : "not a soft device"
      }; masters are ${MASTER_KINDS.join(", ")} devices`,
    );
  }
  await changeWithIp(
    netns,
    ["link", "set", "dev", device.name, "master", master.name],
    `make "${master.name}" the master of device "${device.name}"`,
  );
  return { action: "set-master", netns, device: device.name, master: device.master };
}
