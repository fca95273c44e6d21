import { createRoute, z } from "@hono/zod-openapi";
import { BadRequestError } from "../../engine/errors.ts";
import { acquireLab } from "../../engine/labs/acquire-lab.ts";
import { ownedSession } from "../access/ownership.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { readLabUpload } from "./lab-upload.ts";
import { CreateLabJsonSchema, LabViewSchema, toLabView } from "./lab-schemas.ts";
import { labUploadFromJson } from "./lab-upload-json.ts";
import { UPLOAD_BODY } from "../requests/route-body-limits.ts";

const FileSchema = z
  .instanceof(File, { error: (issue) => (issue.input === undefined ? "Field required" : "must be a file, not a plain form value") })
  .openapi({ type: "string", format: "binary" });
const timeField = (description: string) => z.iso.datetime({ offset: true }).optional().openapi({ description });

/** The multipart form of POST /v1/labs: the JSON body's fields, with the topology and extra files as files. */
const CreateLabFormSchema = CreateLabJsonSchema.pick({ session_id: true, role: true, runtime: true })
  .extend({
    topology: FileSchema.openapi({ description: "The topology file (.yml/.yaml); its name is the lab's topology file name" }),
    extra_files: z.union([FileSchema, z.array(FileSchema)]).optional().openapi({
      description: "Files the topology refers to (startup configs…), repeatable; names may hold sub-folders",
    }),
    reuse: z.string().optional().openapi({ description: "true (default) or false, as a form field" }),
    keep_warm: z.enum(["true", "false"]).optional().openapi({
      description: "true: when no session holds the lab any more it is reset and kept deployed for the next session (warm labs)",
    }),
    start_at: timeField("Schedule the deploy for this time (the lab stays `scheduled` until then)"),
    end_at: timeField("Destroy the lab at this time"),
  })
  .openapi("CreateLabForm");

const postLab = createRoute({
  ...UPLOAD_BODY,
  method: "post",
  path: "/v1/labs",
  tags: ["labs"],
  summary: "Deploy a lab on a session's host (or reuse a running one with the same content)",
  description:
    "Answers at once; follow the state with GET /v1/labs/{id} or the session's events, and the deploy output with /v1/labs/{id}/logs. " +
    "The body is JSON (topology text, extra files in base64) or a multipart form (the same fields, files as files).",
  request: {
    body: {
      content: { "application/json": { schema: CreateLabJsonSchema }, "multipart/form-data": { schema: CreateLabFormSchema } },
      // Each content type is validated only when the request has it; a body of neither is refused below.
      required: false,
    },
  },
  responses: {
    202: { description: "Deploying", content: { "application/json": { schema: LabViewSchema } } },
    200: { description: "Reused a running lab with the same content", content: { "application/json": { schema: LabViewSchema } } },
    ...problemResponses(400, 404, 413, 422, 423, 503),
  },
});

export function registerPostLab(api: Api, { engine }: RouteDeps): void {
  api.openapi(postLab, async (c) => {
    // The validator ran for the body's own content type: its data is the form's or the JSON's.
    const contentType = c.req.header("content-type") ?? "";
    const form = c.req.valid("form");
    const json = c.req.valid("json");
    const request = contentType.startsWith("multipart/form-data") && isForm(form)
      ? await fromMultipart(c, form)
      : /^application\/([a-z0-9.+-]*\+)?json/i.test(contentType) && !isForm(json)
      ? labUploadFromJson(json)
      : notALabBody();
    const session = await ownedSession(engine, c.get("principal"), request.sessionId);
    const { lab, reused } = await acquireLab(engine, {
      session,
      role: request.role,
      upload: request.upload,
      runtime: request.runtime,
      reuse: request.reuse,
      keepWarm: request.keepWarm,
      startAt: request.startAt,
      endAt: request.endAt,
      remoteLab: false,
    });
    return c.json(toLabView(lab), reused ? 200 : 202);
  });
}

/** The files and the reuse flag are read from the form by readLabUpload, as for the Remote Lab upload; the rest is checked already. */
async function fromMultipart(c: Parameters<typeof readLabUpload>[0], form: LabForm) {
  const { upload, reuse } = await readLabUpload(c);
  return {
    sessionId: form.session_id,
    role: form.role ?? null,
    upload,
    reuse,
    keepWarm: form.keep_warm === "true",
    runtime: form.runtime ?? null,
    startAt: form.start_at ? Date.parse(form.start_at) : null,
    endAt: form.end_at ? Date.parse(form.end_at) : null,
  };
}

type LabForm = z.infer<typeof CreateLabFormSchema>;

function isForm(body: LabForm | z.infer<typeof CreateLabJsonSchema>): body is LabForm {
  return body.topology instanceof File;
}

function notALabBody(): never {
  throw new BadRequestError("The body must be JSON (application/json) or a multipart form (multipart/form-data)");
}
