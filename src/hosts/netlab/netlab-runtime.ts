import { existsSync } from "node:fs";
import { join } from "node:path";
import { netnsExecPrefix, readClabNaming } from "../containerlab/container-naming.ts";
import { ownedLabMarker, removeLabMarker, writeLabMarker } from "../lab-marker.ts";
import type { LabNode } from "../../protocol/lab-node.ts";
import type { LabRuntime, LabSpec, OutputSink, RunningInstance } from "../lab-runtime.ts";
import { LabTool, LabToolError, type LabToolSettings } from "../lab-tool.ts";
import { netlabLabNode, nodeData, nodesData } from "./netlab-nodes.ts";
import { parseAllLabs, parseNodeStatuses } from "./netlab-status.ts";
import { CLAB_CONFIG, NETLAB_LOCK, NETLAB_SNAPSHOT, refuseGeneratedFileName } from "./netlab-work-dir.ts";

// `netlab inspect --node` starts one Python process per node; a few at a time keeps big labs quick without flooding the host.
const INSPECT_CONCURRENCY = 4;

/**
 * Labs run with `netlab up` in the lab's work dir, the cwd of every call (netlab keys everything
 * on it). With `spec.multilabId` the multilab plugin gives the lab its own name (`ml-<id>`) and
 * management subnet (`192.168.<id>.0/24`), so several labs share a host.
 */
export class NetlabRuntime implements LabRuntime {
  readonly name = "netlab";
  readonly #tool: LabTool;
  readonly #labsRoot: string;

  constructor(settings: LabToolSettings) {
    this.#tool = new LabTool("netlab", settings);
    this.#labsRoot = settings.labsRoot;
  }

  async deploy(spec: LabSpec, output: OutputSink, signal: AbortSignal): Promise<LabNode[]> {
    refuseGeneratedFileName(spec.topologyFile);
    // A lab left by a failed deploy locks the folder ("Cannot start another lab in the same directory").
    if (existsSync(join(spec.workDir, NETLAB_LOCK))) await this.destroy(spec, output);
    writeLabMarker(spec, this.name);
    const multilab = spec.multilabId === undefined ? [] : ["--plugin", "multilab", "-s", `defaults.multilab.id=${spec.multilabId}`];
    await this.#tool.run(`netlab up of lab ${spec.instanceName}`, ["up", ...multilab, spec.topologyFile], {
      cwd: spec.workDir,
      timeoutMs: spec.timeoutMs,
      output,
      signal,
    });
    return this.inspect(spec);
  }

  async inspect(spec: LabSpec): Promise<LabNode[]> {
    const call = { cwd: spec.workDir, timeoutMs: this.#tool.queryTimeoutMs };
    // Status first: without a running lab `netlab inspect` would transform ./topology.yml and describe a lab that does not exist.
    const statusAction = `netlab status of lab ${spec.instanceName}`;
    const statuses = parseNodeStatuses(
      await this.#tool.runAllowingExitCode(statusAction, ["status", "--format", "json"], call),
      statusAction,
    );
    const listed = await this.#tool.runJson(nodesData, `netlab inspect nodes of lab ${spec.instanceName}`, [
      "inspect",
      "-q",
      "--format",
      "json",
      "nodes",
    ], call);
    const names = Object.keys(listed);
    const singles = await mapConcurrently(
      names,
      INSPECT_CONCURRENCY,
      (node) =>
        this.#tool.runJson(nodeData, `netlab inspect --node ${node} of lab ${spec.instanceName}`, [
          "inspect",
          "-q",
          "--node",
          node,
          "--format",
          "json",
        ], call),
    );
    return names.map((node, index) => netlabLabNode(node, listed[node]!, singles[index]!, statuses[node]));
  }

  /**
   * `netlab down --cleanup`, never `--force`: with a failing provider probe `--force` skips
   * stopping the nodes yet deletes the lock, the status entry and the files, orphaning the lab.
   * Without it netlab exits 0 and changes nothing, so success is judged by the lock being gone.
   */
  async destroy(spec: LabSpec, output: OutputSink): Promise<void> {
    const lock = join(spec.workDir, NETLAB_LOCK);
    const snapshot = join(spec.workDir, NETLAB_SNAPSHOT);
    if (existsSync(lock) || existsSync(snapshot)) {
      const action = `netlab down of lab ${spec.instanceName}`;
      const result = await this.#tool.run(action, ["down", "--cleanup"], { cwd: spec.workDir, timeoutMs: spec.timeoutMs, output });
      if (existsSync(lock) || existsSync(snapshot)) {
        throw new LabToolError(action, result, `netlab exited 0 but the lab is still in place (${NETLAB_LOCK} remains in ${spec.workDir})`);
      }
    }
    removeLabMarker(spec.workDir);
  }

  /** Instances in netlab's status file (any state) whose folder is one of our marked work dirs. */
  async listRunning(): Promise<RunningInstance[]> {
    const action = "netlab status --all";
    const labs = parseAllLabs(
      await this.#tool.runAllowingExitCode(action, ["status", "--all", "--format", "json"], { timeoutMs: this.#tool.queryTimeoutMs }),
      action,
    );
    return Object.values(labs).flatMap((lab) => {
      const marker = ownedLabMarker(this.#labsRoot, lab.dir, this.name);
      return marker ? [{ instanceName: marker.instanceName, labId: marker.labId }] : [];
    });
  }

  /** clab-provider nodes only: netlab's `clab.yml` names the containerlab lab, whose containers' netns are linked by name. */
  nodeExecPrefix(spec: LabSpec, node: string): string[] {
    const config = join(spec.workDir, CLAB_CONFIG);
    if (!existsSync(config)) throw new Error(`Lab ${spec.instanceName} has no ${CLAB_CONFIG}: node commands need netlab's clab provider`);
    const naming = readClabNaming(config);
    return netnsExecPrefix(this.#tool.rootPrefix, naming, naming.name ?? spec.instanceName, node);
  }
}

async function mapConcurrently<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
