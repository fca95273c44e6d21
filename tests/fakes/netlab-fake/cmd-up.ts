import { runProbes, runProviderCommand, writeClabConfig } from "./clab-provider.ts";
import { isDirectoryLocked, lockDirectory, logLabStatus, readStatus, writeSnapshot } from "./lab-state.ts";
import { COMMON_OPTIONS, type OptionSpec, parseArgs } from "./netlab-args.ts";
import { fatal, print, sectionHeader, setQuiet } from "./netlab-log.ts";
import { labInstanceId, transformTopology } from "./transform.ts";

const UP_OPTIONS: OptionSpec[] = [
  ...COMMON_OPTIONS,
  { flags: ["--defaults"], dest: "defaults", action: "store" },
  { flags: ["-d", "--device"], dest: "device", action: "store" },
  { flags: ["-p", "--provider"], dest: "provider", action: "store" },
  { flags: ["--plugin"], dest: "plugin", action: "append" },
  { flags: ["-s", "--set"], dest: "settings", action: "append" },
  { flags: ["--no-config"], dest: "no_config", action: "store_true" },
  { flags: ["-r", "--reload-config"], dest: "reload", action: "store" },
  { flags: ["--no-tools"], dest: "no_tools", action: "store_true" },
  { flags: ["--dry-run"], dest: "dry_run", action: "store_true" },
  { flags: ["--fast-config"], dest: "fast_config", action: "store_true" },
  { flags: ["--snapshot"], dest: "snapshot", action: "optional", const: "netlab.snapshot.yml" },
  { flags: ["--validate"], dest: "validate", action: "store_true" },
];

/** `netlab up` (`NL:netsim/cli/up.py`): lock check, create, instance check, probes, lock, start. */
export function up(args: string[], env: NodeJS.ProcessEnv): void {
  const parsed = parseArgs("netlab up", UP_OPTIONS, ["topology"], args);
  setQuiet(parsed.quiet === true);
  for (const option of ["snapshot", "dry_run", "reload", "validate"]) {
    if (parsed[option]) fatal(`the fake netlab does not implement 'netlab up --${option.replace("_", "-")}'`);
  }
  if (isDirectoryLocked()) {
    print(
      "\nIt looks like you have another lab running in this directory. If you want to\ncontinue the lab startup process due to a previous failure, please use the\n'netlab up --snapshot' command.\n",
    );
    fatal("Cannot start another lab in the same directory");
  }

  sectionHeader("Creating", "configuration files");
  const topology = transformTopology({
    topologyFile: (parsed.topology as string | undefined) ?? "topology.yml",
    cwd: process.cwd(),
    env,
    settings: (parsed.settings as string[] | undefined) ?? [],
    device: parsed.device as string | undefined,
    provider: parsed.provider as string | undefined,
    plugins: (parsed.plugin as string[] | undefined) ?? [],
  });
  writeSnapshot(topology);
  writeClabConfig(topology);
  print("Created provider configuration file: clab.yml");

  const id = labInstanceId(topology);
  const running = readStatus(env)[id];
  if (running && running.dir !== process.cwd()) {
    print(`\nIt looks like the lab instance '${id}' is already running in directory\n${running.dir}.\n`);
    fatal('aborting "netlab up" request');
  }
  // up.py:352-353: commands are logged from the probes on, so a failed probe leaves a record without `status`.
  runProbes(env, id);
  // up.py:110-123 (`lab_status_start`, up.py:364): the probes' record already exists by now.
  const restarting = id in readStatus(env);
  logLabStatus(env, id, restarting ? "restarting lab" : "starting lab", {
    status: restarting ? "restarting lab" : "starting lab",
    name: String(topology.name),
    providers: [],
  });
  lockDirectory();

  sectionHeader("Starting", "clab nodes");
  logLabStatus(env, id, "starting provider clab", { status: "starting provider clab", providers: ["clab"] });
  runProviderCommand(env, id, "start", "netlab up", topology);
  logLabStatus(env, id, "clab workload started", { status: "clab workload started" });
  print(
    parsed.no_config
      ? "[SKIPPED] Initial configuration skipped, run 'netlab initial' to configure the devices"
      : "[SKIPPED] Initial device configuration is not modelled by the fake netlab",
  );
  logLabStatus(env, id, "started", { status: "started" });
  lockDirectory();
}
