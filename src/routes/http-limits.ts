import type { BodyReadLimits } from "./requests/body-guard.ts";
import type { BodySizeLimits } from "./requests/route-body-limits.ts";
import type { StreamLimits } from "./streams/stream-gate.ts";

/** The bounds on what clients may make the broker hold: bodies, their read time, and open event streams. */
export interface HttpLimits extends BodySizeLimits, BodyReadLimits, StreamLimits {
  /** Bytes of request bodies held in memory at once, across all requests. */
  maxBodiesInMemoryBytes: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  maxBodyBytes: 256 * 1024,
  maxUploadBytes: 64 * 1024 * 1024,
  maxBodiesInMemoryBytes: 64 * 1024 * 1024,
  bodyTimeoutMs: 60_000,
  maxStreams: 4_000,
  maxStreamsPerClient: 200,
};
