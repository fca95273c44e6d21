import { EXEC_FAILURE_LABEL } from "../../topology/containerlab-model.ts";
import { commandArgv } from "../../topology/shell-words.ts";
import { runCommand } from "../command-runner.ts";
import type { OutputSink } from "../lab-runtime.ts";
import type { ExecResult } from "./lab-record.ts";

/** What one node runs once the lab is up (its `exec` list). */
export interface NodeExecPlan {
  node: string;
  namespace: string;
  commands: string[];
  env: Record<string, string>;
  /** A non-zero exit is logged and the deploy goes on (`labbroker.exec-failure: allow`). */
  failureAllowed: boolean;
}

/**
 * Runs each node's `exec` list inside its namespace once all links exist, like containerlab: nodes
 * in parallel, a node's commands in order. Unlike containerlab, which only logs a non-zero exit, a
 * failing command fails the deploy (a lab that reports running must be set up as written): the node
 * stops at that command, the other nodes finish theirs, then the deploy fails naming every failure.
 * A node labelled `labbroker.exec-failure: allow` keeps containerlab's behaviour. Commands run as
 * root with a clean environment (a fixed PATH, HOME, CLAB_INTFS and the node's env), never the
 * agent's, which may hold secrets.
 */

export const NODE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/** Each stream kept per command in the lab record (the end is kept); the output sink gets everything. */
const KEPT_OUTPUT_CHARS = 4096;

export interface ExecBounds {
  /** `performance.now()` value by which the deploy must be done. */
  deadline: number;
  signal: AbortSignal;
}

export async function runNodeExecs(
  execs: readonly NodeExecPlan[],
  output: OutputSink,
  bounds: ExecBounds,
): Promise<Map<string, ExecResult[]>> {
  // Settled, not raced: a failed deploy is torn down, and no node's command may still be running then.
  const settled = await Promise.allSettled(execs.map(async (plan) => [plan.node, await runNodeCommands(plan, output, bounds)] as const));
  const failures = settled.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason as Error] : []));
  if (failures.length > 0) throw new Error(failures.map((failure) => failure.message).join("; "));
  return new Map(settled.map((outcome) => (outcome as PromiseFulfilledResult<readonly [string, ExecResult[]]>).value));
}

async function runNodeCommands(plan: NodeExecPlan, output: OutputSink, bounds: ExecBounds): Promise<ExecResult[]> {
  const results: ExecResult[] = [];
  for (const command of plan.commands) {
    const { argv } = commandArgv(command);
    const run = await runCommand(["ip", "netns", "exec", plan.namespace, ...argv], {
      timeoutMs: Math.max(1, bounds.deadline - performance.now()),
      signal: bounds.signal,
      clearEnv: true,
      env: { PATH: NODE_PATH, HOME: "/root", ...plan.env },
      // A daemon an exec command starts belongs to the node, as in a container.
      leftovers: "keep",
    });
    if (run.timedOut || run.aborted) {
      throw new Error(
        `exec command ${JSON.stringify(command)} on node ${plan.node} ${
          run.timedOut ? "did not finish before the deploy timeout" : "was aborted"
        }`,
      );
    }
    const verb = run.code === 0 ? "Executed command" : "Failed to execute command";
    output({
      stream: run.code === 0 ? "info" : "stderr",
      node: plan.node,
      text: `${verb} node=${plan.node} command=${JSON.stringify(command)} rc=${run.code}`,
    });
    for (const [stream, text] of [["stdout", run.stdout], ["stderr", run.stderr]] as const) {
      for (const line of text.split("\n").slice(0, -1)) output({ stream, node: plan.node, text: line });
    }
    results.push({
      command,
      argv,
      returnCode: run.code,
      stdout: run.stdout.slice(-KEPT_OUTPUT_CHARS),
      stderr: run.stderr.slice(-KEPT_OUTPUT_CHARS),
    });
    if (run.code !== 0 && !plan.failureAllowed) {
      throw new Error(
        `exec command ${
          JSON.stringify(command)
        } on node ${plan.node} exited with code ${run.code} (label the node ${EXEC_FAILURE_LABEL}: allow to let it fail)`,
      );
    }
  }
  return results;
}
