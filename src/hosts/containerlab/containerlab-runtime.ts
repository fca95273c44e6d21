import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { ownedLabMarker, removeLabMarker, writeLabMarker } from "../lab-marker.ts";
import type { LabNode } from "../../protocol/lab-node.ts";
import type { LabRuntime, LabSpec, OutputSink, RunningInstance } from "../lab-runtime.ts";
import { LabTool, LabToolError, type LabToolSettings } from "../lab-tool.ts";
import { netnsExecPrefix, readClabNaming } from "./container-naming.ts";
import { type ContainerDetails, inspectOutput, labNodeOf } from "./inspect-output.ts";
import { instanceTopologyPath, writeInstanceTopology } from "./instance-topology.ts";

/**
 * Labs deployed with containerlab from a copy of the user's topology named after the instance
 * (see instance-topology.ts), so two labs from one topology never share containers; the lab
 * directory is `clab-<instance>` beside the topology. Labs are read with `inspect --all`, which
 * answers `{}` when nothing runs, where `inspect --name` fails for a lab without containers
 * (`CL:core/options_clab.go:252-254`).
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
    const topology = writeInstanceTopology(spec);
    // --reconfigure: a redeploy after a failure starts from scratch instead of reconciling leftovers.
    await this.#tool.run(`containerlab deploy of lab ${spec.instanceName}`, ["deploy", "-t", topology, "--reconfigure"], {
      cwd: spec.workDir,
      timeoutMs: spec.timeoutMs,
      output,
      signal,
    });
    return this.inspect(spec);
  }

  async inspect(spec: LabSpec): Promise<LabNode[]> {
    const containers = await this.#containersOf(spec.instanceName);
    const { prefix } = readClabNaming(join(spec.workDir, spec.topologyFile));
    return containers.map((details) => labNodeOf(details, spec.instanceName, prefix));
  }

  /**
   * Destroys from the instance's topology copy; without it (work dir emptied) by name, where a lab
   * already gone is exactly `lab 'X' not found` (exit 1). containerlab exits 0 even when it
   * removed nothing or could not remove a container, so what is left is checked afterwards.
   */
  async destroy(spec: LabSpec, output: OutputSink): Promise<void> {
    const action = `containerlab destroy of lab ${spec.instanceName}`;
    const copy = instanceTopologyPath(spec);
    const target = existsSync(copy) ? ["-t", copy] : ["--name", spec.instanceName];
    const call = { cwd: existsSync(spec.workDir) ? spec.workDir : undefined, timeoutMs: spec.timeoutMs, output };
    const result = await this.#tool.runAllowingExitCode(action, ["destroy", ...target, "--cleanup"], call);
    if (result.code !== 0 && result.stderr.trim() !== `lab '${spec.instanceName}' not found - no running containers`) {
      throw new LabToolError(action, result);
    }
    const left = await this.#containersOf(spec.instanceName);
    if (left.length > 0) {
      throw new LabToolError(
        action,
        result,
        `containers of the lab remain: ${left.map((details) => details.name).join(", ")}`,
      );
    }
    removeLabMarker(spec.workDir);
  }

  /** Labs with containers on the host (in any state) whose topology lies in one of our marked work dirs. */
  async listRunning(): Promise<RunningInstance[]> {
    const running: RunningInstance[] = [];
    for (const [lab, containers] of Object.entries(await this.#allLabs())) {
      const topologyFile = containers.find((details) => details.absLabPath)?.absLabPath;
      const marker = topologyFile ? ownedLabMarker(this.#labsRoot, dirname(topologyFile), this.name) : null;
      if (marker?.instanceName === lab) running.push({ instanceName: lab, labId: marker.labId });
    }
    return running;
  }

  nodeExecPrefix(spec: LabSpec, node: string): string[] {
    return netnsExecPrefix(this.#tool.rootPrefix, readClabNaming(join(spec.workDir, spec.topologyFile)), spec.instanceName, node);
  }

  async #containersOf(lab: string): Promise<ContainerDetails[]> {
    return (await this.#allLabs())[lab] ?? [];
  }

  #allLabs() {
    return this.#tool.runJson(inspectOutput, "containerlab inspect --all", ["inspect", "--all", "--format", "json"], {
      timeoutMs: this.#tool.queryTimeoutMs,
    });
  }
}
