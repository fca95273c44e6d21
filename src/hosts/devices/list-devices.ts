import { HostRequestError } from "../host-errors.ts";
import { describePlace, requireNamespace } from "../network-namespace.ts";
import { validateDeviceName } from "./device-input.ts";
import { type Device, ipLinkListSchema, toDevice } from "./device-model.ts";
import { readDriverInfo } from "./ethtool-driver.ts";
import { explainFailure, runIp } from "./run-ip.ts";

/** Where device operations act: a named network namespace, or the host when null or absent. */
export interface DevicePlace {
  netns?: string | null;
}

export interface DeviceTarget extends DevicePlace {
  device: string;
}

export interface ListDevicesOptions extends DevicePlace {
  /** Ask ethtool for each device's driver (one process per device); default true. */
  withDriver?: boolean;
}

/** Checks the namespace and returns it in the form every device function passes on. */
export function placeOf(place: DevicePlace): string | null {
  const netns = place.netns ?? null;
  if (netns !== null) requireNamespace(netns);
  return netns;
}

/** Every interface of the host or of one namespace, with addresses, statistics and driver. */
export async function listDevices(options: ListDevicesOptions = {}): Promise<Device[]> {
  const netns = placeOf(options);
  return readDevices(netns, [], options.withDriver ?? true);
}

/** One device; `Cannot find device "eth9" in namespace "x"` when it is not there. */
export async function getDevice(place: DeviceTarget, withDriver = false): Promise<Device> {
  const netns = placeOf(place);
  validateDeviceName(place.device);
  const devices = await readDevices(netns, ["dev", place.device], withDriver).catch((error: unknown) => {
    const explained = explainFailure(error, `read device "${place.device}" ${describePlace(netns)}`);
    if (explained instanceof HostRequestError && explained.reason === "not-found") throw deviceNotFound(place.device, netns);
    throw explained;
  });
  const device = devices[0];
  if (!device) throw deviceNotFound(place.device, netns);
  return device;
}

export function deviceNotFound(device: string, netns: string | null): HostRequestError {
  return new HostRequestError("not-found", `Cannot find device "${device}" ${describePlace(netns)}`);
}

async function readDevices(netns: string | null, filter: string[], withDriver: boolean): Promise<Device[]> {
  const entries = ipLinkListSchema.parse(JSON.parse(await runIp(netns, ["-j", "-d", "-s", "addr", "show", ...filter])));
  const drivers = withDriver ? await readDriverInfo(netns, entries.map((entry) => entry.ifname)) : new Map();
  return entries.map((entry) => toDevice(entry, netns, drivers.get(entry.ifname) ?? null));
}
