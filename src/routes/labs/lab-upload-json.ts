import type { z } from "@hono/zod-openapi";
import { BadRequestError } from "../../engine/errors.ts";
import type { LabUpload } from "../../engine/labs/classify-topology.ts";
import type { RuntimeName } from "../../protocol/runtimes.ts";
import { MAX_TOPOLOGY_BYTES } from "../../topology/safe-yaml.ts";
import { assertDistinctPaths, checkedUploadName } from "./lab-upload.ts";
import type { CreateLabJsonSchema } from "./lab-schemas.ts";

/** The JSON form of a lab upload: topology text plus base64 extra files, with the same name checks as multipart. */
export function labUploadFromJson(body: z.infer<typeof CreateLabJsonSchema>): {
  sessionId: string;
  role: string | null;
  upload: LabUpload;
  reuse: boolean;
  keepWarm: boolean;
  runtime: RuntimeName | null;
  startAt: number | null;
  endAt: number | null;
} {
  const topology = new TextEncoder().encode(body.topology);
  if (topology.byteLength > MAX_TOPOLOGY_BYTES) throw new BadRequestError(`The topology is larger than ${MAX_TOPOLOGY_BYTES} bytes`);
  const topologyFile = checkedUploadName(body.topology_file);
  const extraFiles = body.extra_files.map((file) => ({
    path: checkedUploadName(file.path),
    content: new Uint8Array(Buffer.from(file.content_base64, "base64")),
  }));
  assertDistinctPaths([topologyFile, ...extraFiles.map((file) => file.path)]);
  return {
    sessionId: body.session_id,
    role: body.role ?? null,
    upload: { topologyFile, topology, extraFiles },
    reuse: body.reuse,
    keepWarm: body.keep_warm,
    runtime: body.runtime ?? null,
    startAt: body.start_at ? Date.parse(body.start_at) : null,
    endAt: body.end_at ? Date.parse(body.end_at) : null,
  };
}
