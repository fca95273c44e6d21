import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { lastLines, resolveExecutable, runCommand, type RunningCommand, type RunResult, startCommand } from "../../command-runner.ts";
import type { OutputSink } from "../../lab-runtime.ts";
import { NODE_PATH } from "../node-exec.ts";
import type { FrrNodeFiles } from "./frr-config-load.ts";
import { FRR_DAEMON_DIR, FRR_INIT, type FrrRecord } from "./frr-paths.ts";

/**
 * Starts each FRR node's own instance inside its namespace, the way FRR's container image does
 * (`frrinit.sh start`, which runs watchfrr, which starts the daemons and loads frr.conf with
 * `vtysh -b`), with `-N <pathspace>` so that many instances share the host. The daemons detach
 * from the command that started them: they belong to the node, live until destroy kills the
 * processes of its namespace, and survive the agent. A node whose configuration does not parse or
 * whose daemons do not all run fails the deploy with FRR's own words.
 */

export interface FrrStartPlan {
  node: string;
  namespace: string;
  frr: FrrRecord;
  files: FrrNodeFiles;
}

interface Bounds {
  deadline: number;
  signal: AbortSignal;
}

const POLL_MS = 20;
/** How long an instance may take to start (all its daemons up) once its options and configuration passed their dry runs. */
const STARTUP_MS = 30_000;

export async function startFrrInstances(plans: readonly FrrStartPlan[], output: OutputSink, bounds: Bounds): Promise<void> {
  if (plans.length === 0) return;
  const vtysh = resolveExecutable("vtysh", NODE_PATH);
  if (!vtysh.includes("/") || !existsSync(FRR_INIT)) {
    throw new Error(`FRR is not installed on this host (need vtysh and ${FRR_INIT}; on Debian: apt-get install frr)`);
  }
  // Settled, not raced: a failed deploy is torn down, and no start may still be running then.
  const settled = await Promise.allSettled(plans.map((plan) => startInstance(plan, vtysh, output, bounds)));
  const failures = settled.flatMap((outcome) => (outcome.status === "rejected" ? [(outcome.reason as Error).message] : []));
  if (failures.length > 0) throw new Error(failures.join("\n"));
}

async function startInstance(plan: FrrStartPlan, vtysh: string, output: OutputSink, bounds: Bounds): Promise<void> {
  const { frr, node } = plan;
  const missing = plan.files.daemons.enabled.filter((daemon) => !existsSync(join(FRR_DAEMON_DIR, daemon)));
  if (missing.length > 0) {
    throw new Error(
      `node ${node}: the daemons file enables ${missing.join(", ")}, which this host's FRR does not have (${FRR_DAEMON_DIR})`,
    );
  }
  writeInstanceFiles(plan, vtysh);
  await checked(node, "chown", await run(["chown", "-R", "frr:frr", frr.configDir], bounds));
  const dryRun = await run([vtysh, "-N", frr.pathspace, "-C"], bounds);
  if (dryRun.code !== 0) {
    throw new Error(`node ${node}: FRR refuses its frr.conf:\n${lastLines((dryRun.stdout + dryRun.stderr).trim(), 12)}`);
  }
  await checkDaemonOptions(plan, bounds);
  // frrinit.sh returns once watchfrr saw every daemon up, so it never returns when one fails: watch for watchfrr's own mark instead.
  const start = startCommand([FRR_INIT, "start", frr.pathspace], runOptions(bounds, plan.namespace));
  try {
    await waitForStart(start, join(frr.runDir, "watchfrr.started"), {
      ...bounds,
      deadline: Math.min(bounds.deadline, performance.now() + STARTUP_MS),
    }, node);
    const status = await run([FRR_INIT, "status", frr.pathspace], bounds, plan.namespace);
    if (status.code !== 0) throw new Error(`node ${node}: FRR daemons failed to start:\n${status.stdout.trim()}`);
    await checked(node, "frrinit.sh start", await start.result);
  } finally {
    start.kill();
  }
  output({
    stream: "info",
    node,
    text: `Started FRR instance ${frr.pathspace} on node ${node}: ${
      ["zebra", ...plan.files.daemons.enabled, "staticd"].filter(unique).join(", ")
    }`,
  });
}

