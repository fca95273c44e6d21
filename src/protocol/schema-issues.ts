import type { z } from "zod";

/** A zod error as one line naming each bad field ("timeoutMs: expected number; argv: …"); `what` names the top level. */
export function describeIssues(error: z.ZodError, what: string): string {
  return error.issues.map((issue) => `${issue.path.join(".") || what}: ${issue.message}`).join("; ");
}
