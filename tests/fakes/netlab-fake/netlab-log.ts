import { readFileSync } from "node:fs";

/**
 * netlab's non-TTY messages (`NL:netsim/utils/log.py`): fatal errors and errors on stderr as
 * `Fatal error in <module>: <text>` / `<Category> in <module>: <text>` with `... <hint>` lines,
 * status and info lines on stdout. A command ends by throwing NetlabExit.
 */

export class NetlabExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

let quiet = false;
let topologyFileForErrors: string | null = null;
let errorHeaderPrinted = false;
let pendingErrors = false;

export function setQuiet(value: boolean): void {
  quiet = value;
}

export function isQuiet(): boolean {
  return quiet;
}

/** The topology named in the `Errors encountered while processing …` header. */
export function setTopologyFileForErrors(file: string): void {
  topologyFileForErrors = file;
}

export function fatal(text: string, module = "netlab"): never {
  process.stderr.write(`Fatal error in ${module}: ${text}\n`);
  throw new NetlabExit(1);
}

/** `log.error`: reported, collected, and fatal only at the next `exitOnErrors`. */
export function reportError(text: string, category: string, module: string, hints: string[] = []): void {
  if (!errorHeaderPrinted && topologyFileForErrors) {
    process.stderr.write(`Errors encountered while processing ${topologyFileForErrors}\n`);
    errorHeaderPrinted = true;
  }
  process.stderr.write(`${module ? `${category} in ${module}` : category}: ${text}\n`);
  for (const hint of hints) process.stderr.write(`... ${hint}\n`);
  pendingErrors = true;
}

export function exitOnErrors(): void {
  if (pendingErrors) fatal("Cannot proceed beyond this point due to errors, exiting");
}

/** `error_and_exit` of the CLI commands. */
export function errorAndExit(command: string, text: string, hints: string[] = []): never {
  process.stderr.write(`FatalError in ${command}: ${text}\n`);
  for (const hint of hints) process.stderr.write(`... ${hint}\n`);
  throw new NetlabExit(1);
}

export function print(text = ""): void {
  process.stdout.write(`${text}\n`);
}

/** `log.section_header` without colours. */
export function sectionHeader(label: string, text: string): void {
  print(`${label} ${text}`);
}

/** `log.status_success` without colours prints "OK: ". */
export function printSuccess(text: string): void {
  if (!quiet) print(`OK: ${text}`);
}

/**
 * `strings.confirm` reads stdin with Python's `input()`: on a closed stdin that raises an
 * unhandled EOFError, i.e. a traceback and exit 1.
 */
export function confirm(question: string): boolean {
  process.stdout.write(`${question} [y/n] `);
  const input = readFileSync(0, "utf8");
  if (input === "") {
    process.stderr.write(
      [
        "Traceback (most recent call last):",
        '  File "/usr/local/bin/netlab", line 8, in <module>',
        "    sys.exit(lab_commands())",
        '  File "/usr/local/lib/python3/site-packages/netsim/utils/strings.py", in confirm',
        "    answer = input(prompt)",
        "EOFError: EOF when reading a line",
        "",
      ].join("\n"),
    );
    throw new NetlabExit(1);
  }
  return input.trim().toLowerCase().startsWith("y");
}
