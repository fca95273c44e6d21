import { TopologyError } from "./topology-error.ts";
import {
  type DefinitionLayer,
  definitionLayers,
  inheritedKind,
  inheritedList,
  inheritedMap,
  inheritedScalar,
} from "./containerlab-inheritance.ts";
import {
  EXEC_FAILURE_LABEL,
  type NodeKind,
  nodeWithoutNamespace,
  SUPPORTED_KINDS,
  type TopologyNode,
  UNSUPPORTED_IMAGE_LABEL,
} from "./containerlab-model.ts";
import type { TopologyFile } from "./containerlab-schema.ts";
import { frrConfigFromBinds, isFrrConfigBind, isFrrImage } from "./frr-node.ts";
import { interfaceNameProblem } from "./interface-name.ts";
import { splitWords } from "./shell-words.ts";
import { ignoredNote } from "./ignored-note.ts";
import { BINDS_IGNORED } from "./topology-notes.ts";

/** containerlab's node name pattern (`CL:schemas/clab.schema.json`). */
const NODE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-._|]*$/;
const NET_SYSCTL_KEY = /^net\.[A-Za-z0-9_.-]+$/;
/** Plain words and numbers (`4096 87380 6291456`); the value is passed to sysctl as one argument. */
const SYSCTL_VALUE = /^[A-Za-z0-9_.:,/ -]+$/;

/** Resolves every node's effective definition and checks what the native runtime needs from it. */
export function resolveNodes(topology: TopologyFile["topology"], notes: string[]): TopologyNode[] {
  const names = Object.keys(topology.nodes);
  if (names.length === 0) throw new TopologyError("nodes", "must define at least one node");
  return names.map((name) => resolveNode(topology, name, notes));
}

function resolveNode(topology: TopologyFile["topology"], name: string, notes: string[]): TopologyNode {
  if (!NODE_NAME.test(name)) {
    throw new TopologyError(
      `nodes.${name}`,
      `"${name}" is not a valid node name: start with a letter or digit, then letters, digits, "-", ".", "_" or "|"`,
    );
  }
  const layers = definitionLayers(topology, name);
  const kind = nodeKind(topology, name);
  const scalar = (key: Parameters<typeof inheritedScalar>[1]) => inheritedScalar(layers, key);
  const exec = inheritedList(layers, "exec");
  const env = inheritedMap(layers, "env");
  const mgmtIpv4 = scalar("mgmt-ipv4");
  const mgmtIpv6 = scalar("mgmt-ipv6");
  const networkMode = scalar("network-mode");

  if (kind !== "linux") {
    const bridgeNameProblem = kind === "bridge" ? interfaceNameProblem(name) : null;
    if (bridgeNameProblem) throw new TopologyError(`nodes.${name}`, `names the host bridge, but ${bridgeNameProblem}`);
    const reason = kind === "bridge"
      ? "bridge nodes are host bridges with no namespace or management interface"
      : "host nodes stand for the host itself, where the native runtime runs nothing";
    for (const value of [mgmtIpv4, mgmtIpv6, networkMode]) if (value) notes.push(ignoredNote(value.field, value.value, reason));
    if (exec.length) notes.push(ignoredNote(`nodes.${name}.exec`, exec, `${reason}; the commands are not run`));
    if (Object.keys(env).length) notes.push(ignoredNote(`nodes.${name}.env`, env, reason));
    const binds = inheritedList(layers, "binds");
    if (binds.length) notes.push(ignoredNote(`nodes.${name}.binds`, binds, reason));
    return nodeWithoutNamespace(name, kind, scalar("group")?.value ?? null);
  }

  checkExecEntries(layers);
  const hasMgmtInterface = checkNetworkMode(networkMode, notes);
  if (!hasMgmtInterface) {
    for (const value of [mgmtIpv4, mgmtIpv6]) {
      if (value) notes.push(ignoredNote(value.field, value.value, "the node has network-mode none, so no management interface"));
    }
  }
  const image = scalar("image");
  return {
    name,
    kind,
    group: scalar("group")?.value ?? null,
    image: image?.value ?? null,
    frr: imageSupport(name, image, layers, notes),
    hasMgmtInterface,
    mgmtIpv4: hasMgmtInterface ? (mgmtIpv4?.value ?? null) : null,
    mgmtIpv6: hasMgmtInterface ? (mgmtIpv6?.value ?? null) : null,
    exec,
    execFailureAllowed: execFailureAllowed(layers),
    env,
    sysctls: namespaceSysctls(layers, notes),
  };
}

function nodeKind(topology: TopologyFile["topology"], name: string): NodeKind {
  const kind = inheritedKind(topology, name);
  if (!kind) throw new TopologyError(`nodes.${name}.kind`, "is missing: set kind on the node, its group or topology.defaults");
  if (!(SUPPORTED_KINDS as readonly string[]).includes(kind.value)) {
    throw new TopologyError(
      kind.field,
      `"${kind.value}" is not supported by the native runtime (supported kinds: ${SUPPORTED_KINDS.join(", ")})`,
    );
  }
  return kind.value as NodeKind;
}

