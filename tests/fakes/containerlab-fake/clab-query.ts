import { FakeDockerDaemon } from "../fake-docker/daemon.ts";
import type { FlagSpec, FlagValues } from "./clab-flags.ts";
import { printContainers } from "./clab-inspect.ts";
import { CLAB_VERSION, containersOfLab } from "./clab-lab.ts";
import { ClabError, logInfo } from "./clab-log.ts";
import { nodesContainers, openLab } from "./clab-open.ts";
import { findTopologyFile, loadTopology } from "./clab-topology.ts";

/** The commands that only read: inspect, exec (argument checks only) and version. */

export const INSPECT_FLAGS: FlagSpec[] = [
  { long: "format", short: "f", kind: "string" },
  { long: "all", short: "a", kind: "bool" },
  { long: "details", kind: "bool" },
  { long: "wide", short: "w", kind: "bool" },
];

export const EXEC_FLAGS: FlagSpec[] = [
  { long: "cmd", kind: "strings" },
  { long: "label", kind: "strings" },
  { long: "format", short: "f", kind: "string" },
];

export const VERSION_FLAGS: FlagSpec[] = [
  { long: "short", short: "s", kind: "bool" },
  { long: "json", short: "j", kind: "bool" },
];

/**
 * `containerlab inspect` (`CL:cmd/inspect.go:101-195`): `--all` lists every lab's containers;
 * `-t` (or the cwd glob) looks each node's container up and fails when one is missing
 * (inspect.go:172-177); `--name` alone needs a lab with containers (else exit 1, see clab-open.ts)
 * and lists by the lab label. No containers prints `{}` / the CSV header / a log line.
 */
export function inspect(values: FlagValues, env: NodeJS.ProcessEnv): void {
  if (values.details) throw new ClabError("fake containerlab: inspect --details is not implemented");
  // root.go:224-234 globs the cwd before inspectFn runs, so a bare `inspect` fails there first.
  if (!values.all && !values.topo && !values.name) values.topo = findTopologyFile(undefined);
  const format = (values.format as string | undefined) ?? "table";
  if (!["table", "json", "csv"].includes(format)) {
    throw new ClabError(`output format "${format}" is not supported when --details is not used, use 'table', 'json' or 'csv'`);
  }
  const daemon = new FakeDockerDaemon(env);
  const lab = values.all ? null : openLab(values, env, daemon);
  const containers = !lab
    ? daemon.listContainers()
    : lab.fromFile && lab.topology
    ? nodesContainers(daemon, lab.topology, () => true, false)
    : containersOfLab(daemon, values.name as string);
  if (containers.length === 0 && format === "table") logInfo("no containers found");
  printContainers(containers, format, values.all === true);
}

export function exec(values: FlagValues, env: NodeJS.ProcessEnv): void {
  const commands = (values.cmd as string[] | undefined) ?? [];
  if (commands.length === 0) throw new ClabError("provide command to execute");
  const format = (values.format as string | undefined) ?? "plain";
  if (!["plain", "table", "json"].includes(format)) {
    throw new ClabError(`cannot parse "${format}" as execution output format, supported output formats ["json" "plain"]`);
  }
  const labels = ((values.label as string[] | undefined) ?? []).map((label) => label.split("=", 2) as [string, string?]);
  const lab = values.topo || labels.length === 0
    ? loadTopology(findTopologyFile(values.topo as string | undefined), values.name as string | undefined, env).name
    : null;
  const matching = new FakeDockerDaemon(env)
    .listContainers()
    .filter((container) =>
      (lab === null || container.labels.containerlab === lab) && labels.every(([key, value]) => container.labels[key] === value)
    );
  if (matching.length === 0) throw new ClabError("filter did not match any containers");
  throw new ClabError("fake containerlab: exec cannot run commands, there are no real containers behind the fake Docker daemon");
}

/** `CL:cmd/version.go` (the real text output starts with an ASCII logo, left out here). */
export function version(values: FlagValues): void {
  const info = {
    version: CLAB_VERSION,
    commit: "39ff2b7cc",
    date: "2026-08-21T16:10:34Z",
    repository: "https://github.com/srl-labs/containerlab",
    releaseNotes: "https://containerlab.dev/rn/0.79/",
  };
  if (values.json) process.stdout.write(`${JSON.stringify(info)}\n`);
  else if (values.short) process.stdout.write(`${info.version}\n`);
  else {
    const lines = [["version", info.version], ["commit", info.commit], ["date", info.date], ["source", info.repository], [
      "rel. notes",
      info.releaseNotes,
    ]];
    process.stdout.write(`${lines.map(([key, value]) => `${key!.padStart(11)}: ${value}`).join("\n")}\n`);
  }
}
