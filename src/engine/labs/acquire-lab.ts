import { labFiles } from "../../../db/schema.ts";
import { Change, type EngineContext } from "../context.ts";
import { LockedError, NotFoundError, UnprocessableError } from "../errors.ts";
import { newId } from "../ids.ts";
import { effectiveCapacity, type Host, type Session } from "../model.ts";
import type { RuntimeName } from "../../protocol/runtimes.ts";
import { RESETTABLE_RUNTIMES } from "../../protocol/lab-work.ts";
import { sha256Hex } from "../../sha256.ts";
import { enqueueDeploy } from "./enqueue-deploy.ts";
import { chooseRuntime } from "./choose-runtime.ts";
import { classifyTopology, type LabUpload } from "./classify-topology.ts";
import { destroyLabIn } from "./destroy-lab.ts";
import { extraFilesKey, type Lab } from "./lab.ts";
import { saveHolders } from "./lab-changes.ts";
import { adoptWarmLab, findWarmLab, makeRoomForDeploy } from "./warm-labs.ts";
import { freeMultilabId, instanceNameBase, pastInstanceNames, uniqueInstanceName } from "./lab-naming.ts";

export interface AcquireLabInput {
  session: Session;
  /** The role whose host runs the lab; the session's first role when null. */
  role: string | null;
  upload: LabUpload;
  runtime: RuntimeName | null;
  /** Attach to a running lab with the same content instead of deploying again. */
  reuse: boolean;
  /** A scheduled lab: deploy at this time instead of now. */
  startAt?: number | null;
  /** Destroy the lab at this time. */
  endAt?: number | null;
  /**
   * Remote Lab semantics: one hold per acquire (three acquires, three holds) and the topology alone
   * identifies the lab. Otherwise (/v1) a session holds a lab once and the extra files must match too.
   */
  remoteLab: boolean;
  /** When no session holds it any more, reset it and keep it deployed for the next session asking for it (see warm-labs.ts). */
  keepWarm?: boolean;
}

/**
 * Gets the session a lab on its host, Remote Lab style: the same content with `reuse` attaches
 * (no redeploy, one more hold); anything else while the current lab is held by any session (the
 * caller included) is refused as busy; an idle lab is replaced. A new lab is deployed by the host's agent.
 */
