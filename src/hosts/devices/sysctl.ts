import { MAX_SYSCTL_VALUE_LENGTH, sysctlKeySchema, sysctlValueSchema } from "../../validation/text.ts";
import { CommandFailedError, type RunResult } from "../command-runner.ts";
import { HostRequestError } from "../host-errors.ts";
import { describePlace } from "../network-namespace.ts";
import { type DevicePlace, placeOf } from "./list-devices.ts";
import { explainFailure, runInPlace } from "./run-ip.ts";
import type { UndoRecord } from "../../protocol/undo-records.ts";

export interface SysctlTarget extends DevicePlace {
  /** "net.ipv4.ip_forward", or with slashes ("net/ipv4/conf/eth0.100/forwarding") when a segment holds a dot. */
  key: string;
}

/**
 * The file under /proc/sys for a key; only plain segments, so no key can leave /proc/sys.
 * Values are read and written inside the namespace (`ip netns exec`), where /proc/sys/net is its own.
 */
export function sysctlPath(key: string): string {
  if (!sysctlKeySchema.safeParse(key).success) {
    throw new HostRequestError(
      "invalid",
      `Invalid sysctl key "${key}": expected dotted names such as net.ipv4.ip_forward, or slashes when a name holds a dot`,
    );
  }
  return `/proc/sys/${(key.includes("/") ? key.split("/") : key.split(".")).join("/")}`;
}

/** The current value, without the trailing newline. */
export async function readSysctl(input: SysctlTarget): Promise<string> {
  const netns = placeOf(input);
  const result = await runInPlace(netns, ["cat", sysctlPath(input.key)]);
  if (result.code !== 0) throw sysctlFailure(result, input.key, netns, "read");
  return result.stdout.replace(/\n$/, "");
}

/** Writes a sysctl value and returns an undo record with the value it had before. */
export async function setSysctl(input: SysctlTarget & { value: string }): Promise<UndoRecord> {
  const netns = placeOf(input);
  const { value } = input;
  if (!sysctlValueSchema.safeParse(value).success) {
    throw new HostRequestError(
      "invalid",
      `Invalid value for sysctl "${input.key}": one line of at most ${MAX_SYSCTL_VALUE_LENGTH} characters without NUL bytes`,
    );
  }
  const previous = await readSysctl({ netns, key: input.key });
  // tee writes its stdin to the file: the value never passes through a shell.
  const result = await runInPlace(netns, ["tee", sysctlPath(input.key)], value.replace(/\n$/, "") + "\n");
  if (result.code !== 0) throw sysctlFailure(result, input.key, netns, "write");
  return { action: "write-sysctl", netns, key: input.key, value: previous };
}

function sysctlFailure(result: RunResult, key: string, netns: string | null, doing: "read" | "write"): Error {
  const { stderr } = result;
  if (/No such file/.test(stderr)) return new HostRequestError("not-found", `Cannot find sysctl "${key}" ${describePlace(netns)}`);
  if (/Is a directory/.test(stderr)) return new HostRequestError("invalid", `Sysctl "${key}" is a group of settings, not one setting`);
  if (/Invalid argument/.test(stderr)) {
    return new HostRequestError(
      "invalid",
      `Cannot set sysctl "${key}" ${describePlace(netns)}: the kernel refused the value (Invalid argument)`,
    );
  }
  return explainFailure(new CommandFailedError(result), `${doing} sysctl "${key}" ${describePlace(netns)}`);
}
