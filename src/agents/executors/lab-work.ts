import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { SESSION_MARKER_VARIABLE as SESSION_MARKER } from "../../hosts/health/session-leftovers.ts";
import { resolveInside } from "../../hosts/files.ts";
import type { LabRuntime, LabSpec } from "../../hosts/lab-runtime.ts";
import type { ExecutionContext, WorkExecutor } from "./work-executor.ts";

const DESTROY_TIMEOUT_MS = 10 * 60_000;

function labContext(context: ExecutionContext<"deploy-lab" | "destroy-lab" | "reset-lab">): { runtime: LabRuntime; spec: LabSpec } {
  const { payload } = context;
  const runtime = context.services.runtimes[payload.runtime];
  if (!runtime) throw new Error(`This host does not offer runtime ${payload.runtime}`);
  return {
    runtime,
    spec: {
      labId: context.work.lab_id ?? "",
      instanceName: payload.instance_name,
      workDir: resolveInside(join(context.workDir, "labs"), payload.instance_name),
      topologyFile: payload.topology_file ?? "",
      ...(payload.multilab_id !== null ? { multilabId: payload.multilab_id } : {}),
      timeoutMs: "timeout_ms" in payload ? payload.timeout_ms : DESTROY_TIMEOUT_MS,
      ...("keep_baseline" in payload && payload.keep_baseline ? { keepBaseline: true } : {}),
    },
  };
}

/**
 * Fetches the lab's files into its own folder and deploys it. A deploy cut off by an agent restart
 * is not resumed: what it left is destroyed and the lab reported failed.
 */
export const deployLab: WorkExecutor<"deploy-lab"> = (context) =>
  context.services.serializeLabOperation(async () => {
    const { runtime, spec } = labContext(context);
    if (context.interrupted) {
      context.output({ stream: "info", text: "the agent restarted during this deploy; removing what it left" });
      await runtime.destroy(spec, context.output);
      throw new Error("The agent restarted while deploying this lab; the partial deployment was removed");
    }
    rmSync(spec.workDir, { recursive: true, force: true });
    mkdirSync(spec.workDir, { recursive: true, mode: 0o750 });
    for (const file of await context.services.fetchLabFiles(spec.labId)) {
      const target = resolveInside(spec.workDir, file.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.content);
    }
    context.output({ stream: "info", text: `deploying ${spec.instanceName} with ${runtime.name}` });
    const nodes = await runtime.deploy(spec, context.output, context.signal);
    return { nodes };
  });

/** Destroys a lab (or an orphaned instance) and removes its folder; destroying what is gone succeeds. */
export const destroyLab: WorkExecutor<"destroy-lab"> = (context) =>
  context.services.serializeLabOperation(async () => {
    const { runtime, spec } = labContext(context);
    await runtime.destroy({ ...spec, timeoutMs: Math.max(spec.timeoutMs, DESTROY_TIMEOUT_MS) }, context.output);
    rmSync(spec.workDir, { recursive: true, force: true });
    return { destroyed: spec.instanceName };
  });

/**
 * Resets a lab no session holds any more to its deployed baseline (it goes warm), once the jobs of
 * the session that released it have ended. An interrupted reset simply runs again.
 */
export const resetLab: WorkExecutor<"reset-lab"> = (context) =>
  context.services.serializeLabOperation(async () => {
    const sessionId = context.payload.session_id;
    const { runtime, spec } = labContext(context);
    if (!runtime.reset) throw new Error(`Runtime ${runtime.name} cannot reset a lab to its deployed baseline`);
    if (sessionId !== null) await context.services.jobs.settledWhere((job) => job.env?.[SESSION_MARKER] === sessionId);
    context.output({ stream: "info", text: `resetting ${spec.instanceName} to its deployed baseline` });
    return { nodes: await runtime.reset(spec, context.output, context.signal) };
  });
