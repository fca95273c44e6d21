/**
 * The broker's request and response shapes, taken from the route schemas themselves (types only:
 * nothing here is loaded at run time, so the SDK carries no server code).
 */
import type { z } from "zod";
import type { SignalName } from "../protocol/job-work.ts";
import type { LabNode } from "../protocol/lab-node.ts";
import type { Device } from "../hosts/devices/device-model.ts";
import type { ChangeDeviceSchema, CreateDeviceSchema } from "../routes/devices/device-schemas.ts";
import type { FileWrittenSchema } from "../routes/devices/file-schemas.ts";
import type { EventJson } from "../routes/streams/event-encoding.ts";
import type { HostCalendarSchema } from "../routes/hosts/get-host-calendar.ts";
import type { HostViewSchema } from "../routes/hosts/host-schemas.ts";
import type { PatchHostBodySchema } from "../routes/hosts/patch-host.ts";
import type { KillResultSchema } from "../routes/jobs/post-job-kill.ts";
import type { SummarySchema } from "../routes/jobs/get-session-summary.ts";
import type { SessionResultSchema } from "../routes/results/post-session-result.ts";
import type { JobViewSchema, RunJobBodySchema } from "../routes/jobs/job-schemas.ts";
import type { ListLabsQuerySchema } from "../routes/labs/list-labs.ts";
import type { LabViewSchema } from "../routes/labs/lab-schemas.ts";
import type { CreateLabJsonSchema } from "../routes/labs/lab-schemas.ts";
import type { OutputEventData } from "../routes/streams/output-stream.ts";
import type { ListSessionsQuerySchema } from "../routes/sessions/list-sessions.ts";
import type { CreateSessionBodySchema, RequirementInputSchema, SessionViewSchema } from "../routes/sessions/session-schemas.ts";
import type { CreatedTokenSchema, CreateTokenBodySchema, TokenViewSchema } from "../routes/tokens/token-schemas.ts";
import type { WhoamiSchema } from "../routes/identity/get-whoami.ts";
import type { waitStatus } from "../routes/sessions/wait-status.ts";

export type SessionView = z.infer<typeof SessionViewSchema>;
export type { SessionManifest } from "../engine/manifest/manifest-schema.ts";
export type SessionState = SessionView["state"];
/** One entry of `GET /v1/sessions`: the session plus its queue sequence number. */
export type SessionListItem = SessionView & { seq: number };
/** Filters of `GET /v1/sessions` (all optional). */
export type SessionQuery = Partial<z.infer<typeof ListSessionsQuerySchema>>;
export type CreateSessionBody = z.input<typeof CreateSessionBodySchema>;
export type RequirementInput = z.input<typeof RequirementInputSchema>;
export type ClientInfo = NonNullable<CreateSessionBody["client"]>;
/** The `position` event of a waiting session: where it stands and why it waits. */
export type WaitStatus = ReturnType<typeof waitStatus>;

export type HostView = z.infer<typeof HostViewSchema>;
export type HostPatch = z.input<typeof PatchHostBodySchema>;
export type HostCalendar = z.infer<typeof HostCalendarSchema>;

export type LabView = z.infer<typeof LabViewSchema>;
export type LabState = LabView["state"];
export type CreateLabBody = z.input<typeof CreateLabJsonSchema>;
/** Filters of `GET /v1/labs` (all optional). */
export type LabQuery = Partial<z.infer<typeof ListLabsQuerySchema>>;
/** A lab node as its runtime reports it (`LabView.nodes` carries these). */
export type LabNodeInfo = LabNode;
/** Remote Lab's device entry: a node's name and raw runtime data. */
export type LabDevice = LabView["devices"][number];

export type JobView = z.infer<typeof JobViewSchema>;
export type RunJobBody = z.input<typeof RunJobBodySchema>;
export type KillResult = z.infer<typeof KillResultSchema>;
export type JobSignal = SignalName;
export type SessionSummary = z.infer<typeof SummarySchema>;
export type SessionResultView = z.infer<typeof SessionResultSchema>;

/** One network interface as `GET …/devices` lists it. */
export type DeviceInfo = Device;
export type CreateDeviceBody = z.input<typeof CreateDeviceSchema>;
export type ChangeDeviceBody = z.input<typeof ChangeDeviceSchema>;
export type FileWritten = z.infer<typeof FileWrittenSchema>;

/** A stored broker event as the event streams send it. */
export type BrokerEvent = EventJson;
/** One `output` event of a job or lab log, with its event id (resume after it). */
export type OutputChunk = OutputEventData & { id: number };

export type TokenView = z.infer<typeof TokenViewSchema>;
/** A new token: the view plus its secret, shown only in this answer. */
export type CreatedToken = z.infer<typeof CreatedTokenSchema>;
export type CreateTokenBody = z.input<typeof CreateTokenBodySchema>;
export type Whoami = z.infer<typeof WhoamiSchema>;
