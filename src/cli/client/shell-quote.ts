/** POSIX shell single-quoting: safe to `eval` whatever the text holds. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * What `--shell` prints when it has no session to export: evaluated by the calling shell, it ends a
 * script (a CI step, with or without `set -e`) with `code`, and in an interactive shell only sets
 * `$?`, so a person trying the command does not lose their terminal.
 */
export function shellExitLine(code: number): string {
  return `case $- in *i*) (exit ${code}) ;; *) exit ${code} ;; esac\n`;
}
