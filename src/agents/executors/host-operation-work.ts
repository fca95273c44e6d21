import { existsSync } from "node:fs";
import { addDeviceAddress, removeDeviceAddress } from "../../hosts/devices/address-changes.ts";
import { createDevice } from "../../hosts/devices/create-device.ts";
import { setDeviceMaster, setDeviceMtu, setDeviceUp } from "../../hosts/devices/link-changes.ts";
import { listDevices } from "../../hosts/devices/list-devices.ts";
import { removeDevice } from "../../hosts/devices/remove-device.ts";
import { restoreChanges } from "../../hosts/devices/restore-changes.ts";
import { readSysctl, setSysctl } from "../../hosts/devices/sysctl.ts";
import type { UndoRecord } from "../../protocol/undo-records.ts";
import { readFileBounded, writeFileSafely } from "../../hosts/files.ts";
import { HostRequestError } from "../../hosts/host-errors.ts";
import { nodePlace, refusal } from "./node-place.ts";
import type { WorkExecutor } from "./work-executor.ts";

/**
 * Device operations on the host or a lab node. Each change returns its undo record (the broker
 * keeps them and sends them back, newest first, when the session ends). A request refused halfway
 * is rolled back first, so a refusal leaves nothing changed.
 */
export const deviceOperation: WorkExecutor<"device-op"> = async ({ payload: operation, services, workDir }) => {
  // In line with lab deploys and destroys: a lab destroy queued after a session's restore waits for it.
  if (operation.operation === "restore") {
    return services.serializeLabOperation(async () => ({ value: await restoreChanges(operation.records) }));
  }
  const applied: UndoRecord[] = [];
  try {
    const place = nodePlace(services, workDir, operation);
    // The agent changes devices itself (`ip -n NS`): a node that is no plain namespace cannot be reached that way.
    if (place.netns === null && place.prefix.length > 0) {
      throw new HostRequestError("unsupported", "Device operations need a lab node that is a network namespace on the host");
    }
    const { netns } = place;
    switch (operation.operation) {
      case "list":
        return { value: await listDevices({ netns }) };
      case "create":
        applied.push(await createDevice({ netns, spec: operation.spec }));
        break;
      case "remove":
        applied.push(await removeDevice({ netns, device: operation.device }));
        break;
      case "sysctl":
        if (operation.value === undefined) return { value: { key: operation.key, value: await readSysctl({ netns, key: operation.key }) } };
        applied.push(await setSysctl({ netns, key: operation.key, value: operation.value }));
        break;
      case "change": {
        const target = { netns, device: operation.device };
        if (operation.master !== undefined) applied.push(await setDeviceMaster({ ...target, master: operation.master }));
        if (operation.mtu !== undefined) applied.push(await setDeviceMtu({ ...target, mtu: operation.mtu }));
        for (const address of operation.remove_addresses) applied.push(await removeDeviceAddress({ ...target, address }));
        for (const address of operation.add_addresses) applied.push(await addDeviceAddress({ ...target, address }));
        if (operation.up !== undefined) applied.push(await setDeviceUp({ ...target, up: operation.up }));
        break;
      }
    }
    return { value: { changes: applied.length }, undo: applied };
  } catch (error) {
    await restoreChanges(applied);
    return refusal(error);
  }
};

/** Writes or reads one file on the host (lab nodes share the host's file system), bounded and path-checked. */
export const fileTransfer: WorkExecutor<"file-transfer"> = async ({ work, payload: transfer, services }) => {
  try {
    if (transfer.direction === "upload") {
      const created = !existsSync(transfer.path);
      const written = await writeFileSafely(transfer.path, new Uint8Array(Buffer.from(transfer.content_base64, "base64")), {
        maxBytes: transfer.max_bytes,
      });
      if (created && work.session_id) services.health.noteUpload(work.session_id, transfer.path);
      return { value: written };
    }
    const content = await readFileBounded(transfer.path, { maxBytes: transfer.max_bytes });
    return { value: { path: transfer.path, size: content.byteLength, content_base64: Buffer.from(content).toString("base64") } };
  } catch (error) {
    return refusal(error);
  }
};
