import type { HostView } from "../../client/api-types.ts";
import { clientConfigSchema, clientOptions } from "../../config/client-options.ts";
import { connect, printJson, withClientErrors } from "../client/client-command.ts";
import { ago, textTable } from "../client/text-table.ts";
import { type CliCommand, ExitCode, parseOptions } from "../command.ts";

export const hostsCommand: CliCommand = {
  name: "hosts",
  summary: "List the lab hosts: state, runtimes, labels, slots in use, agent address, last contact",
  options: clientOptions,
  async run({ values, env, io, signal }) {
    const options = parseOptions(clientConfigSchema, clientOptions, values);
    return withClientErrors("hosts", io, signal, async () => {
      const hosts = await connect(options, env).hosts();
      if (options.json) printJson(io, hosts);
      else if (hosts.length === 0) io.stdout("No hosts have registered yet (start 'labbroker agent' on a lab host)\n");
      else io.stdout(hostsTable(hosts, Date.now()) + unhealthyReports(hosts));
      return ExitCode.ok;
    });
  },
};

export function hostsTable(hosts: readonly HostView[], now: number): string {
  return textTable(
    ["HOST", "STATE", "RUNTIMES", "LABELS", "USED", "ADDRESS", "LAST SEEN"],
    hosts.map((host) => [
      host.name,
      host.health.state === "checking" ? `${host.state} (checking)` : host.state,
      [...host.runtimes.map((runtime) => (runtime.version ? `${runtime.name} ${runtime.version}` : runtime.name)), ...unsupportedRuntimes(host)].join(", ") || "-",
      Object.entries(host.labels)
        .map(([key, value]) => `${key}=${value}`)
        .join(",") || "-",
      `${host.used}/${host.capacity}`,
      host.agent_address ?? "-",
      host.connected ? "connected" : ago(host.last_seen_at, now),
    ]),
  );
}

/** What the health gate found on each unhealthy host, and how to hand it back. */
export function unhealthyReports(hosts: readonly HostView[]): string {
  return hosts
    .filter((host) => host.health.state === "unhealthy")
    .map((host) => {
      const report = host.health.report ?? {};
      const differences = Array.isArray(report.differences) ? (report.differences as { kind: string; name: string; detail: string; cleaned: boolean }[]) : [];
      const after = typeof report.session_id === "string" ? ` after session ${report.session_id}` : "";
      const lines = differences.map((difference) => `  ${difference.cleaned ? "cleaned" : "left   "} ${difference.kind} ${difference.name}: ${difference.detail}`);
      if (typeof report.error === "string") lines.push(`  the check failed: ${report.error}`);
      return `\n${host.name} is unhealthy (checked ${host.health.checked_at ?? "never"}${after}):\n${lines.join("\n")}\n  fix it, then: curl -X POST …/v1/hosts/${host.name}/health-check   or accept it: curl -X PATCH …/v1/hosts/${host.name} -d '{"health":"clear"}'\n`;
    })
    .join("");
}

/** Tools the agent found in a version it does not support (inventory `unsupported_runtimes`), marked so. */
function unsupportedRuntimes(host: HostView): string[] {
  const listed = host.inventory.unsupported_runtimes;
  if (!Array.isArray(listed)) return [];
  return listed.map((entry: { name?: unknown; version?: unknown }) => `${String(entry.name)} ${entry.version ? String(entry.version) : "?"} (unsupported)`);
}
