import { readFileSync, realpathSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import type { FrrConfigFile, FrrFileSource, FrrNodeConfig } from "../../../topology/frr-node.ts";
import { TopologyError } from "../../../topology/topology-error.ts";
import { type DaemonsFile, DEFAULT_DAEMONS_FILE, readDaemonsFile } from "./frr-daemons-file.ts";

/** The contents of a node's FRR configuration folder, read and checked before anything is created. */
export interface FrrNodeFiles {
  frrConf: string;
  daemons: DaemonsFile;
  vtyshConf: string;
}

/** Largest configuration file read from a lab folder. */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Reads a node's FRR files from where its binds point, relative to the topology's folder, as
 * containerlab resolves them. A bind may not reach outside the lab's folder: the agent reads the
 * file as root, and the lab's owner could read it back with vtysh.
 */
export function loadFrrFiles(config: FrrNodeConfig, labDir: string): FrrNodeFiles {
  const read = (file: FrrConfigFile) => readSource(config.files[file], labDir);
  const daemons = config.files.daemons;
  const daemonsText = read("daemons");
  return {
    frrConf: read("frr.conf") ?? "",
    daemons: daemonsText === null
      ? readDaemonsFile(DEFAULT_DAEMONS_FILE, "daemons")
      : readDaemonsFile(daemonsText, daemons && "field" in daemons ? daemons.field : "daemons"),
    vtyshConf: read("vtysh.conf") ?? "",
  };
}

function readSource(source: FrrFileSource | undefined, labDir: string): string | null {
  if (!source) return null;
  if ("text" in source) return source.text;
  const root = realpathSync(labDir);
  let path: string;
  try {
    path = realpathSync(resolve(root, source.path));
  } catch {
    if (source.optional) return null;
    throw new TopologyError(
      source.field,
      `"${source.path}" does not exist in the lab's folder (upload it with the topology: lab up … --extra)`,
    );
  }
  const inside = relative(root, path);
  if (inside.startsWith("..") || isAbsolute(inside)) {
    throw new TopologyError(source.field, `"${source.path}" is outside the lab's folder; binds of FRR nodes must name uploaded files`);
  }
  const content = readFileSync(path);
  if (content.byteLength > MAX_FILE_BYTES) throw new TopologyError(source.field, `"${source.path}" is larger than ${MAX_FILE_BYTES} bytes`);
  return content.toString("utf8");
}
