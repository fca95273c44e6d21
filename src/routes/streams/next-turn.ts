/**
 * Resolves in a later turn of the event loop. Streams step aside with it between history pages and
 * the fan-out between slices of streams, so requests waiting on the network are answered in between
 * instead of after one long run of stream writes.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
