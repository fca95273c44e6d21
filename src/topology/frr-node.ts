import type { DefinitionLayer } from "./containerlab-inheritance.ts";
import { inheritedList } from "./containerlab-inheritance.ts";
import { ignoredNote } from "./ignored-note.ts";

/**
 * Which containerlab nodes the native runtime runs as FRR routers, and where their configuration
 * comes from. A node whose image is an FRR image (`frrouting/frr`, `quay.io/frrouting/frr`, …) gets
 * one FRR instance of the host's FRR; the files containerlab would mount into the container's
 * /etc/frr become that instance's configuration.
 */

export const FRR_CONFIG_FILES = ["frr.conf", "daemons", "vtysh.conf"] as const;
export type FrrConfigFile = (typeof FRR_CONFIG_FILES)[number];

/** A file's content: read from the lab folder (a bind's host path, relative to the topology) or given. */
export type FrrFileSource = { path: string; field: string; optional: boolean } | { text: string };

export interface FrrNodeConfig {
  files: Partial<Record<FrrConfigFile, FrrFileSource>>;
}

const FRR_IMAGE = /^(?:[a-z0-9.-]+(?::\d+)?\/)?frrouting\/frr(?:[-_][a-z0-9-]+)?(?::[\w.-]+)?(?:@sha256:[0-9a-f]{64})?$/i;
const FRR_CONFIG_DIR = "/etc/frr";

export function isFrrImage(image: string | null | undefined): boolean {
  return typeof image === "string" && FRR_IMAGE.test(image);
}

/** A bind that targets FRR's configuration folder, which an FRR node takes as its configuration. */
export function isFrrConfigBind(bind: string): boolean {
  const target = bindParts(bind)?.target;
  return target === FRR_CONFIG_DIR || FRR_CONFIG_FILES.some((file) => target === `${FRR_CONFIG_DIR}/${file}`);
}

/** The FRR configuration of a node from its (inherited) binds; other binds are reported as ignored. */
export function frrConfigFromBinds(nodeName: string, layers: readonly DefinitionLayer[], notes: string[]): FrrNodeConfig {
  const files: FrrNodeConfig["files"] = {};
  const binds = inheritedList(layers, "binds");
  binds.forEach((bind, index) => {
    const field = `nodes.${nodeName}.binds[${index}]`;
    const parts = bindParts(bind);
    if (!parts || !isFrrConfigBind(bind)) {
      notes.push(
        ignoredNote(
          field,
          bind,
          "only binds to /etc/frr (frr.conf, daemons, vtysh.conf or the folder) configure an FRR node; nothing else is mounted",
        ),
      );
      return;
    }
    if (parts.target === FRR_CONFIG_DIR) {
      for (const file of FRR_CONFIG_FILES) files[file] ??= { path: `${parts.source}/${file}`, field, optional: true };
      return;
    }
    const file = parts.target.slice(FRR_CONFIG_DIR.length + 1) as FrrConfigFile;
    files[file] = { path: parts.source, field, optional: false };
  });
  return { files };
}

/** `host:container[:options]`, as containerlab and Docker read binds. */
function bindParts(bind: string): { source: string; target: string } | null {
  const [source, target] = bind.split(":");
  if (!source || !target) return null;
  return { source, target: target.replace(/\/+$/, "") };
}
