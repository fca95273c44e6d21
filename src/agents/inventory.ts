import { existsSync } from "node:fs";
import { arch, cpus, hostname, release, totalmem } from "node:os";
import type { HostRuntime } from "../protocol/host-work.ts";
import type { HealthGateMode } from "../protocol/health-gate-modes.ts";
import { resolveExecutable, runCommand } from "../hosts/command-runner.ts";
import { unsupportedVersionReason } from "./tool-versions.ts";
import { netnsSharingProblem } from "../hosts/native/netns-sharing.ts";

export interface HostInventory {
  runtimes: HostRuntime[];
  inventory: Record<string, unknown>;
}

const PROBE_TIMEOUT_MS = 10_000;

/**
 * What this host offers: the native runtime when running as root with iproute2 in the host's mount
 * namespace, containerlab and netlab when on PATH in a supported version (parsed as the tools print
 * them), FRR's version (the native runtime's routers), and the machine's facts. A tool present in an unsupported version is not offered;
 * `unsupported_runtimes` says why.
 */
export async function detectInventory(env: Record<string, string | undefined>, healthGate: HealthGateMode): Promise<HostInventory> {
  const [native, frr, containerlab, netlab, interfaces] = await Promise.all([
    probeNative(env),
    probeVersion(["/usr/lib/frr/zebra", "--version"], /^zebra version\s+(\S+)/m, env),
    probeVersion(["containerlab", "version"], /^\s*version:\s*(\S+)/m, env),
    probeVersion(["netlab", "version"], /^netlab version\s+(\S+)/m, env),
    listInterfaces(env),
  ]);
  const runtimes: HostRuntime[] = [];
  const unsupported: { name: string; version: string | null; reason: string }[] = [];
  if (native.available) runtimes.push({ name: "native", version: native.version });
  for (const [name, probe] of [["containerlab", containerlab], ["netlab", netlab]] as const) {
    if (!probe.installed) continue;
    const reason = unsupportedVersionReason(name, probe.version);
    if (reason) unsupported.push({ name, version: probe.version, reason });
    else runtimes.push({ name, version: probe.version });
  }
  return {
    runtimes,
    inventory: {
      hostname: hostname(),
      kernel: release(),
      arch: arch(),
      cpus: cpus().length,
      cpu_model: cpus()[0]?.model ?? null,
      memory_bytes: totalmem(),
      root: process.getuid?.() === 0,
      native_unavailable_reason: native.available ? null : native.reason,
      // FRR lets the native runtime run FRR nodes and netlab topologies (frr devices).
      frr: frr.installed ? { version: frr.version } : null,
      unsupported_runtimes: unsupported,
      interfaces,
      health_gate: healthGate,
    },
  };
}

async function probeNative(
  env: Record<string, string | undefined>,
): Promise<{ available: true; version: string | null } | { available: false; reason: string }> {
  if (process.getuid?.() !== 0) return { available: false, reason: "the agent does not run as root" };
  if (resolveExecutable("ip", env.PATH) === "ip") return { available: false, reason: "iproute2 (ip) is not installed" };
  const sharing = netnsSharingProblem();
  if (sharing) return { available: false, reason: sharing };
  const result = await runCommand(["ip", "-V"], { timeoutMs: PROBE_TIMEOUT_MS, env });
  return { available: true, version: /iproute2-(\S+?),?\s/.exec(result.stdout + " ")?.[1] ?? null };
}

async function probeVersion(
  argv: string[],
  pattern: RegExp,
  env: Record<string, string | undefined>,
): Promise<{ installed: boolean; version: string | null }> {
  const path = resolveExecutable(argv[0]!, env.PATH);
  if (!path.includes("/") || !existsSync(path)) return { installed: false, version: null };
  const result = await runCommand(argv, { timeoutMs: PROBE_TIMEOUT_MS, env: { ...env, CLAB_VERSION_CHECK: "disable" } });
  return { installed: true, version: result.code === 0 ? (pattern.exec(result.stdout)?.[1] ?? null) : null };
}

/** The host's interfaces with their addresses (link-local ones left out: other hosts cannot use them). */
async function listInterfaces(env: Record<string, string | undefined>): Promise<unknown[]> {
  if (resolveExecutable("ip", env.PATH) === "ip") return [];
  const result = await runCommand(["ip", "-j", "address", "show"], { timeoutMs: PROBE_TIMEOUT_MS, env });
  if (result.code !== 0) return [];
  try {
    const links = JSON.parse(result.stdout) as {
      ifname: string;
      mtu: number;
      operstate: string;
      address?: string;
      link_type: string;
      addr_info?: { local: string; prefixlen: number; scope?: string }[];
    }[];
    return links.map((link) => ({
      name: link.ifname,
      mtu: link.mtu,
      state: link.operstate,
      mac: link.address ?? null,
      type: link.link_type,
      addresses: (link.addr_info ?? []).filter((info) => info.scope !== "link").map((info) => `${info.local}/${info.prefixlen}`),
    }));
  } catch {
    return [];
  }
}
