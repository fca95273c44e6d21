import { createRoute, z } from "@hono/zod-openapi";
import { BadRequestError } from "../../engine/errors.ts";
import { acquireLab } from "../../engine/labs/acquire-lab.ts";
import { type RuntimeName, RUNTIMES } from "../../protocol/runtimes.ts";
import { ownedSession } from "../access/ownership.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { readLabUpload } from "./lab-upload.ts";
import { CreateLabJsonSchema, LabViewSchema, toLabView } from "./lab-schemas.ts";
import { labUploadFromJson } from "./lab-upload-json.ts";
import { UPLOAD_BODY } from "../requests/route-body-limits.ts";

// Documents the form; readLabUpload does the checking.
const MultipartLabSchema = z.object({
  session_id: z.any().optional().openapi({ type: "string", description: "Required" }),
  role: z.any().optional().openapi({ type: "string" }),
  runtime: z.any().optional().openapi({ type: "string", enum: [...RUNTIMES] }),
  reuse: z.any().optional().openapi({ type: "string" }),
  keep_warm: z.any().optional().openapi({ type: "string", enum: ["true", "false"] }),
  topology: z.any().optional().openapi({ type: "string", format: "binary", description: "Required" }),
  extra_files: z.any().optional().openapi({ type: "array", items: { type: "string", format: "binary" } }),
});

const postLab = createRoute({
  ...UPLOAD_BODY,
  method: "post",
  path: "/v1/labs",
  tags: ["labs"],
  summary: "Deploy a lab on a session's host (or reuse a running one with the same content)",
  description:
    "Answers at once; follow the state with GET /v1/labs/{id} or the session's events, and the deploy output with /v1/labs/{id}/logs.",
  request: {
    body: {
      content: { "application/json": { schema: CreateLabJsonSchema }, "multipart/form-data": { schema: MultipartLabSchema } },
      // Validated by hand below: with two content types the validator would hold a multipart body to the JSON schema.
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
    const multipart = (c.req.header("content-type") ?? "").startsWith("multipart/form-data");
    const request = multipart ? await fromMultipart(c) : labUploadFromJson(parseJsonBody(await c.req.json().catch(() => invalidJson())));
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

async function fromMultipart(c: Parameters<typeof readLabUpload>[0]) {
  const { upload, reuse, fields } = await readLabUpload(c);
  if (!fields.session_id) throw new BadRequestError("The upload needs a session_id field");
  const runtime = fields.runtime ? checked(z.enum(RUNTIMES), fields.runtime, "runtime") : null;
  const time = (name: string) => (fields[name] ? Date.parse(checked(z.iso.datetime({ offset: true }), fields[name], name)) : null);
  return {
    sessionId: fields.session_id,
    role: fields.role ?? null,
    upload,
    reuse,
    keepWarm: fields.keep_warm ? checked(z.enum(["true", "false"]), fields.keep_warm, "keep_warm") === "true" : false,
    runtime: runtime as RuntimeName | null,
    startAt: time("start_at"),
    endAt: time("end_at"),
  };
}

function parseJsonBody(body: unknown) {
  const parsed = CreateLabJsonSchema.safeParse(body);
  if (!parsed.success) {
    throw new BadRequestError(parsed.error.issues.map((issue) => `body.${issue.path.join(".")}: ${issue.message}`).join("; "));
  }
  return parsed.data;
}

function checked<T>(schema: z.ZodType<T>, value: string, field: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BadRequestError(`${field}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

function invalidJson(): never {
  throw new BadRequestError("The body is not valid JSON");
}
