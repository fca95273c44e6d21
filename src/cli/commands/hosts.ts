import { z } from "zod";
import type { HostView } from "../../client/api-types.ts";
import type { LabBroker } from "../../client/broker.ts";
import { clientOptions } from "../../config/client-options.ts";
import type { OptionTable } from "../../config/option-spec.ts";
import { connect, printJson, withClientErrors } from "../client/client-command.ts";
import { adminDone, HOST_ADMIN_ACTIONS, type HostAdminAction, hostAdminPatch, localActor } from "../client/host-admin.ts";
import { hostDetails } from "../client/host-details.ts";
import { ago, textTable } from "../client/text-table.ts";
import { type CliCommand, type CommandIo, ExitCode, parseOptions, UsageError } from "../command.ts";

const DAY_MS = 86_400_000;

const hostsOptions = {
  ...clientOptions,
  reason: {
    flag: "reason",
    short: "m",
    kind: "string",
    placeholder: "TEXT",
    description: "drain, maintenance: why, shown with the host until it is back in service",
    schema: z.string().min(1).max(500).optional(),
  },
} satisfies OptionTable;

const ACTIONS = ["list", "show", ...HOST_ADMIN_ACTIONS] as const;

export const hostsCommand: CliCommand = {
  name: "hosts",
  summary: "List the lab hosts, show one (holder, labs, calendar), or drain, undrain or put one in maintenance",
  positionals: "[list] | show HOST | drain HOST | undrain HOST | maintenance HOST",
  options: hostsOptions,
  details: [
    "list          state, runtimes, labels, slots in use, agent address, last contact (the default)",
    "show HOST     one host: state and why, who holds it since when and walltime left, its labs, its calendar",
    "drain HOST    finish the current sessions, start no new ones (--reason TEXT)",
    "maintenance HOST  start no sessions at all (--reason TEXT)",
    "undrain HOST  back in service, from draining or maintenance",
    "",
    "Exit codes: 0 ok, 1 unknown host or refused, 2 usage.",
  ].join("\n"),
  async run({ values, positionals, env, io, signal }) {
    const [action = "list", name, ...extra] = positionals;
    if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`expected one of ${ACTIONS.join(", ")}, not "${action}"`);
    if (action !== "list" && !name) throw new UsageError(`hosts ${action} needs the HOST name`);
    const unexpected = action === "list" ? name : extra[0];
    if (unexpected !== undefined) throw new UsageError(`unexpected argument "${unexpected}"`);
    const options = parseOptions(hostsOptions, values);
    if (options.reason && action !== "drain" && action !== "maintenance") throw new UsageError("--reason goes with drain or maintenance");
    const broker = connect(options, env);
    return withClientErrors(`hosts ${action}`.replace(" list", ""), io, signal, async () => {
      if (action === "list") return listHosts(broker, options.json, io);
      if (action === "show") return showHost(broker, name!, options.json, io);
      const host = await broker.updateHost(name!, hostAdminPatch(action as HostAdminAction, options.reason, localActor(env)));
      if (options.json) printJson(io, host);
      else io.stdout(`${adminDone(action as HostAdminAction, host.name)}\n`);
      return ExitCode.ok;
    });
  },
};

async function listHosts(broker: LabBroker, json: boolean, io: CommandIo): Promise<number> {
  const hosts = await broker.hosts();
  if (json) printJson(io, hosts);
  else if (hosts.length === 0) io.stdout("No hosts have registered yet (start 'labbroker agent' on a lab host)\n");
  else io.stdout(hostsTable(hosts, Date.now()) + unhealthyReports(hosts));
  return ExitCode.ok;
}

async function showHost(broker: LabBroker, name: string, json: boolean, io: CommandIo): Promise<number> {
  const host = await broker.host(name);
  const now = Date.now();
  const [sessions, labs, calendar] = await Promise.all([
    broker.sessions({ host: host.id, state: "active" }),
    broker.labs({ host: host.id }),
    broker.hostCalendar(host.id, { from: new Date(now - DAY_MS).toISOString(), to: new Date(now + 7 * DAY_MS).toISOString() }),
  ]);
  if (json) printJson(io, { ...host, holder_sessions: sessions, labs, calendar: calendar.entries });
  else io.stdout(hostDetails({ host, holders: sessions, labs, calendar }, now));
  return ExitCode.ok;
}

export function hostsTable(hosts: readonly HostView[], now: number): string {
  return textTable(
    ["HOST", "STATE", "RUNTIMES", "LABELS", "USED", "ADDRESS", "LAST SEEN"],
    hosts.map((host) => [
      host.name,
      host.health.state === "checking"
        ? `${host.state} (checking)`
        : host.admin_reason
        ? `${host.state} (${host.admin_reason})`
        : host.state,
      [
        ...host.runtimes.map((runtime) => (runtime.version ? `${runtime.name} ${runtime.version}` : runtime.name)),
        ...unsupportedRuntimes(host),
      ].join(", ") || "-",
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
      const differences = Array.isArray(report.differences)
        ? (report.differences as { kind: string; name: string; detail: string; cleaned: boolean }[])
        : [];
      const after = typeof report.session_id === "string" ? ` after session ${report.session_id}` : "";
      const lines = differences.map((difference) =>
        `  ${difference.cleaned ? "cleaned" : "left   "} ${difference.kind} ${difference.name}: ${difference.detail}`
      );
      if (typeof report.error === "string") lines.push(`  the check failed: ${report.error}`);
      return `\n${host.name} is unhealthy (checked ${host.health.checked_at ?? "never"}${after}):\n${
        lines.join("\n")
      }\n  fix it, then: curl -X POST …/v1/hosts/${host.name}/health-check   or accept it: curl -X PATCH …/v1/hosts/${host.name} -d '{"health":"clear"}'\n`;
    })
    .join("");
}

/** Tools the agent found in a version it does not support (inventory `unsupported_runtimes`), marked so. */
function unsupportedRuntimes(host: HostView): string[] {
  const listed = host.inventory.unsupported_runtimes;
  if (!Array.isArray(listed)) return [];
  return listed.map((entry: { name?: unknown; version?: unknown }) =>
    `${String(entry.name)} ${entry.version ? String(entry.version) : "?"} (unsupported)`
  );
}
