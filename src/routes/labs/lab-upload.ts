import type { Context } from "hono";
import { BadRequestError } from "../../engine/errors.ts";
import type { LabUpload } from "../../engine/labs/classify-topology.ts";
import { safeRelativePath } from "../../hosts/files.ts";
import { MAX_TOPOLOGY_BYTES } from "../../topology/safe-yaml.ts";

const MAX_EXTRA_FILES = 500;

/**
 * Reads the multipart lab upload (`topology` file, repeatable `extra_files` whose names may hold
 * sub-folders, optional `reuse`), refusing unsafe names and oversized files before anything is kept.
 */
export async function readLabUpload(c: Context): Promise<{ upload: LabUpload; reuse: boolean; fields: Record<string, string> }> {
  const contentType = c.req.header("content-type") ?? "";
  if (!contentType.startsWith("multipart/form-data")) throw new BadRequestError("Expected a multipart/form-data upload with a topology file");
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch {
    throw new BadRequestError("The multipart body could not be read");
  }
  const topology = form.get("topology");
  if (!(topology instanceof File)) throw new BadRequestError("The upload needs a topology file in the field \"topology\"");
  if (topology.size > MAX_TOPOLOGY_BYTES) throw new BadRequestError(`The topology file is larger than ${MAX_TOPOLOGY_BYTES} bytes`);
  const topologyFile = checkedUploadName(topology.name || "topology.yml");
  if (topologyFile.includes("/")) throw new BadRequestError(`The topology file name "${topology.name}" must not contain folders`);

  const extras = form.getAll("extra_files");
  if (extras.length > MAX_EXTRA_FILES) throw new BadRequestError(`At most ${MAX_EXTRA_FILES} extra files may be uploaded`);
  const extraFiles: LabUpload["extraFiles"] = [];
  for (const extra of extras) {
    if (!(extra instanceof File)) throw new BadRequestError("Every extra_files part must be a file");
    extraFiles.push({ path: checkedUploadName(extra.name), content: new Uint8Array(await extra.arrayBuffer()) });
  }
  assertDistinctPaths([topologyFile, ...extraFiles.map((file) => file.path)]);
  const fields: Record<string, string> = {};
  for (const [key, value] of form.entries()) if (typeof value === "string") fields[key] = value;
  return {
    upload: { topologyFile, topology: new Uint8Array(await topology.arrayBuffer()), extraFiles },
    reuse: parseFormBool(fields.reuse, true),
    fields,
  };
}

/** A file name that stays inside the lab folder (sub-folders allowed), or a 400 saying why not. */
export function checkedUploadName(name: string): string {
  try {
    return safeRelativePath(name);
  } catch (error) {
    throw new BadRequestError(`Unsafe file name "${name}": ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function assertDistinctPaths(paths: readonly string[]): void {
  const duplicate = paths.find((path, index) => paths.indexOf(path) !== index);
  if (duplicate) throw new BadRequestError(`The file "${duplicate}" is uploaded twice`);
}

/** FastAPI's form booleans: true/false, 1/0, yes/no, on/off. */
export function parseFormBool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === "") return fallback;
  if (/^(true|1|yes|on)$/i.test(value)) return true;
  if (/^(false|0|no|off)$/i.test(value)) return false;
  throw new BadRequestError(`"${value}" is not a boolean`);
}
