/** Appends each complete line of `stream` to `lines` as it arrives; `onLines` runs after each chunk. */
export async function readLines(stream: ReadableStream<BufferSource>, lines: string[], onLines: () => void = () => {}): Promise<void> {
  let buffer = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    const parts = buffer.split("\n");
    buffer = parts.pop()!;
    lines.push(...parts);
    onLines();
  }
}
