import { z } from "zod";
import { SessionManifestSchema } from "./manifest-schema.ts";

/** The manifest's JSON Schema (draft 2020-12), as kept in docs/session-manifest.schema.json. */
export function manifestJsonSchema(): Record<string, unknown> {
  return {
    $id: "https://labbroker.invalid/schemas/session-manifest.schema.json",
    title: "labbroker session manifest",
    description: "What a labbroker session ran on and what it did: GET /v1/sessions/{id}/manifest, labbroker session manifest.",
    ...z.toJSONSchema(SessionManifestSchema, { target: "draft-2020-12" }),
  };
}
