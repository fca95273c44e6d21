import { HostRequestError } from "../host-errors.ts";
import { describePlace, requireNamespace } from "../network-namespace.ts";
import { parseRequest } from "../parse-request.ts";
import { validateBondMode, validateDeviceName, validateVlanId } from "./device-input.ts";
import { deviceNotFound, type DevicePlace, listDevices, placeOf } from "./list-devices.ts";
import { changeWithIp } from "./run-ip.ts";
import { type SoftDeviceSpec, softDeviceSpecSchema } from "../../protocol/soft-device-spec.ts";
import type { UndoRecord } from "../../protocol/undo-records.ts";

/**
 * Creates a bridge, dummy, veth pair (the peer optionally in another named namespace), VLAN or
 * bond with one `ip link add`. Everything is checked first: names, VLAN id 1-4094, bond mode,
 * that the parent exists and that no name is taken. The undo removes the device (and a veth's peer).
 */
export async function createDevice(input: DevicePlace & { spec: SoftDeviceSpec }): Promise<UndoRecord> {
  const netns = placeOf(input);
  const spec = validateSpec(input.spec);
  const names = await deviceNames(netns);
  const taken = (name: string, place: string | null) =>
    new HostRequestError("conflict", `Device "${name}" already exists ${describePlace(place)}`);
  if (names.has(spec.name)) throw taken(spec.name, netns);
  if (spec.kind === "veth") {
    const peerPlace = spec.peerNetns ?? netns;
    if (spec.peerNetns !== undefined) requireNamespace(spec.peerNetns);
    if (spec.peer === spec.name && peerPlace === netns) {
      throw new HostRequestError("invalid", `A veth pair needs two names; both ends are called "${spec.name}"`);
    }
    const peerNames = peerPlace === netns ? names : await deviceNames(peerPlace);
    if (peerNames.has(spec.peer)) throw taken(spec.peer, peerPlace);
  }
  if (spec.kind === "vlan" && !names.has(spec.parent)) throw deviceNotFound(spec.parent, netns);

  const what = `create ${spec.kind} device "${spec.name}"`;
  try {
    await changeWithIp(netns, ipLinkAddArgs(spec), what);
  } catch (error) {
    if (error instanceof HostRequestError && error.reason === "unsupported") {
      throw new HostRequestError(
        "unsupported",
        `Cannot ${what} ${describePlace(netns)}: this kernel does not support ${spec.kind} devices`,
      );
    }
    throw error;
  }
  return { action: "remove-device", netns, device: spec.name };
}

function validateSpec(input: unknown): SoftDeviceSpec {
  const spec = parseRequest(softDeviceSpecSchema, input, "device request");
  validateDeviceName(spec.name);
  switch (spec.kind) {
    case "veth":
      validateDeviceName(spec.peer, "veth peer");
      break;
    case "vlan":
      validateDeviceName(spec.parent, "VLAN parent");
      validateVlanId(spec.vlanId);
      break;
    case "bond":
      validateBondMode(spec.mode);
      break;
  }
  return spec;
}

/** The one `ip link add` that creates the device; arguments stay separate, never a shell string. */
function ipLinkAddArgs(spec: SoftDeviceSpec): string[] {
  switch (spec.kind) {
    case "bridge":
    case "dummy":
      return ["link", "add", "name", spec.name, "type", spec.kind];
    case "veth":
      return [
        "link",
        "add",
        "name",
        spec.name,
        "type",
        "veth",
        "peer",
        "name",
        spec.peer,
        ...(spec.peerNetns === undefined ? [] : ["netns", spec.peerNetns]),
      ];
    case "vlan":
      return ["link", "add", "link", spec.parent, "name", spec.name, "type", "vlan", "id", String(spec.vlanId)];
    case "bond":
      return ["link", "add", "name", spec.name, "type", "bond", "mode", spec.mode];
  }
}

async function deviceNames(netns: string | null): Promise<Set<string>> {
  return new Set((await listDevices({ netns, withDriver: false })).map((device) => device.name));
}
