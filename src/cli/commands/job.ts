import { z } from "zod";
import { clientOptions, sessionOption, waitTimeoutOption } from "../../config/client-options.ts";
import { type OptionTable, switchOption } from "../../config/option-spec.ts";
import { SIGNALS } from "../../protocol/job-work.ts";
import { connect, printJson, requireSessionId, withClientErrors } from "../client/client-command.ts";
import { failureReason, jobsTable, printOutput, verdict } from "../client/job-render.ts";
import { type CliCommand, ExitCode, parseOptions, UsageError } from "../command.ts";

const jobOptions = {
  ...clientOptions,
  ...sessionOption,
  follow: switchOption({ flag: "follow", short: "f", description: "logs: keep printing until the job has finished" }),
  signal: {
    flag: "signal",
    kind: "string",
    placeholder: "SIGNAL",
    description: `kill: ${SIGNALS.join(", ")}`,
    schema: z.enum(SIGNALS).optional(),
    // The broker's default: the request leaves the signal out.
    impliedDefault: "SIGKILL",
  },
  ...waitTimeoutOption,
} satisfies OptionTable;

const ACTIONS = ["list", "logs", "wait", "kill"] as const;

export const jobCommand: CliCommand = {
  name: "job",
  summary: "List a session's jobs with PASS/FAIL, print a job's output, wait for one or kill it",
  positionals: "list | logs JOB_ID | wait JOB_ID | kill JOB_ID",
  options: jobOptions,
  details: [
    "list   the jobs of --session / $LABBROKER_SESSION (an ended session's too), by host and number",
    "logs   the job's stdout (to stdout) and stderr (to stderr) so far; --follow until it has finished",
    "wait   until the job has finished: exit 0 if it passed, 1 if not, 3 after --wait-timeout (the job keeps running)",
    "kill   signal the job's whole process tree (--signal, default SIGKILL); a finished job is left alone",
    "",
    "Exit codes: 0 ok (wait: passed), 1 failed, not passed or unknown job, 2 usage, 3 --wait-timeout passed.",
  ].join("\n"),
  async run({ values, positionals, env, io, signal }) {
    const [action, jobId, ...extra] = positionals;
    if (!action || !(ACTIONS as readonly string[]).includes(action)) {
      throw new UsageError(`expected one of ${ACTIONS.join(", ")}${action ? `, not "${action}"` : ""}`);
    }
    if (action !== "list" && !jobId) throw new UsageError(`job ${action} needs the JOB_ID (see 'labbroker job list')`);
    const unexpected = action === "list" ? jobId : extra[0];
    if (unexpected !== undefined) throw new UsageError(`unexpected argument "${unexpected}"`);
    const options = parseOptions(jobOptions, values);
    const broker = connect(options, env);
    const sessionId = action === "list" ? requireSessionId(options.session) : "";
    return withClientErrors(`job ${action}`, io, signal, async () => {
      if (action === "list") {
        const jobs = (await broker.sessionJobs(sessionId)).map((job) => job.view);
        if (options.json) printJson(io, jobs);
        else io.stdout(jobs.length ? jobsTable(jobs) : `Session ${sessionId} has no jobs\n`);
        return ExitCode.ok;
      }
      const job = await broker.job(jobId!);
      if (action === "logs") {
        for await (const chunk of job.output({ follow: options.follow, signal })) printOutput(io, chunk);
        return ExitCode.ok;
      }
      if (action === "kill") {
        const outcome = await job.kill(options.signal);
        if (options.json) printJson(io, outcome);
        else io.stdout(`${outcome.message}\n`);
        return ExitCode.ok;
      }
      await job.wait(options.waitTimeout, signal);
      if (options.json) printJson(io, job.view);
      else io.stdout(job.passed ? `Job ${job.id} ${verdict(job.view)}\n` : `Job ${job.id} FAIL: ${failureReason(job.view)}\n`);
      return job.passed ? ExitCode.ok : ExitCode.failed;
    });
  },
};
