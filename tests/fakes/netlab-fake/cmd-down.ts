import { existsSync, rmSync, statSync } from "node:fs";
import { runProbes, runProviderCommand } from "./clab-provider.ts";
import { changeToInstance } from "./instance.ts";
import { changeStatus, logLabStatus, readSnapshot, readStatus, SNAPSHOT_FILE, unlockDirectory } from "./lab-state.ts";
import { type OptionSpec, parseArgs } from "./netlab-args.ts";
import { asList, type Data, getPath } from "./netlab-data.ts";
import { confirm, errorAndExit, fatal, NetlabExit, print, sectionHeader } from "./netlab-log.ts";
import { labInstanceId } from "./transform.ts";

const DOWN_OPTIONS: OptionSpec[] = [
  { flags: ["-v", "--verbose"], dest: "verbose", action: "count" },
  { flags: ["--cleanup"], dest: "cleanup", action: "store_true" },
  { flags: ["--dry-run"], dest: "dry_run", action: "store_true" },
  { flags: ["--force"], dest: "force", action: "count" },
  { flags: ["-i", "--instance"], dest: "instance", action: "store" },
  { flags: ["--snapshot"], dest: "snapshot", action: "optional", const: "netlab.snapshot.yml" },
];

/**
 * `netlab down` (`NL:netsim/cli/down.py`), quirks included: a failing provider probe returns
 * with exit 0 and changes nothing unless `--force`; with `--force` the nodes are NOT stopped but
 * the files, the status entry and the lock are removed anyway. A status entry naming another
 * directory prompts (EOFError on a closed stdin) unless `--force --force`.
 */
export function down(args: string[], env: NodeJS.ProcessEnv): void {
  const parsed = parseArgs("netlab down", DOWN_OPTIONS, [], args);
  const force = Number(parsed.force ?? 0);
  for (const option of ["snapshot", "dry_run"]) {
    if (parsed[option]) fatal(`the fake netlab does not implement 'netlab down --${option.replace("_", "-")}'`);
  }
  if (parsed.instance) changeToInstance(env, String(parsed.instance), "netlab down");
  const topology = readSnapshot();
  if (!topology) {
    errorAndExit("netlab down", `Cannot read the transformed lab topology from ${SNAPSHOT_FILE}`, [
      "Looks like no lab was started from this directory",
      "Use 'netlab status --all' to display labs running on this system",
    ]);
  }
  const id = labInstanceId(topology);
  const mismatch = labDirMismatch(env, id, force);
  logLabStatus(env, id, `lab shutdown requested${mismatch ? " in conflicting directory" : ""}`, { status: "lab shutdown requested" });

  let probesOk = true;
  try {
    runProbes(env, id);
  } catch (error) {
    if (!(error instanceof NetlabExit)) throw error;
    probesOk = false;
    if (!force) return;
  }
  if (probesOk) {
    sectionHeader("Stopping", "clab nodes");
    logLabStatus(env, id, "stopping clab provider", { status: "stopping clab provider" });
    try {
      runProviderCommand(env, id, "stop", "netlab down", topology);
    } catch (error) {
      if (!(error instanceof NetlabExit) || !force) throw error;
    }
  }
  if (parsed.cleanup) {
    sectionHeader("Cleanup", "configuration files");
    cleanupFiles(topology);
  }
  if (!mismatch) changeStatus(env, (status) => void delete status[id]);
  unlockDirectory();
}

function labDirMismatch(env: NodeJS.ProcessEnv, id: string, force: number): boolean {
  const record = readStatus(env)[id];
  if (!record || record.dir === process.cwd()) return false;
  if (force >= 2) return true;
  print(`\nAccording to the netlab status file, the lab instance '${id}' is running\nin directory ${record.dir}.\n`);
  if (!confirm("Do you want to proceed?")) fatal("aborting lab shutdown request");
  return true;
}

function cleanupFiles(topology: Data): void {
  const files = [
    ...asList(getPath(topology.defaults, ["providers", "clab", "cleanup"])),
    ...asList(getPath(topology.defaults, ["automation", "ansible", "cleanup"])),
    "node_files",
    "netlab.snapshot.yml",
    SNAPSHOT_FILE,
  ].map(String);
  for (const file of files) {
    if (!existsSync(file)) continue;
    print(statSync(file).isDirectory() ? `... removing directory tree ${file}` : `... removing ${file}`);
    rmSync(file, { recursive: true, force: true });
  }
}
