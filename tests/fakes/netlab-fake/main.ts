import { down } from "./cmd-down.ts";
import { inspect } from "./cmd-inspect.ts";
import { status } from "./cmd-status.ts";
import { up } from "./cmd-up.ts";
import { errorAndExit, fatal, NetlabExit, print } from "./netlab-log.ts";
import { NETLAB_VERSION } from "./package-defaults.ts";

const COMMANDS: Record<string, (args: string[], env: NodeJS.ProcessEnv) => void> = {
  up,
  down,
  status,
  inspect,
  version: () => print(`netlab version ${NETLAB_VERSION}`),
};

/** Real netlab commands this fake leaves out: they fail loudly rather than pretend. */
const NOT_IMPLEMENTED = [
  "create",
  "connect",
  "exec",
  "collect",
  "validate",
  "report",
  "initial",
  "config",
  "restart",
  "capture",
  "graph",
  "show",
  "test",
  "tc",
  "install",
  "libvirt",
  "clab",
  "api",
  "defaults",
  "usage",
  "help",
];

/** Runs one netlab command line; returns the exit code. */
export function runNetlab(argv: string[], env: NodeJS.ProcessEnv): number {
  const [command, ...args] = argv;
  try {
    if (command === undefined) print("usage: netlab <command> [options]");
    else if (COMMANDS[command]) COMMANDS[command](args, env);
    else if (NOT_IMPLEMENTED.includes(command)) fatal(`the fake netlab does not implement 'netlab ${command}'`);
    else errorAndExit("netlab", `Unknown command ${command}`, ["Use 'netlab usage' to get the list of valid commands"]);
    return 0;
  } catch (error) {
    if (error instanceof NetlabExit) return error.code;
    throw error;
  }
}
