import type { Context, MiddlewareHandler } from "hono";
import { type Clock, sleepOn } from "../../clock.ts";
import { PayloadTooLargeError, RequestTimeoutError, UnavailableError } from "../../engine/errors.ts";
import type { BodyBudget } from "./body-budget.ts";

export interface BodyReadLimits {
  /** Longest a client may take to send a whole request body. */
  bodyTimeoutMs: number;
}

/** Bodies in memory free up as requests finish, usually within a second or two. */
const BUSY_RETRY_AFTER_S = 2;

/**
 * Reads each request body before any handler sees it, within three bounds: the route's size limit
 * (Content-Length checked before reading, then the bytes counted as they come), the read deadline
 * (a slow client is cut with 408), and the broker-wide budget of bodies in memory (503 with
 * Retry-After when full). The body is handed on as read bytes and its budget freed when the
 * request ends.
 */
export function bodyGuard(
  limits: BodyReadLimits,
  budget: BodyBudget,
  clock: Clock,
  maxBytesFor: (c: Context) => number,
): MiddlewareHandler {
  return async (c, next) => {
    const request = c.req.raw;
    if (!request.body) return next();
    const maxBytes = maxBytesFor(c);
    const declared = request.headers.has("content-length") ? Number(request.headers.get("content-length")) : null;
    if (declared !== null && declared > maxBytes) throw tooLarge(maxBytes);
    let held = 0;
    const hold = (bytes: number) => {
      if (!budget.take(bytes)) {
        throw new UnavailableError(
          "The broker holds as many request bodies in memory as it may; send this one again shortly",
          BUSY_RETRY_AFTER_S,
        );
      }
      held += bytes;
    };
    try {
      if (declared !== null) hold(declared);
      const body = await readWithin(request.body, maxBytes, limits.bodyTimeoutMs, clock, declared === null ? hold : () => {}).catch(
        (error: unknown) => {
          // The rest of the body stays unread: the answer ends the connection instead of waiting for it.
          c.header("connection", "close");
          throw error;
        },
      );
      // Hono's readers (json, text, formData, arrayBuffer) start from its cache; the request itself stays as the server gave it, for its peer address.
      // (Its cache holds promises; its type says otherwise.)
      const whole = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength
        ? body.buffer
        : body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength);
      Object.assign(c.req.bodyCache, { arrayBuffer: Promise.resolve(whole) });
      await next();
    } finally {
      budget.give(held);
    }
  };
}

const tooLarge = (maxBytes: number) => new PayloadTooLargeError(`Request body is larger than the limit of ${maxBytes} bytes`);

/** Every byte of `body`, at most `maxBytes`, within `timeoutMs`; `onChunk` may refuse a chunk by throwing. */
async function readWithin(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  timeoutMs: number,
  clock: Clock,
  onChunk: (bytes: number) => void,
): Promise<Uint8Array> {
  const reader = body.getReader();
  const deadline = new AbortController();
  const expired = sleepOn(clock, timeoutMs, deadline.signal).then(() => "expired" as const);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), expired]);
      if (next === "expired") throw new RequestTimeoutError(`The request body did not arrive within ${timeoutMs / 1000} s`);
      if (next.done) break;
      size += next.value.length;
      if (size > maxBytes) throw tooLarge(maxBytes);
      onChunk(next.value.length);
      chunks.push(next.value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  } finally {
    deadline.abort();
  }
  if (chunks.length === 1) return chunks[0]!;
  const whole = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.length;
  }
  return whole;
}