function writeInstanceFiles(plan: FrrStartPlan, vtysh: string): void {
  const { frr, files } = plan;
  mkdirSync(frr.configDir, { recursive: true, mode: 0o750 });
  writeFileSync(join(frr.configDir, "frr.conf"), files.frrConf, { mode: 0o640 });
  writeFileSync(join(frr.configDir, "daemons"), files.daemons.text, { mode: 0o640 });
  writeFileSync(join(frr.configDir, "vtysh.conf"), files.vtyshConf, { mode: 0o640 });
  mkdirSync(frr.binDir, { recursive: true, mode: 0o755 });
  writeFileSync(
    join(frr.binDir, "vtysh"),
    `#!/bin/sh\n# vtysh of node ${plan.node}: its own FRR instance\nexec ${vtysh} -N ${frr.pathspace} "$@"\n`,
    { mode: 0o755 },
  );
}

/** Every daemon's dry run (`-C`) with the options frrinit.sh would give it: bad options fail here, with the daemon's own message. */
async function checkDaemonOptions(plan: FrrStartPlan, bounds: Bounds): Promise<void> {
  // frrcommon.sh reads the (checked) daemons file and builds the command line exactly as frrinit.sh does.
  const script = `. ${FRR_DAEMON_DIR}/frrcommon.sh; eval args="\\$\${1}_options"; exec "$D_PATH/$1" $nsopt -C $frr_global_options $args`;
  const daemons = ["zebra", ...plan.files.daemons.enabled, "staticd"].filter(unique);
  const runs = await Promise.all(
    daemons.map((daemon) =>
      runCommand(["bash", "-c", script, "frr-dry-run", daemon], {
        ...runOptions(bounds, plan.namespace),
        env: { PATH: NODE_PATH, FRR_PATHSPACE: plan.frr.pathspace },
      })
    ),
  );
  const failed = runs.flatMap((
    result,
    index,
  ) => (result.code === 0
    ? []
    : [`${daemons[index]} (exit ${result.code}): ${lastLines((result.stderr + result.stdout).trim().split("\n\n")[0]!, 4)}`])
  );
  if (failed.length > 0) throw new Error(`node ${plan.node}: FRR daemons refuse their options:\n${failed.join("\n")}`);
}

function run(argv: string[], bounds: Bounds, netns?: string): Promise<RunResult> {
  return runCommand(argv, runOptions(bounds, netns));
}

/** In the node's namespace when given; what runs there (the daemons) belongs to the node, not to this command. */
function runOptions(bounds: Bounds, netns: string | undefined) {
  return {
    timeoutMs: Math.max(1, bounds.deadline - performance.now()),
    signal: bounds.signal,
    clearEnv: true,
    env: { PATH: NODE_PATH },
    ...(netns ? { netns, leftovers: "keep" as const } : {}),
  };
}

async function checked(node: string, what: string, result: RunResult): Promise<void> {
  if (result.code === 0 && !result.timedOut && !result.aborted) return;
  const reason = result.timedOut
    ? "did not finish before the deploy timeout"
    : result.aborted
    ? "was aborted"
    : `exited with code ${result.code}`;
  throw new Error(`node ${node}: ${what} ${reason}: ${lastLines((result.stderr + result.stdout).trim(), 8)}`);
}

/** Until watchfrr marks the instance started; frrinit.sh failing first (watchfrr would not start) fails with its output. */
async function waitForStart(start: RunningCommand, startedMark: string, bounds: Bounds, node: string): Promise<void> {
  while (!existsSync(startedMark)) {
    if (start.finished) await checked(node, "frrinit.sh start", await start.result);
    bounds.signal.throwIfAborted();
    if (performance.now() >= bounds.deadline) {
      throw new Error(`node ${node}: FRR did not come up within ${STARTUP_MS / 1000} s (or before the deploy timeout)`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function unique<T>(value: T, index: number, all: readonly T[]): boolean {
  return all.indexOf(value) === index;
}
