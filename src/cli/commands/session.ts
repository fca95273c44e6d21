import { z } from "zod";
import type { RequirementInput, SessionView } from "../../client/api-types.ts";
import type { HostRequirement, LabBroker } from "../../client/broker.ts";
import { ciJobFromEnvironment } from "../../client/ci-job.ts";
import { belongsToSession } from "../../client/lab.ts";
import { topologyFileHash } from "../../client/lab-files.ts";
import type { TopologyHash } from "../../client/warm-lab.ts";
import { clientOptions, sessionOption, waitTimeoutOption } from "../../config/client-options.ts";
import { compatRequirementSchema } from "../../config/compat-requirement.ts";
import { type OptionTable, type OptionValues, switchOption } from "../../config/option-spec.ts";
import { SESSION_STATES } from "../../engine/model.ts";
import { connect, printJson, requireSessionId, withClientErrors } from "../client/client-command.ts";
import { clientCell, hostsCell, sessionDetails, stateCell } from "../client/session-render.ts";
import { printSessionSummary } from "../client/session-summary.ts";
import { shellExitLine, shellQuote } from "../client/shell-quote.ts";
import { ago, textTable } from "../client/text-table.ts";
import { waitLine } from "../client/wait-line.ts";
import { runKeeper, startKeeper } from "../keeper/keeper-process.ts";
import { systemClock } from "../../clock.ts";
import { type CliCommand, type CommandInput, ExitCode, parseOptions, UsageError } from "../command.ts";

const textSchema = z.string().min(1).max(200).optional();

const sessionOptions = {
  ...clientOptions,
  ...sessionOption,
  require: {
    flag: "require",
    short: "r",
    kind: "list",
    placeholder: "[ROLE:]KEY=VALUE,…",
    description: "create: a host the session needs (labels, runtime=R, host=NAME); repeat for more hosts",
    schema: z.array(z.string()),
    default: [],
  },
  warmLab: {
    flag: "warm-lab",
    kind: "list",
    placeholder: "[ROLE:]FILE",
    description: "create: the topology the role's lab will deploy; a host holding a warm lab of it is preferred (default role: the first)",
    schema: z.array(z.string()),
    default: [],
  },
  // The broker's default: the request leaves it out.
  priority: {
    flag: "priority",
    kind: "string",
    placeholder: "N",
    description: "create: -1000 to 1000, higher goes first",
    schema: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(-1000).max(1000).optional(),
    impliedDefault: 0,
  },
  clientName: {
    flag: "client-name",
    env: "LABBROKER_CLIENT_NAME",
    kind: "string",
    placeholder: "NAME",
    description: "create: who asks, shown in the queue",
    schema: textSchema,
  },
  ciJobUrl: {
    flag: "ci-job-url",
    env: "CI_JOB_URL",
    kind: "string",
    placeholder: "URL",
    description: "create: the CI job's URL, shown in the queue",
    schema: z.string().url().optional(),
  },
  ciJobId: {
    flag: "ci-job-id",
    env: "CI_JOB_ID",
    kind: "string",
    placeholder: "ID",
    description: "create: the CI job's id",
    schema: textSchema,
  },
  idempotencyKey: {
    flag: "idempotency-key",
    kind: "string",
    placeholder: "KEY",
    description: "create: a retry with the same key returns the same session",
    schema: textSchema,
  },
  strict: switchOption({ flag: "strict", description: "create: refuse a session no registered host could ever serve" }),
  noWait: switchOption({ flag: "no-wait", description: "create: print the session at once instead of waiting until it is active" }),
  ...waitTimeoutOption,
  shell: switchOption({
    flag: "shell",
    description: "create: print 'export LABBROKER_SESSION=…' lines for eval, and start a keeper (see keepalive)",
  }),
  noKeeper: switchOption({ flag: "no-keeper", description: "create --shell: start no keeper" }),
  watch: {
    flag: "watch",
    kind: "string",
    placeholder: "PID",
    description: "create --shell, keepalive: the process whose end ends the session",
    schema: z.coerce.number({ error: "must be a process id" }).int("must be a process id").min(2, "must be a process id").optional(),
    defaultText: "the CI job's",
  },
  foreground: switchOption({ flag: "foreground", description: "keepalive: be the keeper in this process instead of starting one" }),
  state: {
    flag: "state",
    kind: "string",
    placeholder: "STATE",
    description: "list: waiting, active or ended",
    schema: z.enum(SESSION_STATES).optional(),
    defaultText: "waiting and active",
  },
  // The broker's default: the request leaves it out.
  limit: {
    flag: "limit",
    kind: "string",
    placeholder: "N",
    description: "list: at most this many",
    schema: z.coerce.number().int().min(1).max(1000).optional(),
    impliedDefault: 100,
  },
  search: {
    flag: "search",
    short: "q",
    kind: "string",
    placeholder: "TEXT",
    description: "list: only sessions whose id, client, CI job id, end reason or host name contains TEXT",
    schema: textSchema,
  },
  chronological: switchOption({
    flag: "chronological",
    description: "summary: one line per job and result in time order, instead of per host",
  }),
} satisfies OptionTable;
type SessionOptions = OptionValues<typeof sessionOptions>;

