import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { type ParsedTopology, readContainerlabTopology } from "../../topology/containerlab-topology.ts";
import { nativeNetlabLab } from "../../topology/netlab/netlab-native.ts";
import type { NetlabLab } from "../../topology/netlab/netlab-transform.ts";
import { detectTopologyKind } from "../../topology/netlab-topology.ts";
import { parseYamlSafely } from "../../topology/safe-yaml.ts";
import type { LabNode } from "../../protocol/lab-node.ts";
import type { LabRuntime, LabSpec, OutputSink, RunningInstance } from "../lab-runtime.ts";
import { loadFrrFiles } from "./frr/frr-config-load.ts";
import { startFrrInstances } from "./frr/frr-start.ts";
import { readHostFacts } from "./host-facts.ts";
import { runIpBatch } from "./ip-batch.ts";
import { inspectLab, nodeCommandPrefix } from "./lab-inspection.ts";
import { nativeLabProblem } from "./lab-health.ts";
import { INSTANCE_NAME, newLabTag, type RandomBytes } from "./lab-naming.ts";
import { type LabPlan, planLab } from "./lab-plan.ts";
import type { LabRecord, NodeBaseline } from "./lab-record.ts";
import type { LabFootprint } from "../health/lab-footprint.ts";
import { LabRegistry } from "./lab-registry.ts";
import { tearDownLab } from "./lab-teardown.ts";
import { resetLab } from "./lab-reset.ts";
import { readNamespaceLinks, readNamespaceSysctls } from "./node-baseline.ts";
import { runNodeExecs } from "./node-exec.ts";
import { detectStubInterfaceKind, type StubInterfaceKind } from "./stub-interface.ts";

/** A tmpfs: emptied at boot, exactly when the namespaces and links it describes disappear too. */
export const DEFAULT_NATIVE_STATE_DIR = "/run/labbroker/native";
const HEALTH_CHECK_TIMEOUT_MS = 10_000;

export interface NativeRuntimeOptions {
  /** Where the per-lab records live (one JSON file per instance). */
  stateDir?: string;
  /** Source of randomness for lab tags and MAC addresses. */
  randomBytes?: RandomBytes;
  now?: () => Date;
}

/**
 * containerlab-style labs built from network namespaces and veth pairs, no containers: one
 * namespace per linux node, a management bridge per lab, links wired with a few `ip -batch` calls,
 * an FRR instance in each node with an FRR image, node `exec` commands run inside the namespaces. Needs root, iproute2 and sysctl on the host.
 */
export class NativeRuntime implements LabRuntime {
  readonly name = "native" as const;
  readonly #registry: LabRegistry;
  readonly #random: RandomBytes;
  readonly #now: () => Date;
  /** Learnt once per runtime, the first time a topology has dummy links. */
  #stubKind: Promise<StubInterfaceKind> | null = null;

  constructor(options: NativeRuntimeOptions = {}) {
    this.#registry = new LabRegistry(options.stateDir ?? DEFAULT_NATIVE_STATE_DIR);
    this.#random = options.randomBytes ?? ((count) => new Uint8Array(randomBytes(count)));
    this.#now = options.now ?? (() => new Date());
  }

  async deploy(spec: LabSpec, output: OutputSink, signal: AbortSignal): Promise<LabNode[]> {
    checkInstanceName(spec.instanceName);
    signal.throwIfAborted();
    const started = performance.now();
    const deadline = started + spec.timeoutMs;
    const remaining = () => Math.max(1, deadline - performance.now());
    const topologyPath = resolve(spec.workDir, spec.topologyFile);
    const { topology, notes, netlab } = readTopology(await readFile(topologyPath, "utf8"), spec);
    for (const note of notes) output({ stream: "info", text: `Note: ${note}` });
    const stubKind = topology.links.some((link) => link.type === "dummy") ? await this.#detectStubKind(remaining(), signal) : "dummy";
    const frrFiles = new Map(
      topology.nodes.flatMap((node) => (node.frr ? [[node.name, loadFrrFiles(node.frr, dirname(topologyPath))] as const] : [])),
    );
    if (stubKind === "ifb") {
      output({ stream: "info", text: "Note: dummy links are created as ifb devices: this kernel has no dummy driver" });
    }

    const plan = await this.#registry.withLock(
      async () => {
        if (this.#registry.read(spec.instanceName)) {
          throw new Error(`native lab "${spec.instanceName}" is already deployed on this host; destroy it first`);
        }
        const host = await readHostFacts({ timeoutMs: remaining(), signal });
        const otherLabs = this.#registry.list();
        const planned = planLab({
          topology,
          labId: spec.labId,
          instanceName: spec.instanceName,
          topologyPath,
          host,
          otherLabs,
          stubKind,
          frrFiles,
          random: this.#random,
          now: this.#now(),
        });
        if (netlab) {
          planned.record.nodes = planned.record.nodes.map((node) => ({
            ...node,
            netlab: netlab.nodes.find((candidate) => candidate.name === node.name)!,
          }));
        }
        // Recorded before anything exists: a crash from here on leaves a lab that destroy can still find.
        this.#registry.write(planned.record);
        return planned;
      },
      { timeoutMs: remaining(), signal },
    );

