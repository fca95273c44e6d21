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
      else io.stdout(hostsTable(hosts, Date.now()));
      return ExitCode.ok;
    });
  },
};

export function hostsTable(hosts: readonly HostView[], now: number): string {
  return textTable(
    ["HOST", "STATE", "RUNTIMES", "LABELS", "USED", "ADDRESS", "LAST SEEN"],
    hosts.map((host) => [
      host.name,
      host.state,
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

/** Tools the agent found in a version it does not support (inventory `unsupported_runtimes`), marked so. */
function unsupportedRuntimes(host: HostView): string[] {
  const listed = host.inventory.unsupported_runtimes;
  if (!Array.isArray(listed)) return [];
  return listed.map((entry: { name?: unknown; version?: unknown }) => `${String(entry.name)} ${entry.version ? String(entry.version) : "?"} (unsupported)`);
}
