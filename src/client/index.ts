/**
 * The labbroker client SDK: sessions, labs, jobs, devices and files over the broker's /v1 API.
 * Runs on Bun, Deno and Node ≥ 20 (fetch only); carries no server code.
 */
export type * from "./api-types.ts";
export { type HostRequirement, LabBroker, type LabBrokerOptions, type SessionRequest } from "./broker.ts";
export type { FileContent } from "./bytes.ts";
export { brokerUrlFrom, DEFAULT_BROKER_URL, type Environment, processEnvironment, resolveBrokerUrl } from "./environment.ts";
export { LabBrokerError, type LabBrokerErrorCode, LabFailedError, SessionEndedError, WaitTimeoutError } from "./errors.ts";
export { followEvents, type FollowOptions } from "./follow-events.ts";
export type { FetchLike } from "./http.ts";
export { Job } from "./job.ts";
export { belongsToSession, Lab, type LabWaitOptions } from "./lab.ts";
export {
  type ChangeCount,
  type DeviceChange,
  DeviceHandle,
  type DeviceSpec,
  LabNode,
  Place,
  type RunOptions,
  SessionHost,
} from "./place.ts";
export { type LabOptions, Session } from "./session.ts";
export { EventStreamParser, readEventStream, type ServerSentEvent } from "./sse.ts";
export type { ActivationWaitOptions } from "./wait-for-activation.ts";
export { type LabFiles, readLabFiles, topologyFileHash } from "./lab-files.ts";
export { type TopologyHash, warmLabHash, type WarmLabTopology } from "./warm-lab.ts";
