import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { call, registerHost } from "../support/api-helpers.ts";
import { createTestApp, type TestApp } from "../support/test-broker.ts";

let broker: TestApp;
let agent: { agent_id: string; agent_token: string };
let sessionId: string;
beforeEach(async () => {
  broker = await createTestApp();
  agent = await registerHost(broker, "lab-1");
  sessionId = (await call(broker, "POST", "/session")).json.session_id;
});
afterEach(async () => {
  await broker.close();
});

const PAIR = "name: pair\ntopology:\n  nodes:\n    a: {kind: linux}\n    b: {kind: linux}\n";
const OTHER = "name: other\ntopology:\n  nodes:\n    c: {kind: linux}\n";

function form(fields: { topology?: string; name?: string; reuse?: string; extras?: [string, string][] }) {
  const body = new FormData();
  if (fields.topology !== undefined) body.append("topology", new File([fields.topology], fields.name ?? "pair.clab.yml"));
  for (const [path, content] of fields.extras ?? []) body.append("extra_files", new File([content], path));
  if (fields.reuse !== undefined) body.append("reuse", fields.reuse);
  return body;
}

async function compat(method: string, path: string, body?: FormData) {
  const response = await broker.app.request(path, { method, headers: { "x-session-id": sessionId }, ...(body ? { body } : {}) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

/** Plays the agent: takes the queued deploy (holding the poll until it is queued) and reports it done. */
async function agentDeploys() {
  const headers = { authorization: `Bearer ${agent.agent_token}` };
  const { work } = (await call(broker, "POST", `/v1/agents/${agent.agent_id}/poll`, { headers, body: { running: [], wait_s: 25 } }))
    .json as { work: { id: string }[] };
  const events = work.map((item) => ({
    work_id: item.id,
    seq: 1,
    type: "result",
    ok: true,
    result: { nodes: ["a", "b"].map(reportedNode) },
  }));
  await call(broker, "POST", `/v1/agents/${agent.agent_id}/events`, { headers, body: { events } });
}

const reportedNode = (name: string) => ({ name, kind: "linux", state: "running", mgmtIpv4: null, mgmtIpv6: null, raw: {} });

async function deployed(body: FormData) {
  const [response] = await Promise.all([compat("POST", "/lab", body), agentDeploys()]);
  expect(response).toMatchObject({ status: 200, json: { reused: false } });
}

const refCount = async () => (await compat("GET", "/lab")).json.ref_count;
const storedLabs = async () => Number((await broker.db.client.execute("SELECT count(*) AS n FROM labs")).rows[0]?.n);

describe("Remote Lab holds are counted per acquire, as by the reference", () => {
  test("three acquires hold three times; one release leaves two; a held lab refuses DELETE ?force=false (409) and another topology (423)", async () => {
    await deployed(form({ topology: PAIR }));
    expect(await refCount()).toBe(1);
    for (const expected of [2, 3]) {
      expect(await compat("POST", "/lab", form({ topology: PAIR, reuse: "true" }))).toMatchObject({ status: 200, json: { reused: true } });
      expect(await refCount()).toBe(expected);
    }
    expect((await compat("POST", "/lab/release")).status).toBe(204);
    expect(await refCount()).toBe(2);
    expect(await compat("DELETE", "/lab?force=false")).toEqual({ status: 409, json: { detail: "Lab still in use" } });
    expect(await compat("POST", "/lab", form({ topology: OTHER, name: "other.clab.yml" }))).toEqual({
      status: 423,
      json: { detail: "Lab currently busy" },
    });
    const [lab] = (await call(broker, "GET", "/v1/labs")).json.items;
    expect([lab.holders, lab.ref_count]).toEqual([[sessionId], 2]);

    for (const expected of [1, 0]) {
      expect((await compat("POST", "/lab/release")).status).toBe(204);
      expect(await refCount()).toBe(expected);
    }
    expect((await compat("DELETE", "/lab?force=false")).status).toBe(202);
  });

  test("the topology alone identifies the lab: other extra files reuse it, while held", async () => {
    await deployed(form({ topology: PAIR, extras: [["configs/a.conf", "one\n"]] }));
    const again = await compat("POST", "/lab", form({ topology: PAIR, extras: [["configs/a.conf", "two\n"], ["more.txt", "x"]] }));
    expect(again).toMatchObject({ status: 200, json: { reused: true } });
    expect(await refCount()).toBe(2);
  });

  test("ending the session drops all of its holds and destroys the lab", async () => {
    await deployed(form({ topology: PAIR }));
    await compat("POST", "/lab", form({ topology: PAIR }));
    expect((await call(broker, "DELETE", `/session/${sessionId}`)).status).toBe(204);
    const [lab] = (await call(broker, "GET", "/v1/labs")).json.items;
    expect([lab.state, lab.ref_count]).toEqual(["stopping", 0]);
  });
});

describe("/v1 labs keep one hold per session", () => {
  test("acquiring the same lab twice holds it once; other extra files while held are busy (423)", async () => {
    const v1 = (await call(broker, "POST", "/v1/sessions", { body: {} })).json.id as string;
    await call(broker, "DELETE", `/session/${sessionId}`);
    const extraFiles = (text: string) => [{ path: "configs/a.conf", content_base64: Buffer.from(text).toString("base64") }];
    const [created] = await Promise.all([
      call(broker, "POST", "/v1/labs", { body: { session_id: v1, topology: PAIR, extra_files: extraFiles("one") } }),
      agentDeploys(),
    ]);
    expect(created.status).toBe(202);
    const again = await call(broker, "POST", "/v1/labs", { body: { session_id: v1, topology: PAIR, extra_files: extraFiles("one") } });
    expect(again.json).toMatchObject({ id: created.json.id, holders: [v1], ref_count: 1 });
    const otherFiles = await call(broker, "POST", "/v1/labs", { body: { session_id: v1, topology: PAIR, extra_files: extraFiles("two") } });
    expect(otherFiles.status).toBe(423);
    const released = await call(broker, "POST", `/v1/labs/${created.json.id}/release`, { body: { session_id: v1 } });
    expect(released.json).toMatchObject({ holders: [], ref_count: 0 });
  });
});

describe("malformed Remote Lab forms answer 422 in FastAPI's shape and change nothing", () => {
  const missingTopology = { type: "missing", loc: ["body", "topology"], msg: "Field required", input: null };
  const badReuse = {
    type: "bool_parsing",
    loc: ["body", "reuse"],
    msg: "Input should be a valid boolean, unable to interpret input",
    input: "x",
  };
  test.each([
    ["no topology", () => form({}), [missingTopology]],
    ["reuse=x", () => form({ topology: PAIR, reuse: "x" }), [badReuse]],
    ["both at once", () => form({ reuse: "x" }), [missingTopology, badReuse]],
    ["topology as a plain field", () => {
      const body = new FormData();
      body.append("topology", "name: pair");
      return body;
    }, [{
      type: "value_error",
      loc: ["body", "topology"],
      msg: "Value error, Expected UploadFile, received: <class 'str'>",
      input: "name: pair",
    }]],
  ])("%s", async (_label, body, detail) => {
    expect(await compat("POST", "/lab", body())).toEqual({ status: 422, json: { detail } });
    expect(await storedLabs()).toBe(0);
  });

  test("reuse accepts FastAPI's words in any case (the upload then fails on its topology, not on reuse)", async () => {
    for (const word of ["Y", "on", "T", "1", "f"]) {
      const refused = await compat("POST", "/lab", form({ topology: "just: text\n", reuse: word }));
      expect([refused.status, refused.json.detail]).toEqual([400, expect.stringContaining("neither a containerlab topology")]);
    }
  });

  test("DELETE /lab?force=x is a 422 on the query", async () => {
    expect(await compat("DELETE", "/lab?force=x")).toEqual({
      status: 422,
      json: {
        detail: [{
          type: "bool_parsing",
          loc: ["query", "force"],
          msg: "Input should be a valid boolean, unable to interpret input",
          input: "x",
        }],
      },
    });
  });
});
