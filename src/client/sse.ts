/** One dispatched server-sent event. */
export interface ServerSentEvent {
  /** The event type; `message` when the server named none. */
  event: string;
  data: string;
  /** The last event id in effect when it was dispatched (ids carry over to events that set none). */
  id: string | undefined;
}

/**
 * The event-stream format of the HTML standard, fed text as it arrives: lines end in CRLF, LF or
 * CR, `:` starts a comment, `data` lines join with newlines, `id` persists, `retry` sets the
 * reconnection delay. Chunks may split lines (and CRLF pairs) anywhere.
 */
export class EventStreamParser {
  lastEventId: string | undefined;
  /** The reconnection delay the server asked for, if it did. */
  retryMs: number | undefined;
  #buffer = "";
  #started = false;
  #event = "";
  #data: string[] = [];

  constructor(lastEventId?: string) {
    this.lastEventId = lastEventId;
  }

  /** Consumes `text` and returns the events it completed. */
  feed(text: string): ServerSentEvent[] {
    let buffer = this.#buffer + text;
    if (!this.#started && buffer.length > 0) {
      this.#started = true;
      if (buffer.startsWith("\uFEFF")) buffer = buffer.slice(1);
    }
    const events: ServerSentEvent[] = [];
    let start = 0;
    for (let index = 0; index < buffer.length; index++) {
      const char = buffer[index];
      if (char !== "\n" && char !== "\r") continue;
      // A CR at the very end may be the first half of CRLF: wait for the next chunk.
      if (char === "\r" && index + 1 === buffer.length) break;
      const line = buffer.slice(start, index);
      if (char === "\r" && buffer[index + 1] === "\n") index++;
      start = index + 1;
      const event = this.#line(line);
      if (event) events.push(event);
    }
    this.#buffer = buffer.slice(start);
    return events;
  }

  #line(line: string): ServerSentEvent | undefined {
    if (line === "") return this.#dispatch();
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.#event = value;
    else if (field === "data") this.#data.push(value);
    else if (field === "id" && !value.includes("\0")) this.lastEventId = value;
    else if (field === "retry" && /^\d+$/.test(value)) this.retryMs = Number(value);
    return undefined;
  }

  #dispatch(): ServerSentEvent | undefined {
    const event = this.#event || "message";
    const data = this.#data;
    this.#event = "";
    this.#data = [];
    if (data.length === 0) return undefined;
    return { event, data: data.join("\n"), id: this.lastEventId };
  }
}

/** Yields the events of one response body until it ends; cancelling the iteration cancels the body. */
export async function* readEventStream(body: ReadableStream<Uint8Array>, parser: EventStreamParser): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* parser.feed(decoder.decode(value, { stream: true }));
    }
    // The stream ended: a last line without its blank line is dropped, as the standard says.
    parser.feed(decoder.decode());
  } finally {
    await reader.cancel().catch(() => {});
  }
}
