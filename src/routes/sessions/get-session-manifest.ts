import { createRoute } from "@hono/zod-openapi";
import { SessionManifestSchema } from "../../engine/manifest/manifest-schema.ts";
import { sessionManifest } from "../../engine/manifest/session-manifest.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { SessionIdParamSchema } from "./session-schemas.ts";

const getSessionManifest = createRoute({
  method: "get",
  path: "/v1/sessions/{id}/manifest",
  tags: ["sessions"],
  summary: "Reproducibility manifest: what the session ran on and what it did",
  description:
    "Hosts (kernel, CPU, agent and tool versions as they were when the session became active), labs (topology and file hashes, " +
    "instance names, node addresses), every job (command, timing, outcome), every device change with its undo, the timeline and " +
    "the CI job, with a `content_hash` over its canonical serialization. Built from what history retention keeps until the " +
    "session is deleted, so an ended session's manifest never changes. JSON Schema: docs/session-manifest.schema.json.",
  request: { params: SessionIdParamSchema },
  responses: {
    200: { description: "The manifest", content: { "application/json": { schema: SessionManifestSchema.openapi("SessionManifest") } } },
    ...problemResponses(404),
  },
});

export function registerGetSessionManifest(api: Api, { engine }: RouteDeps): void {
  api.openapi(getSessionManifest, async (c) => c.json(await sessionManifest(engine, c.req.valid("param").id), 200));
}
