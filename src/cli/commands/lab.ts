import { z } from "zod";
import type { LabView } from "../../client/api-types.ts";
import type { LabBroker } from "../../client/broker.ts";
import { LabBrokerError } from "../../client/errors.ts";
import { readLabFiles } from "../../client/lab-files.ts";
import type { Session } from "../../client/session.ts";
import { clientOptions, sessionOption, waitTimeoutOption } from "../../config/client-options.ts";
import { type OptionTable, type OptionValues, switchOption } from "../../config/option-spec.ts";
import { RUNTIMES } from "../../protocol/runtimes.ts";
import { connect, printJson, requireSessionId, withClientErrors } from "../client/client-command.ts";
import { labSummary, logLine } from "../client/lab-render.ts";
import { type CliCommand, type CommandInput, ExitCode, parseOptions, UsageError } from "../command.ts";

const labOptions = {
  ...clientOptions,
  ...sessionOption,
  extra: {
    flag: "extra",
    short: "e",
    kind: "list",
    placeholder: "PATH",
    description: "up: a file or folder to upload next to the topology (kept relative to the topology's folder)",
    schema: z.array(z.string()),
    default: [],
  },
  reuse: switchOption({
    flag: "reuse",
    description: "up: attach to a running lab with the same topology and files instead of deploying a new one",
  }),
  keepWarm: switchOption({
    flag: "keep-warm",
    description:
      "up: once no session holds the lab, reset it and keep it deployed for the next session with the same topology (native runtime)",
  }),
  runtime: {
    flag: "runtime",
    kind: "string",
    placeholder: "RUNTIME",
    description: `up: ${RUNTIMES.join(", ")}`,
    schema: z.enum(RUNTIMES).optional(),
    defaultText: "chosen from the topology and the host",
  },
  role: {
    flag: "role",
    kind: "string",
    placeholder: "ROLE",
    description: "up: whose host runs the lab",
    schema: z.string().min(1).max(32).optional(),
    defaultText: "the session's first role",
  },
  release: switchOption({ flag: "release", description: "down: only drop this session's hold; the lab keeps running for reuse" }),
  follow: switchOption({ flag: "follow", short: "f", description: "logs: keep printing until the lab is running, failed or gone" }),
  ...waitTimeoutOption,
} satisfies OptionTable;
type LabOptions = OptionValues<typeof labOptions>;

export const labCommand: CliCommand = {
  name: "lab",
  summary: "Deploy a topology in the session (streaming the deploy log), or take labs down",
  positionals: "up TOPOLOGY | down [LAB_ID] | logs LAB_ID",
  options: labOptions,
  details: [
    "up     deploy TOPOLOGY (containerlab, netlab or the native runtime) and wait until it runs; exit 1 if it fails;",
    "       a warm lab of the same topology and files on the host is taken at once, without a deploy",
    "down   destroy LAB_ID, or every live lab of the session, and wait until they are gone (--release: drop the hold only)",
    "logs   the deploy and destroy log of LAB_ID (any lab, no session needed), then its error if it failed; --follow while it deploys",
    "",
    "Exit codes: 0 ok, 1 failed, 2 usage, 3 --wait-timeout passed.",
  ].join("\n"),
  async run(input) {
    const [action, argument, ...extra] = input.positionals;
    if (action !== "up" && action !== "down" && action !== "logs") {
      throw new UsageError(`expected "up TOPOLOGY", "down [LAB_ID]" or "logs LAB_ID"${action ? `, not "${action}"` : ""}`);
    }
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    if (action === "up" && !argument) throw new UsageError("lab up needs the TOPOLOGY file");
    if (action === "logs" && !argument) throw new UsageError("lab logs needs the LAB_ID (see 'labbroker session show')");
    const options = parseOptions(labOptions, input.values);
    const broker = connect(options, input.env);
    if (action === "logs") {
      return withClientErrors("lab logs", input.io, input.signal, () => labLogs(broker, argument!, options.follow, input));
    }
    const sessionId = requireSessionId(options.session);
    return withClientErrors(`lab ${action}`, input.io, input.signal, async () => {
      await using session = await broker.attach(sessionId);
      return action === "up" ? labUp(session, argument!, options, input) : labDown(session, argument, options, input);
    });
  },
};

async function labUp(session: Session, topologyPath: string, options: LabOptions, { io, signal }: CommandInput): Promise<number> {
  let files: ReturnType<typeof readLabFiles>;
  try {
    files = readLabFiles(topologyPath, options.extra);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const lab = await session
    .lab(files.topology, {
      ...files,
      reuse: options.reuse,
      keepWarm: options.keepWarm,
      ...(options.runtime ? { runtime: options.runtime } : {}),
      ...(options.role ? { role: options.role } : {}),
      onLog: (chunk) => io.stderr(logLine(chunk)),
      timeoutS: options.waitTimeout,
      signal,
    })
    .catch(async (error: unknown) => {
      throw await explainBusy(session, error);
    });
  if (options.json) printJson(io, lab.view);
  else io.stdout(labSummary(lab.view));
  return ExitCode.ok;
}

async function labLogs(broker: LabBroker, labId: string, follow: boolean, { io, signal }: CommandInput): Promise<number> {
  const lab = await broker.lab(labId);
  for await (const chunk of lab.logs({ follow, signal })) io.stdout(logLine(chunk));
  const settled = follow ? await lab.refresh() : lab.view;
  if (settled.error) io.stderr(`lab ${settled.instance_name} ${settled.state}: ${settled.error}\n`);
  return ExitCode.ok;
}

async function labDown(session: Session, labId: string | undefined, options: LabOptions, { io, signal }: CommandInput): Promise<number> {
  const labs = labId ? (await session.labs()).filter((lab) => lab.id === labId) : await session.labs();
  if (labId && labs.length === 0) throw new UsageError(`session ${session.id} has no live lab "${labId}" (see 'labbroker session show')`);
  const results: LabView[] = [];
  for (const lab of labs) {
    results.push(options.release ? await lab.release() : await lab.destroy({ timeoutS: options.waitTimeout, signal }));
    if (!options.json) {
      io.stdout(
        options.release
          ? `Lab ${lab.view.instance_name} released (${lab.view.ref_count} holder(s) left)\n`
          : `Lab ${lab.view.instance_name} destroyed\n`,
      );
    }
  }
  if (options.json) printJson(io, results);
  else if (labs.length === 0) io.stdout(`Session ${session.id} has no live labs\n`);
  return ExitCode.ok;
}

/** A busy host (423) because this session still holds another lab: name that lab and how to let it go. */
async function explainBusy(session: Session, error: unknown): Promise<unknown> {
  if (!(error instanceof LabBrokerError) || error.code !== "locked" || session.state !== "active") return error;
  const held = await session.labs();
  if (held.length === 0) return error;
  const names = held.map((lab) => `${lab.view.instance_name} (id ${lab.id}, ${lab.view.state})`).join(", ");
  const id = held[0]!.id;
  return new LabBrokerError({
    code: error.code,
    status: error.status,
    title: error.title,
    detail:
      `${error.detail}: session ${session.id} holds lab ${names}; destroy it with 'labbroker lab down ${id}', or keep it running for reuse with 'labbroker lab down --release ${id}'`,
  });
}