export async function acquireLab(ctx: EngineContext, input: AcquireLabInput): Promise<{ lab: Lab; reused: boolean }> {
  const { session } = input;
  const now = ctx.clock.now();
  const startAt = input.startAt ?? null;
  const endAt = input.endAt ?? null;
  checkLabTimes(session, now, startAt, endAt);
  const role = input.role ?? session.requirements[0]!.role;
  const hostId = session.assignments?.[role];
  if (!hostId) throw new NotFoundError(`Session "${session.id}" has no role "${role}"`);
  const host = ctx.state.hosts.get(hostId)!;
  const topology = classifyTopology(input.upload);
  const files = [{ path: input.upload.topologyFile, content: input.upload.topology }, ...input.upload.extraFiles].map((file) => ({
    path: file.path,
    size: file.content.byteLength,
    sha256: sha256Hex(file.content),
  }));
  const runtime = chooseRuntime(host, topology, input.runtime);
  const nameBase = instanceNameBase(topology.name, now);
  const pastNames = await pastInstanceNames(ctx, host.id, nameBase);
  // From here on nothing waits until the commit, so the checks below hold when the change is made; the session may have ended during the read.
  checkLabTimes(session, now, startAt, endAt);

  const change = new Change(ctx);
  const warm = startAt === null
    ? findWarmLab(ctx, host.id, {
      topologyHash: topology.hash,
      extraFilesKey: extraFilesKey(files, files[0]!.path),
      runtime: input.runtime,
    })
    : undefined;
  if (warm) {
    adoptWarmLab(ctx, change, warm, session, input.keepWarm ?? false);
    await change.commit();
    return { lab: warm, reused: true };
  }
  const current = currentLab(ctx, session, host);
  if (current) {
    if (
      current.state === "running" && input.reuse && current.topologyHash === topology.hash &&
      (input.remoteLab || sameExtraFiles(current, files))
    ) {
      if (input.remoteLab || !current.holders.includes(session.id)) {
        saveHolders(ctx, change, current, [...current.holders, session.id]);
      }
      await change.commit();
      return { lab: current, reused: true };
    }
    if (current.holders.length > 0) throw new LockedError("Lab currently busy");
    destroyLabIn(ctx, change, current, "replaced by a new topology");
  }

  makeRoomForDeploy(ctx, change, host);
  const multilabId = runtime === "netlab" && effectiveCapacity(host) > 1 ? freeMultilabId(ctx, host.id) : null;
  if (runtime === "netlab" && effectiveCapacity(host) > 1 && multilabId === null) {
    throw new UnprocessableError(`Host "${host.name}" has no free netlab multilab id`);
  }
  const scheduled = startAt !== null && startAt > now;
  const lab: Lab = {
    id: newId(now),
    sessionId: session.id,
    hostId: host.id,
    runtime,
    state: scheduled ? "scheduled" : "deploying",
    instanceName: uniqueInstanceName(ctx, host.id, nameBase, pastNames),
    topologyName: topology.name,
    topologyFile: input.upload.topologyFile,
    topologyHash: topology.hash,
    files,
    notes: [...topology.notes, ...warmNote(runtime, input.keepWarm ?? false)],
    multilabId,
    holders: [session.id],
    nodes: [],
    error: null,
    startAt,
    endAt,
    createdAt: now,
    updatedAt: now,
    runningAt: null,
    runningNodes: null,
    keepWarm: input.keepWarm ?? false,
    warmUntil: null,
  };
  change.write(ctx.state.labs.create(lab));
  for (const file of [{ path: input.upload.topologyFile, content: input.upload.topology }, ...input.upload.extraFiles]) {
    change.write(ctx.orm.insert(labFiles).values({ labId: lab.id, path: file.path, content: Buffer.from(file.content) }));
  }
  change.emit(`lab.${lab.state}`, { labId: lab.id, sessionId: session.id, hostId: host.id }, {
    from: null,
    instance: lab.instanceName,
    runtime,
    notes: lab.notes,
    startAt,
    endAt,
  });
  if (!scheduled) enqueueDeploy(ctx, change, lab, session.id);
  await change.commit();
  return { lab, reused: false };
}

/**
 * The lab a session works with on a host: on a one-lab host, whatever lab is live there (Remote Lab
 * semantics, so a later session can reuse it); on a bigger host, the newest live lab this session
 * created or holds.
 */
export function currentLab(ctx: EngineContext, session: Session, host: Host): Lab | undefined {
  const live = ctx.state.labs.onHost(host.id).filter((lab) => lab.state !== "stopping");
  if (effectiveCapacity(host) <= 1) return live[0];
  return live.find((lab) => lab.sessionId === session.id || lab.holders.includes(session.id));
}

/** Whether the lab was deployed with exactly these extra files (the topology is compared by hash). */
function sameExtraFiles(lab: Lab, files: readonly { path: string; sha256: string }[]): boolean {
  return extraFilesKey(lab.files, lab.topologyFile) === extraFilesKey(files, files[0]!.path);
}

/** Said up front when a lab asks to be kept warm but its runtime cannot reset it. */
function warmNote(runtime: RuntimeName, keepWarm: boolean): string[] {
  if (!keepWarm || RESETTABLE_RUNTIMES.includes(runtime)) return [];
  return [`keep_warm: ${runtime} labs cannot be reset to their deployed baseline, so this one is destroyed when no session holds it`];
}

/** A lab needs an active session, or a reservation it starts within; times must make sense. */
function checkLabTimes(session: Session, now: number, startAt: number | null, endAt: number | null): void {
  if (endAt !== null && endAt <= (startAt ?? now)) throw new UnprocessableError("end_at must come after the lab starts");
  if (session.state === "active") return;
  if (session.state === "scheduled" && startAt !== null && startAt >= session.startAt!) return;
  throw new LockedError(
    session.state === "scheduled"
      ? "Session is not active yet: a lab for a reservation needs a start_at within it"
      : "Session is not active",
  );
}
