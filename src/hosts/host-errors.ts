/**
 * Why the host refused a request. The library knows nothing about HTTP; the agent maps these to
 * statuses (invalid 400, not-found 404, conflict 409, too-large 413, unsupported 422).
 */
export type HostErrorReason = "invalid" | "not-found" | "conflict" | "too-large" | "unsupported";

/** A request the host refused before changing anything; the message says what was wrong. */
export class HostRequestError extends Error {
  override name = "HostRequestError";
  constructor(
    readonly reason: HostErrorReason,
    message: string,
  ) {
    super(message);
  }
}
