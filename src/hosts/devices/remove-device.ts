import { HostRequestError } from "../host-errors.ts";
import { describePlace } from "../network-namespace.ts";
import { addDeviceAddress } from "./address-changes.ts";
import { createDevice } from "./create-device.ts";
import { formatCidr } from "./device-input.ts";
import type { Device } from "./device-model.ts";
import { setDeviceMaster, setDeviceUp } from "./link-changes.ts";
import { deviceNotFound, type DeviceTarget, listDevices, placeOf } from "./list-devices.ts";
import { changeWithIp } from "./run-ip.ts";
import { type DeviceSettings, SOFT_DEVICE_KINDS, type SoftDeviceKind, type SoftDeviceSpec } from "../../protocol/soft-device-spec.ts";
import type { UndoRecord } from "../../protocol/undo-records.ts";

/**
 * Removes a soft device. Its undo builds it again as it was: kind, MAC, MTU, addresses, master,
 * former ports and up state (a veth's peer, removed with it, likewise). Devices an undo could not
 * rebuild are refused: physical ones, unsupported kinds, and a veth whose peer is in another namespace.
 */
export async function removeDevice(input: DeviceTarget): Promise<UndoRecord> {
  const netns = placeOf(input);
  const devices = await listDevices({ netns, withDriver: false });
  const device = devices.find((candidate) => candidate.name === input.device);
  if (!device) throw deviceNotFound(input.device, netns);
  const spec = specOf(device, netns);
  const peer = spec.kind === "veth" ? devices.find((candidate) => candidate.name === spec.peer) : undefined;
  await changeWithIp(netns, ["link", "delete", "dev", device.name], `remove device "${device.name}"`);
  return {
    action: "recreate-device",
    netns,
    spec,
    settings: settingsOf(device, devices),
    peerSettings: peer ? settingsOf(peer, devices) : null,
  };
}

/** Carries out a `recreate-device` undo record. */
export async function recreateDevice(record: Extract<UndoRecord, { action: "recreate-device" }>): Promise<void> {
  const { netns, spec } = record;
  await createDevice({ netns, spec });
  await applySettings(netns, spec.name, record.settings);
  if (spec.kind === "veth" && record.peerSettings) await applySettings(netns, spec.peer, record.peerSettings);
}

function specOf(device: Device, netns: string | null): SoftDeviceSpec {
  const refuse = (why: string) => new HostRequestError("invalid", `Cannot remove device "${device.name}" ${describePlace(netns)}: ${why}`);
  const kind = device.kind as SoftDeviceKind | null;
  if (kind === null) throw refuse("it is not a soft device");
  if (!SOFT_DEVICE_KINDS.includes(kind)) {
    throw refuse(`${kind} devices cannot be rebuilt by an undo (only ${SOFT_DEVICE_KINDS.join(", ")})`);
  }
  switch (kind) {
    case "bridge":
    case "dummy":
      return { kind, name: device.name };
    case "veth":
      if (!device.link) {
        throw refuse(
          "its veth peer is in another namespace, so an undo could not rebuild the pair; remove the end that was created instead",
        );
      }
      return { kind, name: device.name, peer: device.link };
    case "vlan":
      if (!device.link || typeof device.kindData?.id !== "number") throw refuse("the kernel does not report its parent and VLAN id");
      return { kind, name: device.name, parent: device.link, vlanId: device.kindData.id };
    case "bond":
      if (typeof device.kindData?.mode !== "string") throw refuse("the kernel does not report its bond mode");
      return { kind, name: device.name, mode: device.kindData.mode };
  }
}

function settingsOf(device: Device, devices: readonly Device[]): DeviceSettings {
  return {
    mac: device.mac,
    mtu: device.mtu,
    up: device.up,
    master: device.master,
    // IPv6 link-local addresses come back by themselves when the device is up again.
    addresses: device.addresses.filter((address) => !(address.family === "inet6" && address.scope === "link")).map(formatCidr),
    ports: devices.filter((candidate) => candidate.master === device.name).map((candidate) => candidate.name),
  };
}

/** Ports first (a bridge takes its MTU and MAC from them), then MAC and MTU, master, addresses, and up last. */
async function applySettings(netns: string | null, name: string, settings: DeviceSettings): Promise<void> {
  for (const port of settings.ports) await setDeviceMaster({ netns, device: port, master: name });
  const link = [...(settings.mac ? ["address", settings.mac] : []), "mtu", String(settings.mtu)];
  await changeWithIp(netns, ["link", "set", "dev", name, ...link], `restore the MAC address and MTU of device "${name}"`);
  if (settings.master) await setDeviceMaster({ netns, device: name, master: settings.master });
  for (const address of settings.addresses) await addDeviceAddress({ netns, device: name, address });
  if (settings.up) await setDeviceUp({ netns, device: name, up: true });
}
