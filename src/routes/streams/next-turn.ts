/**
 * Resolves in a later turn of the event loop. The fan-out steps aside with it between slices of
 * streams and the replay budget between turns of replay writes, so requests waiting on the network
 * are answered in between instead of after one long run of stream writes.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
