/** An AbortSignal that aborts on the first SIGINT or SIGTERM; a second one exits at once. */
export function shutdownSignal(onForcedExit: () => void): AbortSignal {
  const controller = new AbortController();
  const handle = () => {
    if (controller.signal.aborted) onForcedExit();
    controller.abort();
  };
  process.on("SIGINT", handle);
  process.on("SIGTERM", handle);
  return controller.signal;
}
