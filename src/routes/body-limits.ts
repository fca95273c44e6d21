import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { PayloadTooLargeError } from "../engine/errors.ts";

export interface BodyLimits {
  /** Largest JSON or form body on ordinary routes. */
  maxBodyBytes: number;
  /** Largest multipart upload (topology plus extra files) on upload routes. */
  maxUploadBytes: number;
}

/** Paths that accept file uploads get the upload limit; everything else the body limit. */
export function bodyLimits(limits: BodyLimits, isUploadPath: (path: string) => boolean): MiddlewareHandler {
  const tooLarge = (maxSize: number) => () => {
    throw new PayloadTooLargeError(`Request body is larger than the limit of ${maxSize} bytes`);
  };
  const forBody = bodyLimit({ maxSize: limits.maxBodyBytes, onError: tooLarge(limits.maxBodyBytes) });
  const forUpload = bodyLimit({ maxSize: limits.maxUploadBytes, onError: tooLarge(limits.maxUploadBytes) });
  return (c, next) => (isUploadPath(c.req.path) ? forUpload(c, next) : forBody(c, next));
}
