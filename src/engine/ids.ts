import { randomFillSync } from "node:crypto";

/** The 12 bits after the version nibble count ids within one millisecond (RFC 9562 §6.2, method 1). */
const COUNTER_MAX = 0xfff;
let lastMs = -1;
let counter = 0;

/**
 * A UUID version 7 (RFC 9562): 48 bits of milliseconds, a 12-bit counter, then random bits. Ids
 * made later sort later — also within one millisecond, where work queued in one change is ordered
 * by id (a destroy before the deploy that replaces it) — so inserts land at the end of the
 * primary-key index instead of at random pages. The counter starts at a random value in its lower
 * half each millisecond, leaving room for at least 2048 ids in order.
 */
export function newId(now: number = Date.now()): string {
  const bytes = randomFillSync(new Uint8Array(16));
  // Never step back: an id made with an earlier timestamp (captured before a verb's first await)
  // must still sort after the ids made just before it.
  let ms = Math.max(now, lastMs);
  if (ms === lastMs && counter < COUNTER_MAX) counter++;
  else {
    if (ms === lastMs) ms++;
    counter = ((bytes[6]! << 8) | bytes[7]!) & (COUNTER_MAX >> 1);
  }
  lastMs = ms;
  let time = ms;
  for (let index = 5; index >= 0; index--) {
    bytes[index] = time & 0xff;
    time = Math.floor(time / 256);
  }
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
