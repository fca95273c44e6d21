import { fileURLToPath } from "node:url";

/** The file of a `file:` database URL (`file:PATH`, `file:PATH?query` or `file:///PATH`). */
export function databasePath(url: string): string {
  return url.startsWith("file://") ? fileURLToPath(url) : url.slice("file:".length).split("?")[0]!;
}