const ACTIONS = ["create", "show", "list", "end", "summary", "keepalive", "manifest"] as const;

export const sessionCommand: CliCommand = {
  name: "session",
  summary: "Create, show, list, end or keep alive sessions, their job summaries and manifests (for CI shells and people)",
  positionals: "create | show [ID] | list | end [ID] | summary [ID] | keepalive [ID] | manifest [ID]",
  options: sessionOptions,
  details: [
    "create   queue a session and wait until it is active (a live line shows position and reason);",
    '         with --shell print export lines: eval "$(labbroker session create --shell)"; when it fails,',
    "         it prints a line that makes the evaluating script exit with the same code (3 after --wait-timeout)",
    "show     one session; ID defaults to --session / $LABBROKER_SESSION",
    "list     sessions in queue order (or --state ended: newest first)",
    "end      end a session (default $LABBROKER_SESSION); an ended one is fine, for always-run CI steps",
    "summary  every job per host with PASS/FAIL and why it failed (--chronological: in time order); exit 1 if any failed",
    "keepalive  start a keeper for a session (default $LABBROKER_SESSION): a detached process that sends",
    "         heartbeats while the CI job lives and ends the session within seconds once it is gone",
    "         (the job's shell; under GitHub Actions the runner's worker for the whole job; or --watch PID).",
    "         create --shell starts one too (--no-keeper: none). A keeper stopped with SIGTERM ends the session.",
    "manifest print the session's reproducibility manifest (JSON): hosts, labs, jobs, device changes, timeline, CI job",
    "",
    "--require examples: -r site=lab1   -r m1:runtime=netlab -r m2:nic=mlx5   -r host=lab-3",
    "--warm-lab examples: --warm-lab line3.clab.yml   -r m1:site=lab1 -r m2:site=lab2 --warm-lab m2:line3.clab.yml",
    "         (the file's SHA-256 is sent: a host holding a warm lab of it, see 'lab up --keep-warm', is preferred)",
    "Exit codes: 0 ok, 1 failed or refused (summary: a job or result failed), 2 usage, 3 --wait-timeout passed (the session is cancelled).",
  ].join("\n"),
  async run(input) {
    const [action, id, ...extra] = input.positionals;
    if (!action || !(ACTIONS as readonly string[]).includes(action)) {
      throw new UsageError(`expected one of ${ACTIONS.join(", ")}${action ? `, not "${action}"` : ""}`);
    }
    if (extra.length > 0 || (id !== undefined && (action === "create" || action === "list"))) {
      throw new UsageError(`unexpected argument "${extra[0] ?? id}"`);
    }
    const perform = () => {
      const options = parseOptions(sessionOptions, input.values);
      const broker = connect(options, input.env);
      return withClientErrors(`session ${action}`, input.io, input.signal, () => {
        if (action === "create") return createSession(broker, options, input);
        if (action === "list") return listSessions(broker, options, input);
        if (action === "show") return showSession(broker, id ?? requireSessionId(options.session), options, input);
        if (action === "summary") {
          return printSessionSummary(
            broker,
            id ?? requireSessionId(options.session),
            options.chronological ? "chronological" : "hosts",
            options.json,
            input.io,
          );
        }
        if (action === "keepalive") return keepAlive(broker, id ?? requireSessionId(options.session), options, input);
        if (action === "manifest") return printManifest(broker, id ?? requireSessionId(options.session), input);
        return endSession(broker, id ?? options.session, options, input);
      });
    };
    return action === "create" && input.values.shell === true ? failingShellOnError(input, perform) : perform();
  },
};

