export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/** Reads a complete server-sent event stream (until the server ends it) into messages. */
export async function readSse(response: Response): Promise<SseMessage[]> {
  const text = await response.text();
  return parseSse(text);
}

export function parseSse(text: string): SseMessage[] {
  const messages: SseMessage[] = [];
  for (const block of text.split("\n\n")) {
    const message: SseMessage = { data: "" };
    let hasData = false;
    for (const line of block.split("\n")) {
      if (line.startsWith("id:")) message.id = line.slice(3).trim();
      else if (line.startsWith("event:")) message.event = line.slice(6).trim();
      else if (line.startsWith("data:")) {
        message.data += (hasData ? "\n" : "") + line.slice(5).trimStart();
        hasData = true;
      }
    }
    if (hasData) messages.push(message);
  }
  return messages;
}

/** Reads messages one at a time from a live stream. */
export class SseReader {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #decoder = new TextDecoder();
  #buffer = "";
  #queue: SseMessage[] = [];

  constructor(response: Response) {
    this.#reader = response.body!.getReader();
  }

  /** The next message, or undefined when the stream has ended. */
  async next(): Promise<SseMessage | undefined> {
    while (this.#queue.length === 0) {
      const { done, value } = await this.#reader.read();
      if (done) return undefined;
      this.#buffer += this.#decoder.decode(value, { stream: true });
      const end = this.#buffer.lastIndexOf("\n\n");
      if (end < 0) continue;
      this.#queue.push(...parseSse(this.#buffer.slice(0, end)));
      this.#buffer = this.#buffer.slice(end + 2);
    }
    return this.#queue.shift();
  }

  /** Every message until the stream ends. */
  async rest(): Promise<SseMessage[]> {
    const messages: SseMessage[] = [];
    for (let message = await this.next(); message; message = await this.next()) messages.push(message);
    return messages;
  }

  cancel(): Promise<void> {
    return this.#reader.cancel();
  }
}