/** containerlab silently skips an exec entry shlex cannot split; refusing it up front is kinder. */
function checkExecEntries(layers: readonly DefinitionLayer[]): void {
  for (const layer of layers) {
    for (const [index, entry] of (layer.definition.exec ?? []).entries()) {
      try {
        splitWords(entry);
      } catch (error) {
        throw new TopologyError(`${layer.field}.exec[${index}]`, (error as Error).message);
      }
    }
  }
}

/**
 * An FRR image runs FRR, configured from the node's binds. Any other image leaves a plain namespace
 * (noted where the image is set), or refuses the topology when the node is labelled
 * `labbroker.unsupported-image: refuse`.
 */
function imageSupport(
  name: string,
  image: { value: string; field: string } | null,
  layers: readonly DefinitionLayer[],
  notes: string[],
): TopologyNode["frr"] {
  if (isFrrImage(image?.value)) return frrConfigFromBinds(name, layers, notes);
  const policy = labelChoice(
    layers,
    UNSUPPORTED_IMAGE_LABEL,
    ["ignore", "refuse"],
    `"ignore" (the default: a note says the node is a plain namespace) or "refuse"`,
  );
  if (image && policy === "refuse") {
    throw new TopologyError(
      image.field,
      `"${image.value}" cannot run on the native runtime, which runs FRR images (frrouting/frr) only; the node is labelled ${UNSUPPORTED_IMAGE_LABEL}: refuse`,
    );
  }
  const binds = inheritedList(layers, "binds");
  if (binds.length) {
    notes.push(
      ignoredNote(
        `nodes.${name}.binds`,
        binds,
        binds.some(isFrrConfigBind) ? `${BINDS_IGNORED}; binds to /etc/frr configure nodes with an FRR image only` : BINDS_IGNORED,
      ),
    );
  }
  return null;
}

/** A labbroker label's value from the most specific level that sets it, checked against its choices. */
function labelChoice<T extends string>(
  layers: readonly DefinitionLayer[],
  label: string,
  choices: readonly [T, ...T[]],
  meaning: string,
): T {
  const value = inheritedMap(layers, "labels")[label];
  if (value === undefined) return choices[0];
  if ((choices as readonly string[]).includes(value)) return value as T;
  const field = layers.find((layer) => layer.definition.labels?.[label] !== undefined)!.field;
  throw new TopologyError(`${field}.labels.${label}`, `"${value}" must be ${meaning}`);
}

function execFailureAllowed(layers: readonly DefinitionLayer[]): boolean {
  return labelChoice(
    layers,
    EXEC_FAILURE_LABEL,
    ["fail", "allow"],
    `"allow" (a failing exec command is logged and the deploy goes on) or "fail" (the default)`,
  ) === "allow";
}

/** True when the node gets a management interface (eth0). */
function checkNetworkMode(mode: { value: string; field: string } | null, notes: string[]): boolean {
  if (!mode || mode.value === "bridge") return true;
  if (mode.value === "none") return false;
  if (mode.value === "host") {
    notes.push(
      ignoredNote(
        mode.field,
        mode.value,
        "the node gets its own namespace and management interface; a lab may not change the host's network",
      ),
    );
    return true;
  }
  if (mode.value.startsWith("container:")) {
    throw new TopologyError(mode.field, `"${mode.value}" is not supported by the native runtime: every node has its own namespace`);
  }
  throw new TopologyError(mode.field, `"${mode.value}" is not a network mode the native runtime knows (bridge, none, host)`);
}

/** `net.*` sysctls belong to the node's namespace and are applied; others would change the host and are reported. */
function namespaceSysctls(layers: readonly DefinitionLayer[], notes: string[]): Record<string, string> {
  const sysctls = inheritedMap(layers, "sysctls");
  const applied: Record<string, string> = {};
  for (const [key, value] of Object.entries(sysctls)) {
    const field = `${layers.find((layer) => layer.definition.sysctls?.[key] !== undefined)!.field}.sysctls.${key}`;
    if (!key.startsWith("net.")) {
      notes.push(ignoredNote(field, value, "only net.* sysctls belong to the node's namespace; others would change the host"));
      continue;
    }
    if (!NET_SYSCTL_KEY.test(key)) throw new TopologyError(field, `"${key}" is not a valid sysctl name`);
    if (!SYSCTL_VALUE.test(value)) {
      throw new TopologyError(
        field,
        `"${value}" is not a sysctl value the native runtime accepts (letters, digits, spaces and . _ : , / -)`,
      );
    }
    applied[key] = value;
  }
  return applied;
}
