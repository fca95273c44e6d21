export interface SseMessage {
  event?: string;
  id?: string;
  data: string;
  /** The reconnection delay the client should use, in ms. */
  retry?: number;
}

const encoder = new TextEncoder();

/** One event in the text/event-stream format; `data` may hold newlines (one `data:` line each). */
export function formatSse(message: SseMessage): string {
  for (const value of [message.event, message.id]) {
    if (value !== undefined && /[\r\n]/.test(value)) throw new Error("SSE event names and ids must be one line");
  }
  const lines = [
    message.event !== undefined ? `event: ${message.event}` : null,
    ...message.data.split(/\r\n|\r|\n/).map((line) => `data: ${line}`),
  ];
  if (message.id !== undefined) lines.push(`id: ${message.id}`);
  if (message.retry !== undefined) lines.push(`retry: ${message.retry}`);
  return `${lines.filter((line) => line !== null).join("\n")}\n\n`;
}

/**
 * The body of a server-sent event stream with a bounded send buffer. The runtime takes bytes only
 * as fast as the client reads them, so what is queued here is what the client has not taken:
 * `hasRoom` says whether it is under the bound, `ready()` waits until it is.
 */
export class SseSink {
  readonly body: ReadableStream<Uint8Array>;
  readonly #ended = new AbortController();
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #waiters: (() => void)[] = [];

  constructor(bufferBytes: number) {
    this.body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.#controller = controller;
        },
        pull: () => this.#wake(),
        cancel: () => this.#end(),
      },
      new ByteLengthQueuingStrategy({ highWaterMark: bufferBytes }),
    );
  }

  /** Aborted once the client went away or the stream was closed. */
  get ended(): AbortSignal {
    return this.#ended.signal;
  }

  get hasRoom(): boolean {
    return this.room > 0;
  }

  /** Bytes that may still be queued before the bound. */
  get room(): number {
    return this.#controller.desiredSize ?? 0;
  }

  /** Resolves when the buffer is under its bound again, or the stream ended. */
  ready(): Promise<void> {
    if (this.hasRoom || this.ended.aborted) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  send(message: SseMessage): void {
    this.#enqueue(encoder.encode(formatSse(message)));
  }

  /** Bytes already in the text/event-stream format, which may be shared with other streams. */
  write(bytes: Uint8Array): void {
    this.#enqueue(bytes);
  }

  /** A comment line, which keeps proxies from closing an idle connection. */
  comment(text: string): void {
    this.#enqueue(encoder.encode(`: ${text}\n\n`));
  }

  /** Ends the stream after what is queued. */
  close(): void {
    if (this.ended.aborted) return;
    this.#controller.close();
    this.#end();
  }

  #enqueue(bytes: Uint8Array): void {
    if (!this.ended.aborted) this.#controller.enqueue(bytes);
  }

  #end(): void {
    this.#ended.abort();
    this.#wake();
  }

  #wake(): void {
    // Called on every pull: most find no one waiting.
    if (this.#waiters.length === 0) return;
    for (const resolve of this.#waiters.splice(0)) resolve();
  }
}
