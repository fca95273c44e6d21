/**
 * The oldest lab tool versions the drivers work with:
 * - containerlab 0.74.3: the first that destroys a lab by name without its topology file
 *   (`CL:core/destroy.go:133-141`); up to 0.67 `inspect` printed `{"containers":[…]}`, which reads
 *   as a lab named "containers".
 * - netlab 26.02: the first with `netlab status --format json` (netlab commit a3e841288).
 */
export const MINIMUM_TOOL_VERSIONS = { containerlab: "0.74.3", netlab: "26.02" } as const;

/** Why this version of the tool cannot be used, or null when it can. */
export function unsupportedVersionReason(tool: keyof typeof MINIMUM_TOOL_VERSIONS, version: string | null): string | null {
  const minimum = MINIMUM_TOOL_VERSIONS[tool];
  if (version === null) return `${tool} is installed but its version could not be read (need ${minimum} or later)`;
  return compareVersions(version, minimum) < 0
    ? `${tool} ${version} is older than ${minimum}, the oldest version this agent supports`
    : null;
}

/** Numeric comparison of dotted versions ("0.74.10" > "0.74.3"); a leading "v" and any suffix after the numbers are ignored. */
function compareVersions(a: string, b: string): number {
  const parts = (version: string) => (/^v?(\d+(?:\.\d+)*)/.exec(version)?.[1] ?? "0").split(".").map(Number);
  const [left, right] = [parts(a), parts(b)];
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
