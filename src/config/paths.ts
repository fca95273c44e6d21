import { resolve } from "node:path";
import { z } from "zod";

/**
 * A path option: relative means relative to the folder labbroker was started in. Resolved once here,
 * so nothing deeper depends on the working directory (lab folders must be absolute).
 */
export const absolutePathSchema = z.string().min(1, "must not be empty").transform((path) => resolve(path));

/** `file:PATH[?query]` with PATH made absolute; `file://` URLs are absolute already. */
export function absoluteFileUrl(url: string): string {
  if (!url.startsWith("file:") || url.startsWith("file://")) return url;
  const queryAt = url.indexOf("?");
  const path = url.slice("file:".length, queryAt < 0 ? undefined : queryAt);
  return `file:${resolve(path)}${queryAt < 0 ? "" : url.slice(queryAt)}`;
}