/**
 * `eval "$(labbroker session create --shell)"` sees only stdout: when create fails, empty output
 * would let the script carry on without a session. Print a line that stops it with the exit code
 * instead (the message itself still goes to stderr).
 */
async function failingShellOnError({ io }: CommandInput, perform: () => Promise<number>): Promise<number> {
  const code = await perform().catch((error: unknown) => {
    io.stdout(shellExitLine(error instanceof UsageError ? ExitCode.usage : ExitCode.failed));
    throw error;
  });
  if (code !== ExitCode.ok) io.stdout(shellExitLine(code));
  return code;
}

async function createSession(broker: LabBroker, options: SessionOptions, input: CommandInput): Promise<number> {
  const { io, signal, env } = input;
  // What the flags (and CI_JOB_URL / CI_JOB_ID) say wins over what the CI system's own variables say.
  const given = Object.entries({ name: options.clientName, ci_job_url: options.ciJobUrl, ci_job_id: options.ciJobId }).filter(([, value]) =>
    value !== undefined
  );
  const client = { ...ciJobFromEnvironment(env), ...Object.fromEntries(given) };
  const line = waitLine(io, systemClock);
  const hosts: Record<string, HostRequirement> = Object.fromEntries(
    options.require.map(parseRequirement).map(({ role, ...rest }, index) => [role ?? `m${index + 1}`, rest]),
  );
  for (const text of options.warmLab) addWarmLab(hosts, text);
  const session = await broker.session({
    hosts,
    ...(options.priority !== undefined ? { priority: options.priority } : {}),
    client,
    ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
    strict: options.strict,
    wait: !options.noWait,
    onWait: line.report,
    onReconnect: line.lost,
    timeoutS: options.waitTimeout,
    signal,
  }).finally(line.finish);
  // The session outlives this command: later commands (and SDK clients attaching to it) keep it alive.
  session.detach();
  if (options.shell) {
    io.stdout(`export LABBROKER_URL=${shellQuote(broker.url)}\nexport LABBROKER_SESSION=${shellQuote(session.id)}\n`);
    if (!options.noKeeper) {
      startKeeper(broker, { sessionId: session.id, watchPid: options.watch, ciSystem: session.view.client.ci_system }, input);
    }
  } else if (options.json) printJson(io, session.view);
  else io.stdout(`Session ${session.id} ${stateCell(session.view)}\n${hostsCell(session.view) ? `  ${hostsCell(session.view)}\n` : ""}`);
  return ExitCode.ok;
}

async function listSessions(broker: LabBroker, options: SessionOptions, { io }: CommandInput): Promise<number> {
  const sessions = await broker.sessions({
    ...(options.state ? { state: options.state } : {}),
    ...(options.limit ? { limit: options.limit } : {}),
    ...(options.search ? { q: options.search } : {}),
  });
  if (options.json) printJson(io, sessions);
  else if (sessions.length === 0) io.stdout(options.state ? `No ${options.state} sessions\n` : "No waiting or active sessions\n");
  else {
    const now = Date.now();
    io.stdout(
      textTable(
        ["SESSION", "STATE", "HOSTS", "CLIENT", "CREATED"],
        sessions.map((session) => [session.id, stateCell(session), hostsCell(session), clientCell(session), ago(session.created_at, now)]),
      ),
    );
  }
  return ExitCode.ok;
}

