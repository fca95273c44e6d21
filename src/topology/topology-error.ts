/** A topology that failed validation: `field` names where, the message says why. */
export class TopologyError extends Error {
  override name = "TopologyError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
