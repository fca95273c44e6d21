/** File contents as the SDK accepts them: text (written as UTF-8) or bytes. */
export type FileContent = string | Uint8Array;

/** The content as bytes of a plain ArrayBuffer (what request bodies accept). */
export function toBytes(content: FileContent): Uint8Array<ArrayBuffer> {
  return typeof content === "string" ? new TextEncoder().encode(content) : new Uint8Array(content);
}

/** Base64 without Buffer (not every runtime has it), in chunks so large files do not overflow the call stack. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let offset = 0; offset < bytes.length; offset += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  }
  return btoa(binary);
}
