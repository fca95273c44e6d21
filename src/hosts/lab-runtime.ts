import type { LabNode } from "../protocol/lab-node.ts";
import type { RuntimeName } from "../protocol/runtimes.ts";
import type { LabFootprint } from "./health/lab-footprint.ts";

/**
 * What every lab runtime (native namespaces, containerlab, netlab) offers the agent. A runtime
 * knows nothing about the broker: it gets a lab's working folder and instance name, and reports
 * nodes and output.
 */

export interface LabSpec {
  /** Broker lab id, recorded with the instance so reviving can tell whose it is. */
  labId: string;
  /** Unique on the host: `<topology name>-<unix seconds>`; runtimes derive their names from it. */
  instanceName: string;
  /** Per-lab folder holding the topology file and the extra files (sub-folders preserved). */
  workDir: string;
  /** Topology file name inside `workDir`. */
  topologyFile: string;
  /** netlab multilab id (1–200) when the host runs several netlab labs at once. */
  multilabId?: number;
  /** Upper bound for deploy (and destroy) tool calls. */
  timeoutMs: number;
  /** Deploy so that `reset` can bring the lab back to this state later (a lab that may go warm). */
  keepBaseline?: boolean;
}

export interface OutputLine {
  stream: "stdout" | "stderr" | "info";
  /** Set when the line belongs to one node (exec output, per-node errors). */
  node?: string;
  text: string;
}

export type OutputSink = (line: OutputLine) => void;

export interface RunningInstance {
  instanceName: string;
  /** The broker lab id recorded at deploy, when the runtime can keep one. */
  labId: string | null;
  /** Set when the instance is recorded but broken on the host (a namespace or link is gone). */
  problem?: string;
}

export interface LabRuntime {
  readonly name: RuntimeName;
  /** Builds the lab; resolves with its nodes once it is up. Throws with the tool's last error lines. */
  deploy(spec: LabSpec, output: OutputSink, signal: AbortSignal): Promise<LabNode[]>;
  /** The nodes of a deployed lab as they are now. */
  inspect(spec: LabSpec): Promise<LabNode[]>;
  /** Removes everything the lab created, also after a partial deploy; destroying a gone lab is a success. */
  destroy(spec: LabSpec, output: OutputSink): Promise<void>;
  /**
   * Brings a lab deployed with `keepBaseline` back to its deployed state (see each runtime's
   * reset); resolves with its nodes. Runtimes without it cannot keep labs warm.
   */
  reset?(spec: LabSpec, output: OutputSink, signal: AbortSignal): Promise<LabNode[]>;
  /** Instances this runtime runs on the host now, checked against the host (for reviving after a restart). */
  listRunning(): Promise<RunningInstance[]>;
  /** The argv prefix that runs a command inside a node (e.g. `ip netns exec NS`). */
  nodeExecPrefix(spec: LabSpec, node: string): string[];
  /** The named namespaces and host links its labs hold now (runtimes whose labs have any in the host's view). */
  hostFootprint?(): LabFootprint;
}
