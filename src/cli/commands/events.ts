import { z } from "zod";
import type { BrokerEvent } from "../../client/api-types.ts";
import { clientOptions } from "../../config/client-options.ts";
import { type OptionTable, switchOption } from "../../config/option-spec.ts";
import { connect, withClientErrors } from "../client/client-command.ts";
import { type CliCommand, ExitCode, parseOptions, UsageError } from "../command.ts";

const eventsOptions = {
  ...clientOptions,
  follow: switchOption({ flag: "follow", short: "f", description: "Keep printing new events as they happen (until interrupted)" }),
  type: {
    flag: "type",
    short: "t",
    kind: "string",
    placeholder: "TYPE",
    description: "Only this event type (lab.failed) or family (lab)",
    schema: z.string().regex(/^[a-z][a-z0-9.-]{0,63}$/, "expected an event type such as lab.failed, or a family such as lab").optional(),
  },
  // Not the global --session/LABBROKER_SESSION: a CI job's session should not silently narrow what an operator sees.
  session: {
    flag: "session",
    short: "s",
    kind: "string",
    placeholder: "ID",
    description: "Only this session's events",
    schema: z.string().min(1).max(64).optional(),
  },
  limit: {
    flag: "limit",
    short: "n",
    kind: "string",
    placeholder: "N",
    description: "Start with the last N matching events",
    schema: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(0).max(1000),
    default: 20,
    defaultText: "at most 1000",
  },
} satisfies OptionTable;

export const eventsCommand: CliCommand = {
  name: "events",
  summary: "Print the broker's recent events (state changes of sessions, hosts, labs, jobs), or follow them live",
  options: eventsOptions,
  details: [
    "Each line: time, type, the session/host/lab/job it concerns, and its data. --json prints one JSON object per line.",
    "Examples:  labbroker events --type lab.failed -n 5      labbroker events --follow --session $LABBROKER_SESSION",
    "Exit codes: 0 ok, 1 broker unreachable or refused, 2 usage, 130 interrupted (--follow ends that way).",
  ].join("\n"),
  async run({ values, positionals, env, io, signal }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const options = parseOptions(eventsOptions, values);
    const broker = connect(options, env);
    return withClientErrors("events", io, signal, async () => {
      const events = broker.events({
        tail: options.limit,
        follow: options.follow,
        signal,
        ...(options.type ? { type: options.type } : {}),
        ...(options.session ? { sessionId: options.session } : {}),
      });
      for await (const event of events) io.stdout(options.json ? `${JSON.stringify(event)}\n` : eventLine(event));
      return ExitCode.ok;
    });
  },
};

/** `2026-01-01T12:00:00.000Z  lab.failed  session=S lab=L  {"error":"…"}` */
export function eventLine(event: BrokerEvent): string {
  const refs = [["session", event.session_id], ["host", event.host_id], ["lab", event.lab_id], ["job", event.job_id]]
    .filter(([, id]) => id)
    .map(([name, id]) => `${name}=${id}`)
    .join(" ");
  const data = Object.keys(event.data).length ? `  ${JSON.stringify(event.data)}` : "";
  return `${event.at}  ${event.type.padEnd(22)}  ${refs}${data}\n`;
}