    try {
      const { record } = plan;
      output({
        stream: "info",
        text:
          `Creating lab ${spec.instanceName}: ${record.namespaces.length} namespaces, ${topology.links.length} links, management ${record.mgmt.ipv4Subnet} on bridge ${record.mgmt.bridge}`,
      });
      await runIpBatch(plan.hostBatch, { timeoutMs: remaining(), signal });
      await Promise.all(
        plan.namespaceBatches.map((batch) => runIpBatch(batch.lines, { namespace: batch.namespace, timeoutMs: remaining(), signal })),
      );
      const baselines = spec.keepBaseline ? await nodeBaselines(plan, remaining()) : null;
      await startFrrInstances(plan.frr, output, { deadline, signal });
      const execResults = await runNodeExecs(plan.execs, output, { deadline, signal });
      const deployed: LabRecord = {
        ...record,
        state: "deployed",
        nodes: record.nodes.map((node) => ({
          ...node,
          exec: execResults.get(node.name) ?? [],
          ...(baselines ? { baseline: baselines.get(node.name)! } : {}),
        })),
      };
      this.#registry.write(deployed);
      const nodes = await inspectLab(deployed, remaining());
      output({ stream: "info", text: `Lab ${spec.instanceName} deployed in ${Math.round(performance.now() - started)} ms` });
      return nodes;
    } catch (error) {
      await this.#cleanUpFailedDeploy(plan, spec, output);
      throw error;
    }
  }

  /** See lab-reset.ts for what a reset puts back and what it leaves. */
  async reset(spec: LabSpec, output: OutputSink, signal: AbortSignal): Promise<LabNode[]> {
    checkInstanceName(spec.instanceName);
    const started = performance.now();
    const deadline = started + spec.timeoutMs;
    const record = this.#registry.read(spec.instanceName);
    if (!record || record.state !== "deployed") throw new Error(`native lab "${spec.instanceName}" is not deployed on this host`);
    const { topology } = readTopology(await readFile(record.topologyPath, "utf8"), spec);
    const frr = record.nodes.flatMap((node) => {
      const frrConfig = topology.nodes.find((candidate) => candidate.name === node.name)?.frr;
      return node.frr && frrConfig
        ? [{ node: node.name, namespace: node.namespace, frr: node.frr, files: loadFrrFiles(frrConfig, dirname(record.topologyPath)) }]
        : [];
    });
    await resetLab(record, frr, output, { deadline, signal });
    const nodes = await inspectLab(record, Math.max(1, deadline - performance.now()));
    output({ stream: "info", text: `Lab ${spec.instanceName} reset in ${Math.round(performance.now() - started)} ms` });
    return nodes;
  }

  async inspect(spec: LabSpec): Promise<LabNode[]> {
    const record = this.#registry.read(spec.instanceName);
    return record ? inspectLab(record, spec.timeoutMs) : [];
  }

  async destroy(spec: LabSpec, output: OutputSink): Promise<void> {
    checkInstanceName(spec.instanceName);
    const record = this.#registry.read(spec.instanceName);
    if (!record) {
      output({ stream: "info", text: `No native lab ${spec.instanceName} on this host: nothing to destroy` });
      return;
    }
    const started = performance.now();
    await tearDownLab(record, output, spec.timeoutMs);
    this.#registry.remove(spec.instanceName);
    output({ stream: "info", text: `Lab ${spec.instanceName} destroyed in ${Math.round(performance.now() - started)} ms` });
  }

  /** Every recorded lab, each checked against the host: a lab whose namespaces or links are gone carries the problem. */
  async listRunning(): Promise<RunningInstance[]> {
    return Promise.all(
      this.#registry.list().map(async (record) => {
        const problem = await nativeLabProblem(record, HEALTH_CHECK_TIMEOUT_MS);
        return { instanceName: record.instanceName, labId: record.labId, ...(problem ? { problem } : {}) };
      }),
    );
  }

  hostFootprint(): LabFootprint {
    const records = this.#registry.list();
    return {
      namespaces: new Set(records.flatMap((record) => record.namespaces)),
      links: new Set(records.flatMap((record) => [...record.hostInterfaces, ...record.ownedBridges])),
    };
  }

  nodeExecPrefix(spec: LabSpec, node: string): string[] {
    const record = this.#registry.read(spec.instanceName);
    if (!record) throw new Error(`native lab "${spec.instanceName}" is not deployed on this host`);
    const found = record.nodes.find((candidate) => candidate.name === node);
    if (!found) {
      throw new Error(
        `native lab "${spec.instanceName}" has no linux node "${node}" (nodes: ${
          record.nodes.map((candidate) => candidate.name).join(", ")
        })`,
      );
    }
    return nodeCommandPrefix(found);
  }

  #detectStubKind(timeoutMs: number, signal: AbortSignal): Promise<StubInterfaceKind> {
    if (!this.#stubKind) {
      const detection = detectStubInterfaceKind(`nlprobe-${newLabTag(this.#random)}`, { timeoutMs, signal });
      // A failed probe (timeout, abort) is not remembered: the next deploy asks again.
      detection.catch(() => {
        if (this.#stubKind === detection) this.#stubKind = null;
      });
      this.#stubKind = detection;
    }
    return this.#stubKind;
  }

  /** Removes what a failed deploy created; the deploy error is what the caller sees either way. */
  async #cleanUpFailedDeploy(plan: LabPlan, spec: LabSpec, output: OutputSink): Promise<void> {
    output({ stream: "stderr", text: `Deploy of ${spec.instanceName} failed; removing what was created` });
    try {
      await tearDownLab(plan.record, output, spec.timeoutMs);
      this.#registry.remove(spec.instanceName);
    } catch (cleanupError) {
      output({ stream: "stderr", text: `Cleanup of ${spec.instanceName} failed, destroy it again: ${(cleanupError as Error).message}` });
    }
  }
}

