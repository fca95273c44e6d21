import type { z } from "zod";

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

/**
 * A zod error as one line naming each bad field ("timeoutMs: expected number; argv: …"); `what`
 * names the top level. Where none of a union's shapes fit, the one the input comes closest to is
 * described: the shape whose complaints are about fields the input has, not fields it lacks.
 */
export function describeIssues(error: z.ZodError, what: string, input: unknown): string {
  return flatten(error.issues, [], input).map(({ path, message }) => `${path.map(String).join(".") || what}: ${message}`).join("; ");
}

function flatten(issues: readonly Issue[], base: PathKey[], input: unknown): { path: PathKey[]; message: string }[] {
  return issues.flatMap((issue) => {
    const path = [...base, ...issue.path];
    if (issue.code !== "invalid_union" || issue.errors.length === 0) return [{ path, message: issue.message }];
    const closest = [...issue.errors].sort((a, b) => missing(a, path, input) - missing(b, path, input) || depth(b) - depth(a))[0]!;
    return flatten(closest, path, input);
  });
}

/** How many of the issues are about a value the input does not have. */
function missing(issues: readonly Issue[], base: PathKey[], input: unknown): number {
  return issues.filter((issue) => valueAt(input, [...base, ...issue.path]) === undefined).length;
}

function depth(issues: readonly Issue[]): number {
  return Math.max(...issues.map((issue) => issue.path.length));
}

function valueAt(input: unknown, path: readonly PathKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