async function showSession(broker: LabBroker, id: string, options: SessionOptions, { io }: CommandInput): Promise<number> {
  const session = await broker.getSession(id);
  const labs = session.state === "ended" ? [] : (await broker.labs({ limit: 1000 })).filter((lab) => belongsToSession(lab, id));
  if (options.json) printJson(io, { ...session, labs });
  else io.stdout(sessionDetails(session, labs, Date.now()));
  return ExitCode.ok;
}

async function endSession(broker: LabBroker, id: string | undefined, options: SessionOptions, { io }: CommandInput): Promise<number> {
  if (!id) {
    // An always-run CI step after a failed 'session create' has nothing to end; that is not an error.
    io.stderr("labbroker session end: no session given (--session / LABBROKER_SESSION): nothing to end\n");
    return ExitCode.ok;
  }
  const before = await broker.getSession(id);
  const ended: SessionView = before.state === "ended" ? before : await broker.endSession(id);
  if (options.json) printJson(io, ended);
  else {io.stdout(
      before.state === "ended" ? `Session ${id} had already ended (${ended.end_reason})\n` : `Session ${id} ended (${ended.end_reason})\n`,
    );}
  return ExitCode.ok;
}

async function printManifest(broker: LabBroker, sessionId: string, { io }: CommandInput): Promise<number> {
  printJson(io, await broker.sessionManifest(sessionId));
  return ExitCode.ok;
}

async function keepAlive(broker: LabBroker, sessionId: string, options: SessionOptions, input: CommandInput): Promise<number> {
  const request = { sessionId, watchPid: options.watch, ciSystem: ciJobFromEnvironment(input.env).ci_system };
  if (options.foreground) return runKeeper(broker, request, input);
  const session = await broker.getSession(sessionId);
  if (session.state === "ended") {
    input.io.stderr(`labbroker session keepalive: session ${sessionId} has ended (${session.end_reason})\n`);
    return ExitCode.failed;
  }
  startKeeper(broker, request, input);
  return ExitCode.ok;
}

/** `[ROLE:]FILE`: the role's requirement (the first one's by default, m1 without --require) names the topology's hash. */
function addWarmLab(hosts: Record<string, HostRequirement>, text: string): void {
  const roles = Object.keys(hosts);
  const prefix = /^([^:]+):(.+)$/.exec(text);
  const [role, file] = prefix && roles.includes(prefix[1]!) ? [prefix[1]!, prefix[2]!] : [roles[0] ?? "m1", text];
  let warmLab: TopologyHash;
  try {
    warmLab = topologyFileHash(file);
  } catch (error) {
    throw new UsageError(`invalid --warm-lab "${text}": ${error instanceof Error ? error.message : String(error)}`);
  }
  hosts[role] = { ...hosts[role], warmLab };
}

/** `[ROLE:]KEY=VALUE,…`: the role is optional, the pairs are labels except runtime= and host=. */
function parseRequirement(text: string): RequirementInput {
  const match = /^([A-Za-z][A-Za-z0-9_.-]{0,31}):(.*)$/.exec(text);
  const role = match?.[1];
  const pairs = (match ? match[2]! : text).split(",").filter(Boolean);
  const parsed = compatRequirementSchema.safeParse(pairs);
  if (!parsed.success) {
    throw new UsageError(`invalid --require "${text}": ${parsed.error.issues[0]?.message ?? "expected [ROLE:]KEY=VALUE,…"}`);
  }
  const { labels, runtime, host } = parsed.data;
  return { ...(role ? { role } : {}), labels, ...(runtime ? { runtime } : {}), ...(host ? { host } : {}) };
}
