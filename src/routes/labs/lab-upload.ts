import type { Context } from "hono";
import { BadRequestError } from "../../engine/errors.ts";
import type { LabUpload } from "../../engine/labs/classify-topology.ts";
import { safeRelativePath } from "../../hosts/files.ts";
import { MAX_TOPOLOGY_BYTES } from "../../topology/safe-yaml.ts";
import { type FieldIssue, FieldValidationError } from "../problem.ts";

const MAX_EXTRA_FILES = 500;

/**
 * Reads the multipart lab upload (`topology` file, repeatable `extra_files` whose names may hold
 * sub-folders, optional `reuse`). A missing or mistyped field fails as FastAPI's form validation
 * does (FieldValidationError, every such field at once); unsafe names and oversized files are a 400,
 * refused before anything is kept.
 */
export async function readLabUpload(c: Context): Promise<{ upload: LabUpload; reuse: boolean; fields: Record<string, string> }> {
  const form = await readForm(c);
  const topology = form.get("topology");
  const extras = form.getAll("extra_files");
  const fields: Record<string, string> = {};
  for (const [key, value] of form.entries()) if (typeof value === "string") fields[key] = value;
  const issues: FieldIssue[] = [];
  if (topology === null) issues.push({ type: "missing", loc: ["body", "topology"], msg: "Field required", input: null });
  else if (!(topology instanceof File)) issues.push(notAFile(["body", "topology"], topology));
  extras.forEach((extra, index) => {
    if (!(extra instanceof File)) issues.push(notAFile(["body", "extra_files", String(index)], extra));
  });
  // A form field sent empty counts as absent, as in FastAPI.
  const reuse = formBool(fields.reuse || undefined, true, ["body", "reuse"], issues);
  if (issues.length > 0 || !(topology instanceof File)) throw new FieldValidationError(issues);

  if (topology.size > MAX_TOPOLOGY_BYTES) throw new BadRequestError(`The topology file is larger than ${MAX_TOPOLOGY_BYTES} bytes`);
  const topologyFile = checkedUploadName(topology.name || "topology.yml");
  if (topologyFile.includes("/")) throw new BadRequestError(`The topology file name "${topology.name}" must not contain folders`);
  if (extras.length > MAX_EXTRA_FILES) throw new BadRequestError(`At most ${MAX_EXTRA_FILES} extra files may be uploaded`);
  const extraFiles: LabUpload["extraFiles"] = [];
  for (const extra of extras as File[]) {
    extraFiles.push({ path: checkedUploadName(extra.name), content: new Uint8Array(await extra.arrayBuffer()) });
  }
  assertDistinctPaths([topologyFile, ...extraFiles.map((file) => file.path)]);
  return { upload: { topologyFile, topology: new Uint8Array(await topology.arrayBuffer()), extraFiles }, reuse, fields };
}

/** The multipart form; any other body reads as an empty form (so the topology is reported missing, as by FastAPI). */
async function readForm(c: Context): Promise<FormData> {
  if (!(c.req.header("content-type") ?? "").startsWith("multipart/form-data")) return new FormData();
  try {
    return await c.req.formData();
  } catch {
    throw new BadRequestError("The multipart body could not be read");
  }
}

/** FastAPI's complaint about a plain form value where a file belongs. */
function notAFile(loc: FieldIssue["loc"], input: unknown): FieldIssue {
  return { type: "value_error", loc, msg: "Value error, Expected UploadFile, received: <class 'str'>", input };
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

const TRUE_WORDS = /^(1|t|true|y|yes|on)$/i;
const FALSE_WORDS = /^(0|f|false|n|no|off)$/i;

/**
 * A boolean form or query field as FastAPI (pydantic) reads it: 1/0, t/f, true/false, y/n, yes/no,
 * on/off in any case; absent gives `fallback`. Anything else is reported in `issues` (FastAPI's
 * `bool_parsing`) and reads as `fallback`.
 */
function formBool(value: string | undefined, fallback: boolean, loc: FieldIssue["loc"], issues: FieldIssue[]): boolean {
  if (value === undefined) return fallback;
  if (TRUE_WORDS.test(value)) return true;
  if (FALSE_WORDS.test(value)) return false;
  issues.push({ type: "bool_parsing", loc, msg: "Input should be a valid boolean, unable to interpret input", input: value });
  return fallback;
}

/** `formBool` for a single field: a bad value throws FieldValidationError at once. */
export function parseFormBool(value: string | undefined, fallback: boolean, loc: FieldIssue["loc"]): boolean {
  const issues: FieldIssue[] = [];
  const parsed = formBool(value, fallback, loc, issues);
  if (issues.length > 0) throw new FieldValidationError(issues);
  return parsed;
}
