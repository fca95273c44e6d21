import { resolveExecutable } from "../command-runner.ts";
import type { DriverInfo } from "./device-model.ts";
import { runInPlace } from "./run-ip.ts";

/** How many ethtool processes run at once when a host has many devices. */
const PARALLEL_QUERIES = 8;

/**
 * `ethtool -i` for each device, or null for a device without driver information (loopback) and
 * for every device when ethtool is not installed: driver facts are a bonus, never a failure.
 */
export async function readDriverInfo(netns: string | null, devices: readonly string[]): Promise<Map<string, DriverInfo | null>> {
  const found = new Map<string, DriverInfo | null>(devices.map((name) => [name, null]));
  const ethtool = resolveExecutable("ethtool");
  if (!ethtool.includes("/")) return found;
  const queue = [...devices];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const result = await runInPlace(netns, [ethtool, "-i", name]);
      if (result.code === 0) found.set(name, parseEthtoolInfo(result.stdout));
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_QUERIES, devices.length) }, worker));
  return found;
}

/** Parses `driver: veth` / `bus-info: 0000:00:03.0` lines; "N/A" and blanks read as null. */
function parseEthtoolInfo(text: string): DriverInfo | null {
  const fields = new Map<string, string>();
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const value = line.slice(colon + 1).trim();
    if (value && value !== "N/A") fields.set(line.slice(0, colon).trim(), value);
  }
  const driver = fields.get("driver");
  if (!driver) return null;
  return {
    driver,
    version: fields.get("version") ?? null,
    firmwareVersion: fields.get("firmware-version") ?? null,
    busInfo: fields.get("bus-info") ?? null,
  };
}
