import type { HostCalendar, HostView, LabView, SessionListItem } from "../../client/api-types.ts";
import { clientCell } from "./session-render.ts";
import { ago, duration, keyValueLines, textTable } from "./text-table.ts";

export interface HostDetails {
  host: HostView;
  holders: readonly SessionListItem[];
  labs: readonly LabView[];
  calendar: HostCalendar;
}

/** `hosts show`: the host, who holds it since when, its labs and its calendar (the last day and the week ahead). */
export function hostDetails({ host, holders, labs, calendar }: HostDetails, now: number): string {
  const pairs: [string, string][] = [
    ["host", `${host.name} (id ${host.id})`],
    ["state", stateText(host, now)],
    ["runtimes", host.runtimes.map((runtime) => (runtime.version ? `${runtime.name} ${runtime.version}` : runtime.name)).join(", ") || "-"],
    ["labels", Object.entries(host.labels).map(([key, value]) => `${key}=${value}`).join(",") || "-"],
    ["slots", `${host.used}/${host.capacity} used`],
    [
      "agent",
      `${host.agent_version}${host.agent_address ? ` at ${host.agent_address}` : ""}, ${
        host.connected ? "connected" : `last seen ${ago(host.last_seen_at, now)}`
      }`,
    ],
  ];
  for (const session of holders) pairs.push(["held by", holderText(session, now)]);
  if (holders.length === 0) pairs.push(["held by", "nobody"]);
  for (const lab of labs) {
    pairs.push([
      "lab",
      `${lab.instance_name} ${lab.state} (${lab.runtime}, id ${lab.id}, session ${lab.session_id}${
        lab.warm_until ? `, warm until ${lab.warm_until}` : ""
      })${lab.error ? `: ${lab.error}` : ""}`,
    ]);
  }
  const entries = calendar.entries.map((entry) => [
    entry.ended ? "held" : entry.kind === "hold" ? "holding" : "booked",
    entry.from,
    entry.to ?? "until released",
    entry.session_id,
    entry.client.name ?? entry.client.ci_job_id ?? "-",
  ]);
  const table = entries.length
    ? textTable(["CALENDAR", "FROM", "TO", "SESSION", "CLIENT"], entries)
    : "calendar: nothing in the last day or the week ahead\n";
  return `${keyValueLines(pairs)}\n${table}`;
}

function stateText(host: HostView, now: number): string {
  if (!host.admin_reason_at) return host.state;
  const reason = host.admin_reason ? `: ${host.admin_reason}` : "";
  return `${host.state}${reason} (set by ${host.admin_reason_by ?? "unknown"} ${ago(host.admin_reason_at, now)})`;
}

function holderText(session: SessionListItem, now: number): string {
  const since = session.activated_at ? ` since ${session.activated_at} (${duration(now - Date.parse(session.activated_at))})` : "";
  const left = session.ends_at ? `, walltime left ${duration(Date.parse(session.ends_at) - now)}` : "";
  const job = session.client.ci_job_url ? `, CI job ${session.client.ci_job_url}` : "";
  return `${session.id} (${clientCell(session)}${job})${since}${left}`;
}
