/**
 * Which part of an over-long stream survives: the end (what a failed tool printed last explains the
 * failure) or the beginning (job output, so what was streamed live is exactly what is kept).
 */
export type KeepPart = "head" | "tail";

/**
 * Keeps at most `limit` bytes of one output stream, byte-accurately, and counts what it cuts.
 * Bytes, not characters: limits protect memory and the wire, and a multibyte character cut in two
 * decodes as U+FFFD rather than being silently miscounted.
 */
export class StreamCapture {
  #chunks: Uint8Array[] = [];
  #size = 0;
  /** Bytes that were not kept. */
  cutBytes = 0;

  constructor(
    readonly limit: number,
    readonly keep: KeepPart,
  ) {
    if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`Output limit must be a whole number of bytes, not ${limit}`);
  }

  /**
   * Records `bytes` and returns the part that counts as output now: all of it when keeping the tail
   * (it was printed, even if it is later pushed out), only what still fits when keeping the head.
   */
  accept(bytes: Uint8Array): Uint8Array {
    if (this.keep === "head") {
      const room = Math.max(0, this.limit - this.#size);
      const kept = bytes.length <= room ? bytes : bytes.subarray(0, room);
      this.cutBytes += bytes.length - kept.length;
      this.#append(kept);
      return kept;
    }
    this.#append(bytes);
    this.#dropFromStart();
    return bytes;
  }

  get keptBytes(): number {
    return this.#size;
  }

  get text(): string {
    const all = new Uint8Array(this.#size);
    let offset = 0;
    for (const chunk of this.#chunks) {
      all.set(chunk, offset);
      offset += chunk.length;
    }
    return new TextDecoder().decode(all);
  }

  #append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    // Copied: the reader may reuse its buffer for the next read.
    this.#chunks.push(bytes.slice());
    this.#size += bytes.length;
  }

  #dropFromStart(): void {
    let excess = this.#size - this.limit;
    while (excess > 0 && this.#chunks.length > 0) {
      const first = this.#chunks[0]!;
      const cut = Math.min(excess, first.length);
      const rest = skipContinuationBytes(first.subarray(cut));
      this.cutBytes += first.length - rest.length;
      this.#size -= first.length - rest.length;
      excess = this.#size - this.limit;
      if (rest.length === 0) this.#chunks.shift();
      else this.#chunks[0] = rest;
    }
  }
}

/** Starts the kept tail on a character boundary so it does not open with a broken character. */
function skipContinuationBytes(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length && start < 3 && (bytes[start]! & 0b1100_0000) === 0b1000_0000) start++;
  return bytes.subarray(start);
}

/** Turns raw reads into text as it arrives and, for line consumers, into complete lines. */
export class LiveDecoder {
  #decoder = new TextDecoder();
  #pendingLine = "";

  constructor(
    private readonly onText: ((text: string) => void) | undefined,
    private readonly onLine: ((line: string) => void) | undefined,
  ) {}

  push(bytes: Uint8Array): void {
    this.#emit(this.#decoder.decode(bytes, { stream: true }));
  }

  /** Flushes a character split across the last read and a final line without a newline. */
  end(): void {
    this.#emit(this.#decoder.decode());
    if (this.#pendingLine && this.onLine) this.onLine(this.#pendingLine);
    this.#pendingLine = "";
  }

  #emit(text: string): void {
    if (!text) return;
    this.onText?.(text);
    if (!this.onLine) return;
    this.#pendingLine += text;
    let newline: number;
    while ((newline = this.#pendingLine.indexOf("\n")) >= 0) {
      this.onLine(this.#pendingLine.slice(0, newline));
      this.#pendingLine = this.#pendingLine.slice(newline + 1);
    }
  }
}
