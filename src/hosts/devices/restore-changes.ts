import { HostRequestError } from "../host-errors.ts";
import { describePlace, namespaceExists } from "../network-namespace.ts";
import { parseRequest } from "../parse-request.ts";
import { addDeviceAddress, removeDeviceAddress } from "./address-changes.ts";
import { formatCidr, parseCidr } from "./device-input.ts";
import type { Device } from "./device-model.ts";
import { setDeviceMaster, setDeviceMtu, setDeviceUp } from "./link-changes.ts";
import { getDevice } from "./list-devices.ts";
import { recreateDevice } from "./remove-device.ts";
import { changeWithIp } from "./run-ip.ts";
import { setSysctl } from "./sysctl.ts";
import { type UndoRecord, undoRecordSchema } from "../../protocol/undo-records.ts";

export interface RestoreReport {
  /** Records carried out, in the order they ran (the reverse of the changes). */
  undone: UndoRecord[];
  /** Records with nothing left to do: their namespace, device or address is already gone (or back). */
  alreadyDone: { record: UndoRecord; reason: string }[];
  /** Records that could not be carried out, and why. */
  failed: { record: UndoRecord; error: string }[];
}

/**
 * Undoes changes newest first, so each record meets the state its change left behind. Never
 * stops at a failure: what is already gone is tolerated, what cannot be undone is reported.
 */
export async function restoreChanges(records: readonly UndoRecord[]): Promise<RestoreReport> {
  const report: RestoreReport = { undone: [], alreadyDone: [], failed: [] };
  for (const record of [...records].reverse()) {
    try {
      const parsed = parseRequest(undoRecordSchema, record, "undo record");
      const nothingToDo = await whyNothingToDo(parsed);
      if (nothingToDo) {
        report.alreadyDone.push({ record, reason: nothingToDo });
        continue;
      }
      await carryOut(parsed);
      report.undone.push(record);
    } catch (error) {
      report.failed.push({ record, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return report;
}

async function whyNothingToDo(record: UndoRecord): Promise<string | null> {
  if (record.netns !== null && !namespaceExists(record.netns)) return `Network namespace "${record.netns}" no longer exists`;
  if (record.action === "write-sysctl" || record.action === "recreate-device") return null;
  const device = await findDevice(record.netns, record.device);
  if (!device) return `Device "${record.device}" ${describePlace(record.netns)} no longer exists`;
  if (record.action === "remove-address" || record.action === "add-address") {
    const address = formatCidr(parseCidr(record.address));
    const present = device.addresses.some((existing) => formatCidr(existing) === address);
    if (record.action === "remove-address" && !present) return `Address ${address} is no longer on device "${device.name}"`;
    if (record.action === "add-address" && present) return `Address ${address} is already on device "${device.name}"`;
  }
  return null;
}

async function carryOut(record: UndoRecord): Promise<void> {
  const { netns } = record;
  switch (record.action) {
    case "set-up":
      return void (await setDeviceUp({ netns, device: record.device, up: record.up }));
    case "set-mtu":
      return void (await setDeviceMtu({ netns, device: record.device, mtu: record.mtu }));
    case "add-address":
      return void (await addDeviceAddress({ netns, device: record.device, address: record.address }));
    case "remove-address":
      return void (await removeDeviceAddress({ netns, device: record.device, address: record.address }));
    case "set-master":
      return void (await setDeviceMaster({ netns, device: record.device, master: record.master }));
    case "remove-device":
      return changeWithIp(netns, ["link", "delete", "dev", record.device], `remove device "${record.device}"`);
    case "recreate-device":
      return recreateDevice(record);
    case "write-sysctl":
      return void (await setSysctl({ netns, key: record.key, value: record.value }));
  }
}

async function findDevice(netns: string | null, name: string): Promise<Device | null> {
  try {
    return await getDevice({ netns, device: name });
  } catch (error) {
    if (error instanceof HostRequestError && error.reason === "not-found") return null;
    throw error;
  }
}
