/**
 * containerlab's log lines (charmbracelet/log, TimeOnly format) on stderr:
 * `HH:MM:SS INFO msg key=value`. Values with spaces are quoted like the real logger does.
 */
export function logInfo(message: string, fields: Record<string, string> = {}): void {
  logLine("INFO", message, fields);
}

/** `log.Errorf`: an error containerlab reports and goes on from. */
export function logError(message: string): void {
  logLine("ERRO", message, {});
}

function logLine(level: string, message: string, fields: Record<string, string>): void {
  const time = new Date().toTimeString().slice(0, 8);
  const pairs = Object.entries(fields).map(([key, value]) =>
    `${key}=${/[\s"]/.test(value) || value === "" ? JSON.stringify(value) : value}`
  );
  process.stderr.write(`${[time, level, message, ...pairs].join(" ")}\n`);
}

/** An error containerlab returns: fang prints exactly the message to stderr and main exits 1. */
export class ClabError extends Error {}
