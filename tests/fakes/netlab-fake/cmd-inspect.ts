import { existsSync } from "node:fs";
import { stringify } from "yaml";
import { changeToInstance } from "./instance.ts";
import { readSnapshot, SNAPSHOT_FILE } from "./lab-state.ts";
import { type OptionSpec, parseArgs } from "./netlab-args.ts";
import { asList, type Data, isData } from "./netlab-data.ts";
import { errorAndExit, fatal, isQuiet, print, setQuiet } from "./netlab-log.ts";
import { printData, printTable, sortKeys } from "./netlab-output.ts";
import { inspectNode } from "./node-inventory.ts";
import { transformTopology } from "./transform.ts";

const INSPECT_OPTIONS: OptionSpec[] = [
  { flags: ["--node"], dest: "node", action: "store" },
  { flags: ["--all"], dest: "all", action: "store_true" },
  { flags: ["--format"], dest: "format", action: "store" },
  { flags: ["-q", "--quiet"], dest: "quiet", action: "store_true" },
  { flags: ["-i", "--instance"], dest: "instance", action: "store" },
  { flags: ["--snapshot"], dest: "snapshot", action: "optional", const: "netlab.snapshot.yml" },
  { flags: ["-t", "--topology"], dest: "topology", action: "store" },
];

// The fake evaluates dotted paths with list indexes, not arbitrary Python expressions.
const PATH_EXPRESSION = /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*|\[\d+\])*$/;

/** `netlab inspect` (`NL:netsim/cli/inspect.py`): one node is data, several nodes a table, even with --format json. */
export function inspect(args: string[], env: NodeJS.ProcessEnv): void {
  const parsed = parseArgs("netlab inspect", INSPECT_OPTIONS, ["expr"], args, true);
  setQuiet(parsed.quiet === true);
  const format = (parsed.format as string | undefined) ?? "yaml";
  if (!["yaml", "json"].includes(format)) fatal(`argument --format: invalid choice: '${format}' (choose from 'yaml', 'json')`);
  for (const option of ["all", "snapshot"]) if (parsed[option]) fatal(`the fake netlab does not implement 'netlab inspect --${option}'`);
  if (parsed.instance) changeToInstance(env, String(parsed.instance), "netlab inspect");
  const topology = dataSource(env, parsed.topology as string | undefined);
  const expression = parsed.expr as string | undefined;
  if (parsed.node === undefined) return printData(expression ? evaluate(topology, expression) : topology, format);

  const names = resolveNodeset(topology, String(parsed.node));
  const views = names.map((name) => {
    const node = inspectNode(topology, (topology.nodes as Record<string, Data>)[name]!);
    return expression ? evaluate(node, expression) : node;
  });
  if (views.length === 1) return printData(views[0], format);
  printTable(names, [views.map((view) => stringify(sortKeys(view)).trimEnd())]);
}

function dataSource(env: NodeJS.ProcessEnv, topologyFile: string | undefined): Data {
  const create = (file: string) => transformTopology({ topologyFile: file, cwd: process.cwd(), env, settings: [], plugins: [] });
  if (topologyFile) return create(topologyFile);
  const snapshot = readSnapshot();
  if (snapshot) return snapshot;
  if (!existsSync("topology.yml")) {
    errorAndExit("netlab inspect", `Cannot find ${SNAPSHOT_FILE} or topology.yml in the current directory`, [
      "Looks like no lab was started from this directory",
    ]);
  }
  if (!isQuiet()) print(" [INFO] Using lab topology file topology.yml");
  return create("topology.yml");
}

function evaluate(data: Data, expression: string): unknown {
  if (!PATH_EXPRESSION.test(expression)) {
    fatal(`the fake netlab evaluates only dotted paths such as nodes.r1.interfaces[0], not '${expression}'`);
  }
  const steps = expression.match(/[A-Za-z_][\w-]*|\[\d+\]/g)!;
  return steps.reduce<unknown>((value, step) => {
    const next = step.startsWith("[")
      ? (Array.isArray(value) ? value[Number(step.slice(1, -1))] : undefined)
      : isData(value)
      ? value[step]
      : undefined;
    if (next === undefined) fatal(`Cannot evaluate ${expression}: ${step} does not exist`);
    return next;
  }, data);
}

/** `NL:netsim/cli/_nodeset.py`: node names, group names, device names, globs; `all` is every node. */
function resolveNodeset(topology: Data, nodeset: string): string[] {
  const nodes = topology.nodes as Record<string, Data>;
  const groups = isData(topology.groups) ? topology.groups : {};
  const selected = new Set<string>();
  for (const item of nodeset.split(",")) {
    const glob = new RegExp(`^${item.replace(/[.+^${}()|\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".")}$`);
    const matches = item === "all"
      ? Object.keys(nodes)
      : item in groups
      ? asList(isData(groups[item]) ? (groups[item] as Data).members : groups[item]).map(String)
      : Object.keys(nodes).filter((name) => glob.test(name) || nodes[name]!.device === item);
    if (matches.length === 0) fatal(`Invalid node, group or device name ${item} in node set ${nodeset}`);
    for (const name of matches) selected.add(name);
  }
  return [...selected];
}
