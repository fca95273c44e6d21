export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Receives one complete JSON line (without the newline). */
  write?: (line: string) => void;
  now?: () => number;
}

const writeToStderr = (line: string) => {
  process.stderr.write(line + "\n");
};

/** One JSON object per line: `{"ts","level","msg",...fields}`. */
export function createLogger(options: LoggerOptions, bound: LogFields = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level);
  const write = options.write ?? writeToStderr;
  const now = options.now ?? Date.now;
  const emit = (level: LogLevel) => (msg: string, fields?: LogFields) => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const replacer = level === "error" ? errorWithStack : errorWithoutStack;
    write(JSON.stringify({ ts: new Date(now()).toISOString(), level, msg, ...bound, ...fields }, replacer));
  };
  return {
    debug: emit("debug"),
    info: emit("info"),
    warn: emit("warn"),
    error: emit("error"),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}

/** A logger that drops everything, for tests that do not look at logs. */
export const silentLogger: Logger = createLogger({ level: "error", write: () => {} });

// Error lines keep the stack, to find the fault behind a 500; lower levels log expected failures, where it is noise.
function errorWithStack(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
}

function errorWithoutStack(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}
