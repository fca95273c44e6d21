/** A script or style sheet served from the binary. */
export interface StaticAsset {
  body: string;
  type: string;
}

/**
 * The module of a page's assets, loaded on first use and kept: a broker holds the megabytes of the
 * API reference and the console only once someone opens them.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () =>
    loaded ??= load().catch((error: unknown) => {
      // A load that failed is tried again by the next request, not remembered as failed.
      loaded = undefined;
      throw error;
    });
}
