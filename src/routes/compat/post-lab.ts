import { createRoute, z } from "@hono/zod-openapi";
import { LabOperationError } from "../../engine/errors.ts";
import { acquireLab } from "../../engine/labs/acquire-lab.ts";
import { waitForLabState } from "../../engine/labs/find-lab.ts";
import { whileSessionBusy } from "../../engine/sessions/keep-alive.ts";
import type { Api } from "../api.ts";
import { readLabUpload } from "../labs/lab-upload.ts";
import { DeviceSchema, labDevices } from "../labs/lab-schemas.ts";
import { compatErrorResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { activeCompatSession, SessionHeaderSchema } from "./compat-schemas.ts";
import { UPLOAD_BODY } from "../requests/route-body-limits.ts";

// Documents the form; its checks (file names, sizes, YAML) are readLabUpload's, which say precisely what is wrong.
const UploadSchema = z.object({
  topology: z.any().optional().openapi({ type: "string", format: "binary", description: "The topology (.yml or .yaml), required" }),
  reuse: z.any().optional().openapi({ type: "string", description: "Attach to a running lab with the same content (default true)" }),
  extra_files: z.any().optional().openapi({
    type: "array",
    items: { type: "string", format: "binary" },
    description: "Files placed next to the topology; names may hold sub-folders",
  }),
});

const postLab = createRoute({
  ...UPLOAD_BODY,
  method: "post",
  path: "/lab",
  tags: ["remote-lab"],
  summary: "Remote Lab: deploy (or reuse) the session's lab and answer once it is up",
  request: { headers: SessionHeaderSchema, body: { content: { "multipart/form-data": { schema: UploadSchema } }, required: true } },
  responses: {
    200: {
      description: "The lab is up",
      content: { "application/json": { schema: z.object({ reused: z.boolean(), devices: z.array(DeviceSchema) }).openapi("CompatLab") } },
    },
    ...compatErrorResponses(400, 404, 413, 422, 423, 500),
  },
});

export function registerCompatPostLab(api: Api, { engine }: RouteDeps): void {
  api.openapi(postLab, async (c) => {
    const session = activeCompatSession(engine, c.req.valid("header")["x-session-id"]);
    const { upload, reuse } = await readLabUpload(c);
    const { lab, reused } = await acquireLab(engine, { session, role: null, upload, runtime: null, reuse, remoteLab: true });
    const state = await whileSessionBusy(
      engine,
      session.id,
      () => waitForLabState(engine, lab, ["running", "failed", "inactive"], engine.settings.labDeployTimeoutMs + 60_000, c.req.raw.signal),
    );
    if (state !== "running") throw new LabOperationError(`Lab deployment failed: ${lab.error ?? `the lab is ${state}`}`);
    return c.json({ reused, devices: labDevices(lab) }, 200);
  });
}