/** A containerlab topology as written, or a netlab one (in the native subset) as netlab would build it. */
function readTopology(text: string, spec: LabSpec): ParsedTopology & { netlab?: NetlabLab } {
  const document = parseYamlSafely(text);
  if (detectTopologyKind(document) !== "netlab") return readContainerlabTopology(document);
  const labName = (document as { name?: unknown }).name;
  const lab = nativeNetlabLab(document, spec.instanceName, typeof labName === "string" ? labName : spec.instanceName);
  return { topology: lab.topology, notes: [], netlab: lab.netlab };
}

/** Each node's namespace as the batches left it, before FRR and the exec commands: what a reset returns to. */
async function nodeBaselines(plan: LabPlan, timeoutMs: number): Promise<Map<string, NodeBaseline>> {
  const entries = await Promise.all(plan.record.nodes.map(async (node) => {
    const [links, sysctls] = await Promise.all([
      readNamespaceLinks(node.namespace, timeoutMs),
      readNamespaceSysctls(node.namespace, timeoutMs),
    ]);
    const exec = plan.execs.find((candidate) => candidate.node === node.name)!;
    const setup = plan.namespaceBatches.find((batch) => batch.namespace === node.namespace)?.lines ?? [];
    const baseline: NodeBaseline = {
      links,
      setup,
      sysctls,
      exec: { commands: exec.commands, env: exec.env, failureAllowed: exec.failureAllowed },
    };
    return [node.name, baseline] as const;
  }));
  return new Map(entries);
}

function checkInstanceName(instanceName: string): void {
  if (!INSTANCE_NAME.test(instanceName)) {
    throw new Error(`instance name "${instanceName}" must start with a letter or digit and hold only letters, digits, "-", "." and "_"`);
  }
}
