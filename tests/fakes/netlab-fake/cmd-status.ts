import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { stringify } from "yaml";
import { runningContainerStatus } from "./clab-provider.ts";
import { type LabStatus, readSnapshot, readStatus, statusFilePath } from "./lab-state.ts";
import { type OptionSpec, parseArgs } from "./netlab-args.ts";
import { type Data, getPath } from "./netlab-data.ts";
import { confirm, fatal, NetlabExit, print, setQuiet } from "./netlab-log.ts";
import { printTable } from "./netlab-output.ts";
import { nodeGroupVars } from "./node-inventory.ts";

const STATUS_OPTIONS: OptionSpec[] = [
  { flags: ["-i", "--instance"], dest: "instance", action: "store" },
  { flags: ["-l", "--log"], dest: "log", action: "store_true" },
  { flags: ["--cleanup"], dest: "cleanup", action: "store_true" },
  { flags: ["--reset"], dest: "reset", action: "store_true" },
  { flags: ["--all"], dest: "all", action: "store_true" },
  { flags: ["--format"], dest: "format", action: "store" },
  { flags: ["-v", "--verbose"], dest: "verbose", action: "count" },
  { flags: ["-q", "--quiet"], dest: "quiet", action: "store_true" },
];

/** An error `netlab status` reports: `{"error": …}` with exit 0 in json/yaml mode, FatalError + exit 1 as text. */
class StatusError extends Error {}

/** `netlab status` (`NL:netsim/cli/status.py`); "no labs at all" exits 1 in every format. */
export function status(args: string[], env: NodeJS.ProcessEnv): void {
  const parsed = parseArgs("netlab status", STATUS_OPTIONS, [], args);
  setQuiet(parsed.quiet === true);
  const format = (parsed.format as string | undefined) ?? "text";
  if (!["json", "yaml", "text"].includes(format)) {
    process.stderr.write(
      `usage: netlab status [-h] ...\nnetlab status: error: argument --format: invalid choice: '${format}' (choose from 'json', 'yaml', 'text')\n`,
    );
    throw new NetlabExit(2);
  }
  const structured = format !== "text";
  const chosen = ["all", "reset", "cleanup"].filter((option) => parsed[option]);
  if (chosen.length > 1) fatal(`You can use only one of the ${chosen.map((option) => `--${option}`).join(", ")} options`);
  if (structured && (parsed.cleanup || parsed.reset)) {
    fatal(`--${parsed.cleanup ? "cleanup" : "reset"} cannot be used with --format ${format}`);
  }
  const emit = (value: unknown): void => print(format === "json" ? JSON.stringify(value, null, 2) : stringify(value).trimEnd());

  if (parsed.reset) return resetStatus(env);
  const states = readStatus(env);
  if (Object.keys(states).length === 0) {
    if (structured) emit({ warning: "No netlab-managed labs" });
    else print("No netlab-managed labs");
    throw new NetlabExit(1);
  }
  try {
    if (parsed.all) {
      if (structured) emit(states);
      else {printTable(
          ["id", "directory", "status", "providers"],
          Object.entries(states).map(([id, lab]) => [id, lab.dir, lab.status || "Unknown", lab.providers.join(",")]),
        );}
      return;
    }
    const id = instanceId(states, parsed.instance as string | undefined);
    const lab = states[id]!;
    if (parsed.cleanup) return cleanupLab(id, lab);
    if (!structured) {
      print(`Lab ${id} in ${lab.dir}${lab.status ? `\n  status: ${lab.status}` : ""}\n  provider(s): ${lab.providers.join(",")}\n`);
    }
    if (parsed.log) return structured ? emit(lab) : print(lab.log.join("\n"));
    if (lab.status !== "started" && !(lab.log ?? []).some((line) => line.includes("started"))) {
      throw new StatusError("Lab is not started, cannot display node/tool status");
    }
    const nodes = labNodes(env, lab);
    if (structured) emit({ ...lab, nodes });
    else {printTable(
        ["node", "device", "image", "mgmt IPv4", "connection", "provider", "VM/container", "status"],
        Object.entries(nodes).map(([name, node]) => [name, ...Object.values(node).map(String)]),
      );}
  } catch (error) {
    if (!(error instanceof StatusError)) throw error;
    if (structured) return emit({ error: error.message });
    process.stderr.write(`FatalError: ${error.message}\n... Use 'netlab status --all' to display the list of lab instances\n`);
    throw new NetlabExit(1);
  }
}

function instanceId(states: Record<string, LabStatus>, instance: string | undefined): string {
  if (instance !== undefined) {
    if (!(instance in states)) throw new StatusError(`Unknown lab instance ${instance}.`);
    return instance;
  }
  const id = Object.keys(states).find((candidate) => states[candidate]!.dir === process.cwd());
  if (id === undefined) throw new StatusError("There's no running lab in the current directory.");
  return id;
}

/** `fetch_node_status` (`NL:netsim/cli/status.py:152-180`). */
function labNodes(env: NodeJS.ProcessEnv, lab: LabStatus): Record<string, Data> {
  const topology = readSnapshot(lab.dir);
  if (!topology) throw new StatusError(`Cannot read topology snapshot file ${lab.dir}/netlab.snapshot.pickle`);
  const running = runningContainerStatus(env);
  return Object.fromEntries(
    Object.entries(topology.nodes as Record<string, Data>).map(([name, node]) => {
      const status = running.get(String(node.hostname)) ?? running.get(name);
      // status.py:179-180: a node whose container is not running has no `docker ps` entry, and
      // `None.get('status')` raises — an unhandled AttributeError, traceback and exit 1.
      if (status === undefined) crashOnMissingContainer();
      return [
        name,
        {
          device: node.device,
          mgmt: getPath(node, ["mgmt", "ipv4"]),
          connection: nodeGroupVars(topology, node).ansible_connection,
          image: node.box,
          provider: node.provider ?? topology.provider,
          provider_name: node.hostname,
          status,
        },
      ];
    }),
  );
}

function crashOnMissingContainer(): never {
  process.stderr.write(
    [
      "Traceback (most recent call last):",
      '  File "/usr/local/bin/netlab", line 8, in <module>',
      "    sys.exit(lab_commands())",
      '  File "/usr/local/lib/python3/site-packages/netsim/cli/status.py", line 180, in fetch_node_status',
      "    node_stat.status = wk_state.get('status','Unknown')",
      "AttributeError: 'NoneType' object has no attribute 'get'",
      "",
    ].join("\n"),
  );
  throw new NetlabExit(1);
}

function cleanupLab(id: string, lab: LabStatus): void {
  if (!confirm(`Cleanup will remove lab instance "${id}" in ${lab.dir}. Are you sure?`)) return;
  print(`Shutting down lab ${id} in ${lab.dir}`);
  const result = spawnSync("netlab", ["down", "--cleanup"], { cwd: lab.dir, stdio: "inherit" });
  if (result.status !== 0) {
    process.stderr.write(
      `FatalError: Error shutting down lab ${id}\n... Change directory to ${lab.dir} and execute "netlab down --cleanup --force"\n`,
    );
  }
}

function resetStatus(env: NodeJS.ProcessEnv): void {
  print(`\nThis action deletes the lab status file ${statusFilePath(env)}.\n`);
  if (!confirm("Do you want to continue?")) return;
  rmSync(statusFilePath(env), { force: true });
  print("Lab status file removed");
}
