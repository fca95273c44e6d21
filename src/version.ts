import packageJson from "../package.json" with { type: "json" };

declare const LABBROKER_BUILD_COMMIT: string | undefined;

export const VERSION: string = packageJson.version;

/** The git commit baked in by scripts/build.ts; undefined when running from source. */
export const BUILD_COMMIT: string | undefined = typeof LABBROKER_BUILD_COMMIT === "string" ? LABBROKER_BUILD_COMMIT : undefined;

/** Major version, the unit of broker/agent compatibility. */
export const MAJOR_VERSION = Number(VERSION.split(".")[0]);
