import type { SessionListItem } from "../../client/api-types.ts";
import { clientOptions } from "../../config/client-options.ts";
import { connect, printJson, withClientErrors } from "../client/client-command.ts";
import { clientCell, hostsCell } from "../client/session-render.ts";
import { ago, textTable } from "../client/text-table.ts";
import { type CliCommand, ExitCode, parseOptions } from "../command.ts";

export const queueCommand: CliCommand = {
  name: "queue",
  summary: "Show the queue: active sessions and their hosts, then waiting ones in the order they will be served, with why they wait",
  options: clientOptions,
  async run({ values, env, io, signal }) {
    const options = parseOptions(clientOptions, values);
    return withClientErrors("queue", io, signal, async () => {
      const sessions = await connect(options, env).sessions();
      if (options.json) printJson(io, sessions);
      else io.stdout(queueTable(sessions, Date.now()));
      return ExitCode.ok;
    });
  },
};

export function queueTable(sessions: readonly SessionListItem[], now: number): string {
  const active = sessions.filter((session) => session.state === "active");
  const waiting = sessions.filter((session) => session.state === "waiting");
  const heading = `${active.length} active, ${waiting.length} waiting\n`;
  if (sessions.length === 0) return heading;
  return (
    heading +
    textTable(
      ["POS", "SESSION", "STATE", "PRIO", "HOSTS", "CLIENT", "SINCE", "WAITING BECAUSE"],
      [...active, ...waiting].map((session) => [
        session.queue_position === null ? "-" : String(session.queue_position),
        session.id,
        session.state,
        String(session.priority),
        hostsCell(session),
        clientCell(session),
        ago(session.activated_at ?? session.created_at, now),
        session.wait_reason ?? "",
      ]),
    )
  );
}
