import { z } from "zod";
import type { RunOptions } from "../../client/place.ts";
import { clientOptions, sessionOption } from "../../config/client-options.ts";
import { type OptionTable, switchOption } from "../../config/option-spec.ts";
import { secondsSchema } from "../../config/value-schemas.ts";
import { connect, printJson, requireSessionId, withClientErrors } from "../client/client-command.ts";
import { failureReason, printOutput } from "../client/job-render.ts";
import { resolveJobTarget } from "../client/job-target.ts";
import { stateCell } from "../client/session-render.ts";
import { type CliCommand, ExitCode, parseOptions, UsageError } from "../command.ts";

/** A foreground job's bound when none is given, as the API has it. */
const FOREGROUND_TIMEOUT_S = 60;

const runOptions = {
  ...clientOptions,
  ...sessionOption,
  lab: {
    flag: "lab",
    kind: "string",
    placeholder: "LAB_ID",
    description: "The lab whose node TARGET is (when several labs have it)",
    schema: z.string().min(1).optional(),
  },
  shell: switchOption({ flag: "shell", description: "Run CMD… as one command line through sh -c (pipes, globs, &&)" }),
  background: switchOption({ flag: "background", description: "Start the job, print its id and return (no timeout unless --timeout)" }),
  timeout: {
    flag: "timeout",
    short: "t",
    kind: "string",
    placeholder: "SECONDS",
    description: "Kill the job after this long",
    schema: secondsSchema.optional(),
    // Depends on --background, so the command applies it.
    impliedDefault: FOREGROUND_TIMEOUT_S,
    defaultText: "none in the background",
  },
  expectFailure: switchOption({ flag: "expect-failure", description: "The job passes when the command fails" }),
  cwd: { flag: "cwd", kind: "string", placeholder: "DIR", description: "Working folder on the host", schema: z.string().min(1).optional() },
  env: {
    flag: "env",
    kind: "list",
    placeholder: "KEY=VALUE",
    description: "An environment variable for the command",
    schema: z
      .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*=/, "expected KEY=VALUE"))
      .transform((pairs) => Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]))),
    default: [],
  },
  netns: {
    flag: "netns",
    kind: "string",
    placeholder: "NAME",
    description: "A network namespace on the host to run in",
    schema: z.string().min(1).optional(),
  },
  description: {
    flag: "description",
    short: "d",
    kind: "string",
    placeholder: "TEXT",
    description: "What the job checks, shown in the session summary",
    schema: z.string().max(500).optional(),
  },
} satisfies OptionTable;

export const runCommand: CliCommand = {
  name: "run",
  summary: "Run a command on a role's host or in a lab node; exit 0 if it passed, 1 if not",
  positionals: "ROLE|NODE -- CMD…",
  options: runOptions,
  details: [
    "The output is streamed as it happens (stdout to stdout, stderr to stderr); with --json the job is printed when it has finished.",
    "Interrupting (Ctrl-C) kills the job on the host.",
    "Examples:  labbroker run m1 -- ip -br link      labbroker run a -- ping -c 3 10.0.2.3",
    "           labbroker run m1 --shell -- 'ip -j link | head -c 200'",
  ].join("\n"),
  async run({ values, positionals, env, io, signal }) {
    const [target, ...command] = positionals;
    if (!target || command.length === 0) throw new UsageError("expected ROLE|NODE -- CMD…");
    const options = parseOptions(runOptions, values);
    const broker = connect(options, env);
    const sessionId = requireSessionId(options.session);
    return withClientErrors("run", io, signal, async () => {
      await using session = await broker.attach(sessionId);
      if (session.state !== "active") {
        io.stderr(`labbroker run: session ${session.id} is ${stateCell(session.view)}; jobs run once it is active\n`);
        return ExitCode.failed;
      }
      const place = await resolveJobTarget(session, target, options.lab);
      const timeoutS = options.timeout ?? (options.background ? undefined : FOREGROUND_TIMEOUT_S);
      const runOptions: RunOptions = {
        // Always started in the background so its output can be followed while it runs; the timeout keeps foreground semantics.
        background: true,
        ...(timeoutS !== undefined ? { timeoutS } : {}),
        expectFailure: options.expectFailure,
        ...(options.cwd ? { cwd: options.cwd } : {}),
        ...(Object.keys(options.env).length > 0 ? { env: options.env } : {}),
        ...(options.netns ? { netns: options.netns } : {}),
        ...(options.description ? { description: options.description } : {}),
      };
      const job = await place.run(options.shell ? command.join(" ") : command, runOptions);
      if (options.background) {
        if (options.json) printJson(io, job.view);
        else io.stdout(`Job ${job.id} started in the background (number ${job.view.number})\n`);
        return ExitCode.ok;
      }
      const killOnInterrupt = () => void job.kill().catch(() => {});
      signal.addEventListener("abort", killOnInterrupt, { once: true });
      try {
        if (!options.json) { for await (const chunk of job.output({ signal })) printOutput(io, chunk); }
        await job.wait(undefined, signal);
      } finally {
        signal.removeEventListener("abort", killOnInterrupt);
      }
      // The job ran in the background on the host only so its output could be followed: for the caller it ran in the foreground.
      if (options.json) printJson(io, { ...job.view, background: false });
      else if (!job.passed) io.stderr(`labbroker run: job ${job.view.number} failed: ${failureReason(job.view)}\n`);
      return job.passed ? ExitCode.ok : ExitCode.failed;
    });
  },
};
