import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { removeLabMarker, ownedLabMarker, writeLabMarker } from "../lab-marker.ts";
import type { LabNode, LabRuntime, LabSpec, OutputSink, RunningInstance } from "../lab-runtime.ts";
import { LabTool, type LabToolSettings } from "../lab-tool.ts";
import { netnsExecPrefix, readClabNaming } from "./container-naming.ts";
import { inspectOutput, labNodeOf } from "./inspect-output.ts";

/**
 * Labs deployed with containerlab from the user's topology file in the lab's work dir. The lab
 * is deployed under the instance name (`--name`, which wins over the file's `name`), so two labs
 * from one topology never share containers; the lab directory is `<workDir>/clab-<instance>`.
 */
export class ContainerlabRuntime implements LabRuntime {
  readonly name = "containerlab";
  readonly #tool: LabTool;
  readonly #labsRoot: string;

  constructor(settings: LabToolSettings) {
    this.#tool = new LabTool("containerlab", settings);
    this.#labsRoot = settings.labsRoot;
  }

  async deploy(spec: LabSpec, output: OutputSink, signal: AbortSignal): Promise<LabNode[]> {
    writeLabMarker(spec, this.name);
    // --reconfigure: a redeploy after a failure starts from scratch instead of reconciling leftovers.
    await this.#tool.run(`containerlab deploy of lab ${spec.instanceName}`, ["deploy", "-t", topologyPath(spec), "--reconfigure", "--name", spec.instanceName], {
      cwd: spec.workDir,
      timeoutMs: spec.timeoutMs,
      output,
      signal,
    });
    return this.inspect(spec);
  }

  async inspect(spec: LabSpec): Promise<LabNode[]> {
    const labs = await this.#tool.runJson(inspectOutput, `containerlab inspect of lab ${spec.instanceName}`, ["inspect", "--name", spec.instanceName, "--format", "json"], {
      cwd: spec.workDir,
      timeoutMs: this.#tool.queryTimeoutMs,
    });
    const { prefix } = readClabNaming(topologyPath(spec));
    return (labs[spec.instanceName] ?? []).map((details) => labNodeOf(details, spec.instanceName, prefix));
  }

  async destroy(spec: LabSpec, output: OutputSink): Promise<void> {
    // Without the topology file (work dir already emptied) the lab is still found by its name.
    const topology = existsSync(topologyPath(spec)) ? ["-t", topologyPath(spec)] : [];
    await this.#tool.run(`containerlab destroy of lab ${spec.instanceName}`, ["destroy", ...topology, "--name", spec.instanceName, "--cleanup"], {
      cwd: existsSync(spec.workDir) ? spec.workDir : undefined,
      timeoutMs: spec.timeoutMs,
      output,
    });
    removeLabMarker(spec.workDir);
  }

  /** Labs with containers on the host (in any state) whose topology lies in one of our marked work dirs. */
  async listRunning(): Promise<RunningInstance[]> {
    const labs = await this.#tool.runJson(inspectOutput, "containerlab inspect --all", ["inspect", "--all", "--format", "json"], { timeoutMs: this.#tool.queryTimeoutMs });
    const running: RunningInstance[] = [];
    for (const [lab, containers] of Object.entries(labs)) {
      const topologyFile = containers.find((details) => details.absLabPath)?.absLabPath;
      const marker = topologyFile ? ownedLabMarker(this.#labsRoot, dirname(topologyFile), this.name) : null;
      if (marker?.instanceName === lab) running.push({ instanceName: lab, labId: marker.labId });
    }
    return running;
  }

  nodeExecPrefix(spec: LabSpec, node: string): string[] {
    return netnsExecPrefix(this.#tool.rootPrefix, readClabNaming(topologyPath(spec)), spec.instanceName, node);
  }
}

function topologyPath(spec: LabSpec): string {
  return join(spec.workDir, spec.topologyFile);
}
