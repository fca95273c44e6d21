import { TopologyError } from "../../../topology/topology-error.ts";

/**
 * FRR's `daemons` file is a shell script that frrinit.sh sources as root and whose options it
 * `eval`s. A lab's file is therefore read as data, never run as given: only `KEY=VALUE` lines with
 * the keys FRR documents, option values of plain words (no paths, no shell syntax, no `-N`: the
 * instance is the runtime's to choose), and it is written back in a normalised form.
 */

/** What a node gets without a bound daemons file: zebra and staticd, as FRR's own default file. */
export const DEFAULT_DAEMONS_FILE = 'vtysh_enable="yes"\nzebra_options="-A 127.0.0.1 -s 90000000"\n';

const ENABLE_VALUE = /^(yes|no|0|1)$/;
const OPTION_VALUE = /^[A-Za-z0-9 ._:=,@+-]*$/;
const INSTANCES_VALUE = /^[0-9,]*$/;
const LINE = /^([A-Za-z][A-Za-z0-9_]*)=(?:"([^"$`\\]*)"|'([^']*)'|([^\s"'$`\\;&|<>()]*))\s*(?:#.*)?$/;
/** Options that would point a daemon at another instance's files. */
const FORBIDDEN_OPTION = /^(-N|--pathspace)/;

export interface DaemonsFile {
  /** The normalised file written to the instance's configuration folder. */
  text: string;
  /** Daemons switched on (`bgpd=yes`); zebra and staticd always run. */
  enabled: string[];
}

export function readDaemonsFile(text: string, field: string): DaemonsFile {
  const values = new Map<string, string>();
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const match = LINE.exec(line);
    if (!match) throw new TopologyError(field, `daemons line ${index + 1} "${line}" is not KEY=VALUE without shell syntax`);
    const [, key, ...quoted] = match as unknown as [string, string, ...(string | undefined)[]];
    const value = quoted.find((part) => part !== undefined) ?? "";
    const problem = valueProblem(key, value);
    if (problem) throw new TopologyError(field, `daemons line ${index + 1}: ${key} ${problem}`);
    values.set(key, value);
  });
  const enabled = [...values].filter(([key, value]) => isDaemonName(key) && (value === "yes" || value === "1")).map(([key]) => key);
  return { text: [...values].map(([key, value]) => `${key}="${value}"\n`).join(""), enabled };
}

function valueProblem(key: string, value: string): string | null {
  if (key === "vtysh_enable" || isDaemonName(key)) return ENABLE_VALUE.test(value) ? null : `must be yes or no, not "${value}"`;
  if (key.endsWith("_instances")) return INSTANCES_VALUE.test(value) ? null : `must list instance numbers, not "${value}"`;
  if (key === "MAX_FDS") return /^\d+$/.test(value) ? null : `must be a number, not "${value}"`;
  if (key === "frr_profile") {
    return /^[a-z]+$/.test(value) ? null : `must be a profile name such as traditional or datacenter, not "${value}"`;
  }
  if (key.endsWith("_options")) {
    if (!OPTION_VALUE.test(value)) {
      return `"${value}" may only hold words of letters, digits and . _ : = , @ + - (no paths or shell syntax)`;
    }
    const forbidden = value.split(/\s+/).find((word) => FORBIDDEN_OPTION.test(word));
    return forbidden ? `may not set ${forbidden}: each node's FRR instance is chosen by the runtime` : null;
  }
  return "is not a daemons setting the native runtime accepts (daemon=yes|no, <daemon>_options, <daemon>_instances, vtysh_enable, frr_profile, MAX_FDS)";
}

function isDaemonName(key: string): boolean {
  return /^[a-z][a-z0-9]*$/.test(key);
}
