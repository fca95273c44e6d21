import { setImmediate } from "node:timers";

/**
 * Resolves in a later turn of the event loop, after the network has been polled. The fan-out steps
 * aside with it between slices of streams and the replay budget between turns of replay writes, so
 * requests waiting on the network are answered in between instead of after one long run of stream
 * writes. Not a timer: `setTimeout(0)` waits at least a millisecond, which would cap the streams' pace.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
