import type { OutputStream } from "../command-runner.ts";

/**
 * One piece of a job's output as it happened. `seq` starts at 1 and counts across both streams,
 * so a client that has seen up to N asks for what comes after N.
 */
export interface OutputChunk {
  seq: number;
  stream: OutputStream;
  text: string;
}

export type OutputListener = (chunk: OutputChunk) => void;

/**
 * The ordered output of one job: numbers chunks, keeps them for clients that resume, and hands
 * them to a listener as they happen. Only kept output arrives here (the runner keeps the head of
 * each stream), so concatenating a stream's chunks gives exactly the job's final stdout/stderr.
 */
export class JobOutputLog {
  #chunks: OutputChunk[] = [];
  #listener: OutputListener | undefined;
  /** Why the listener was detached: it threw, and the job must go on draining its output. */
  listenerError: string | null = null;

  constructor(listener: OutputListener | undefined) {
    this.#listener = listener;
  }

  append(stream: OutputStream, text: string): void {
    const chunk = { seq: this.#chunks.length + 1, stream, text };
    this.#chunks.push(chunk);
    if (!this.#listener) return;
    try {
      this.#listener(chunk);
    } catch (error) {
      this.#listener = undefined;
      this.listenerError = `The output listener threw at chunk ${chunk.seq} and was detached: ${
        error instanceof Error ? error.message : String(error)
      }`;
    }
  }

  /** Chunks after `seq` (all of them for 0). */
  since(seq: number): OutputChunk[] {
    return this.#chunks.slice(Math.max(0, seq));
  }

  get lastSeq(): number {
    return this.#chunks.length;
  }
}

/** The line that stands where output was cut; it says how much was kept and how much was not. */
export function truncationMarker(stream: OutputStream, keptBytes: number, cutBytes: number): string {
  return `\n[labbroker: ${stream} truncated: first ${keptBytes} bytes kept, ${cutBytes} bytes cut]\n`;
}

/** The line that ends stderr when processes of the job survived every kill: their pids, so someone can look. */
export function unkilledMarker(pids: readonly number[]): string {
  return `\n[labbroker: could not kill processes ${pids.join(", ")} of this job; their output is no longer read]\n`;
}
