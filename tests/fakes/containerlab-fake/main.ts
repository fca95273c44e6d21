import { DockerError } from "../fake-docker/docker-error.ts";
import { deploy, DEPLOY_FLAGS } from "./clab-deploy.ts";
import { destroy, DESTROY_FLAGS } from "./clab-destroy.ts";
import { type FlagSpec, type FlagValues, parseFlags, ROOT_FLAGS } from "./clab-flags.ts";
import { ClabError } from "./clab-log.ts";
import { exec, EXEC_FLAGS, inspect, INSPECT_FLAGS, version, VERSION_FLAGS } from "./clab-query.ts";

interface Command {
  names: string[];
  flags: FlagSpec[];
  run: (values: FlagValues, env: NodeJS.ProcessEnv) => void;
}

const COMMANDS: Command[] = [
  { names: ["deploy", "dep", "apply"], flags: DEPLOY_FLAGS, run: deploy },
  { names: ["destroy", "des"], flags: DESTROY_FLAGS, run: destroy },
  { names: ["inspect", "ins", "i"], flags: INSPECT_FLAGS, run: inspect },
  { names: ["exec"], flags: EXEC_FLAGS, run: exec },
  { names: ["version"], flags: VERSION_FLAGS, run: version },
];

/** Real commands this fake leaves out: they fail loudly rather than pretend. */
const NOT_IMPLEMENTED = [
  "redeploy",
  "start",
  "stop",
  "restart",
  "events",
  "generate",
  "validate",
  "tools",
  "graph",
  "save",
  "config",
  "completion",
];

/** Runs one containerlab command line; returns the exit code (any error: message on stderr, exit 1). */
export function runContainerlab(argv: string[], env: NodeJS.ProcessEnv): number {
  try {
    const at = commandIndex(argv);
    if (at < 0) {
      process.stdout.write("Usage:\n  containerlab [command]\n");
      return 0;
    }
    const name = argv[at]!;
    const command = COMMANDS.find((candidate) => candidate.names.includes(name));
    if (!command) {
      if (NOT_IMPLEMENTED.includes(name)) throw new ClabError(`fake containerlab: '${name}' is not implemented`);
      throw new ClabError(`unknown command "${name}" for "containerlab"`);
    }
    const rest = [...argv.slice(0, at), ...argv.slice(at + 1)];
    if (command.names[0] === "version" && rest[0] === "upgrade") {
      throw new ClabError("fake containerlab: 'version upgrade' is not implemented");
    }
    const { values } = parseFlags(command.names[0]!, [...ROOT_FLAGS, ...command.flags], rest, env);
    command.run(values, env);
    return 0;
  } catch (error) {
    if (!(error instanceof ClabError || error instanceof DockerError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
}

/** cobra finds the sub-command among the arguments, skipping root flags and their values. */
function commandIndex(argv: string[]): number {
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (!arg.startsWith("-")) return index;
    const takesValue = ROOT_FLAGS.some((flag) =>
      flag.kind !== "bool" && flag.kind !== "count" && (arg === `--${flag.long}` || arg === `-${flag.short}`)
    );
    if (takesValue) index++;
  }
  return -1;
}
