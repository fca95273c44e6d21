import { HostRequestError } from "../host-errors.ts";
import { describePlace } from "../network-namespace.ts";
import { formatCidr, parseCidr } from "./device-input.ts";
import type { Device } from "./device-model.ts";
import { type DeviceTarget, getDevice, placeOf } from "./list-devices.ts";
import { changeWithIp } from "./run-ip.ts";
import type { UndoRecord } from "../../protocol/undo-records.ts";

/** Adds an address such as "10.0.0.1/24"; adding one the device already has is a conflict (its undo would remove it). */
export async function addDeviceAddress(input: DeviceTarget & { address: string }): Promise<UndoRecord> {
  const netns = placeOf(input);
  const cidr = parseCidr(input.address);
  const device = await getDevice({ netns, device: input.device });
  const address = formatCidr(cidr);
  if (hasAddress(device, address)) {
    throw new HostRequestError("conflict", `Device "${device.name}" ${describePlace(netns)} already has address ${address}`);
  }
  await changeWithIp(netns, ["address", "add", address, "dev", device.name], `add address ${address} to device "${device.name}"`);
  return { action: "remove-address", netns, device: device.name, address };
}

/** Removes an address the device has; removing one it does not have is an error. */
export async function removeDeviceAddress(input: DeviceTarget & { address: string }): Promise<UndoRecord> {
  const netns = placeOf(input);
  const cidr = parseCidr(input.address);
  const device = await getDevice({ netns, device: input.device });
  const address = formatCidr(cidr);
  if (!hasAddress(device, address)) {
    throw new HostRequestError("not-found", `Device "${device.name}" ${describePlace(netns)} has no address ${address}`);
  }
  await changeWithIp(netns, ["address", "delete", address, "dev", device.name], `remove address ${address} from device "${device.name}"`);
  return { action: "add-address", netns, device: device.name, address };
}

function hasAddress(device: Device, address: string): boolean {
  return device.addresses.some((existing) => formatCidr(existing) === address);
}
