#!/usr/bin/env python3
"""Drives the Remote Lab REST API the way the established Python client and its pytest fixtures do,
and checks every status code, content type and field name it relies on against a live broker.

Written for labbroker from the API contract (design/compat-api.md); it uses nothing but `requests`.

    REMOTE_LAB_URL=http://127.0.0.1:8000 python3 remote_lab_client.py TOPOLOGY.clab.yml

REMOTE_LAB_HOLD_SECONDS=N holds the lab N seconds (set it above the broker's session timeouts to prove
that heartbeats keep sessions alive); REMOTE_LAB_HEARTBEAT_SECONDS sets the heartbeat interval (default 1);
REMOTE_LAB_NODES=r1,r2,r3 names the topology's nodes (default a,b,c); REMOTE_LAB_NETWORK_OS=frr checks
the devices' ansible_network_os (a netlab topology).

Exits 0 when everything matched, 1 at the first mismatch (printing what was expected and what came).
"""

import os
import sys
import threading
import time

import requests

HEARTBEAT_SECONDS = float(os.environ.get("REMOTE_LAB_HEARTBEAT_SECONDS", "1"))
POLL_SECONDS = 0.2
TIMEOUT_SECONDS = 120


class Mismatch(Exception):
    pass


def check(condition, what, got=None):
    if not condition:
        raise Mismatch(what if got is None else f"{what}; got {got!r:.400}")
    print(f"ok: {what}")


def expect_status(response, status, what):
    check(response.status_code == status, f"{what} -> {status}", f"{response.status_code}: {response.text[:300]}")
    return response


def expect_detail(response, status, detail, what):
    expect_status(response, status, what)
    body = response.json()
    check(body == {"detail": detail}, f"{what}: {{'detail': {detail!r}}}", body)


class RemoteLabClient:
    """The client side of the contract: a session with heartbeats, then lab calls with X-Session-ID."""

    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/")
        self.http = requests.Session()
        self.session_id = None
        self._stop = threading.Event()
        self._heartbeats = None
        self.heartbeat_failures = []

    def url(self, path):
        return self.base_url + path

    @property
    def headers(self):
        return {"X-Session-ID": self.session_id}

    def open_session(self):
        response = expect_status(self.http.post(self.url("/session")), 201, "POST /session")
        body = response.json()
        check(set(body) == {"session_id", "position"}, "POST /session: {session_id, position}", body)
        check(isinstance(body["session_id"], str) and isinstance(body["position"], int), "session_id is a string, position an int")
        self.session_id = body["session_id"]
        self._heartbeats = threading.Thread(target=self._beat, daemon=True)
        self._heartbeats.start()
        return body

    def status(self):
        response = expect_status(self.http.get(self.url(f"/session/{self.session_id}")), 200, "GET /session/{id}")
        body = response.json()
        check(set(body) == {"status", "position"} and body["status"] in ("waiting", "active"), "GET /session/{id}: {status: waiting|active, position}", body)
        return body

    def wait_until_active(self):
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while True:
            body = self.status()
            if body["status"] == "active":
                check(body["position"] == 0, "an active session has position 0")
                return
            check(body["position"] >= 1, "a waiting session has position >= 1", body)
            if time.monotonic() > deadline:
                raise Mismatch(f"session {self.session_id} did not become active within {TIMEOUT_SECONDS} s")
            time.sleep(POLL_SECONDS)

    def _beat(self):
        while not self._stop.wait(HEARTBEAT_SECONDS):
            response = self.http.post(self.url("/session/heartbeat"), headers=self.headers)
            if response.status_code != 204:
                self.heartbeat_failures.append(response.status_code)

    def upload_lab(self, topology_path, extra_files, reuse, appended=b""):
        with open(topology_path, "rb") as topology:
            files = [("topology", (os.path.basename(topology_path), topology.read() + appended, "application/x-yaml"))]
        files += [("extra_files", (name, content, "application/octet-stream")) for name, content in extra_files]
        return self.http.post(self.url("/lab"), headers=self.headers, files=files, data={"reuse": "true" if reuse else "false"}, timeout=TIMEOUT_SECONDS)

    def lab_status(self):
        return expect_status(self.http.get(self.url("/lab"), headers=self.headers), 200, "GET /lab").json()

    def close_session(self):
        self._stop.set()
        if self._heartbeats:
            self._heartbeats.join()
        expect_status(self.http.delete(self.url(f"/session/{self.session_id}")), 204, "DELETE /session/{id}")


def check_devices(devices, names, what):
    check(isinstance(devices, list) and sorted(device.get("name") for device in devices) == names, f"{what}: devices {names}", devices)
    for device in devices:
        check(set(device) == {"name", "raw"} and isinstance(device["raw"], dict), f"{what}: device {device.get('name')} is {{name, raw}} with raw an object", device)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    topology_path = sys.argv[1]
    base_url = os.environ.get("REMOTE_LAB_URL", "http://localhost:8000")
    hold_seconds = float(os.environ.get("REMOTE_LAB_HOLD_SECONDS", "0"))
    nodes = sorted(os.environ.get("REMOTE_LAB_NODES", "a,b,c").split(","))
    network_os = os.environ.get("REMOTE_LAB_NETWORK_OS")
    extra = [("configs/a/frr.conf", b"hostname a\n"), ("configs/README", b"sub-folders are kept\n")]

    check(requests.get(base_url + "/healthz").status_code == 204, "GET /healthz -> 204")
    health = requests.get(base_url + "/debug/health").json()
    check(set(health) == {"status", "timestamp", "uptime", "sessions", "queue_length"} and health["status"] == "ok", "GET /debug/health: {status: ok, timestamp, uptime, sessions, queue_length}", health)

    first = RemoteLabClient(base_url)
    opened = first.open_session()
    check(opened["position"] == 0, "the first session is active at once (position 0)")
    first.wait_until_active()
    active = expect_status(requests.get(base_url + "/active-session"), 200, "GET /active-session").json()
    check(active == {"session_id": first.session_id, "status": "active", "position": 0}, "GET /active-session names the active session", active)

    second = RemoteLabClient(base_url)
    check(second.open_session()["position"] == 1, "a second session waits at position 1 (FIFO)")
    check(second.status()["status"] == "waiting", "the second session is waiting")
    expect_detail(second.upload_lab(topology_path, [], True), 423, "Session is not active", "POST /lab for a waiting session")

    expect_status(requests.get(base_url + "/lab"), 422, "GET /lab without X-Session-ID")
    expect_status(first.http.post(first.url("/lab"), headers=first.headers, files=[("topology", ("line3.txt", b"name: x\n"))]), 400, "POST /lab with a topology that is not .yml/.yaml")
    expect_status(first.upload_lab(topology_path, [("../escape.txt", b"x")], True), 400, "POST /lab with an extra file outside the lab folder")
    missing = expect_status(first.http.post(first.url("/lab"), headers=first.headers, data={"reuse": "true"}, files=[("extra_files", ("a.txt", b"x"))]), 422, "POST /lab without a topology")
    check(missing.json() == {"detail": [{"type": "missing", "loc": ["body", "topology"], "msg": "Field required", "input": None}]}, "POST /lab without a topology: FastAPI's missing-field detail", missing.json())
    bad_reuse = expect_status(first.http.post(first.url("/lab"), headers=first.headers, data={"reuse": "x"}, files=[("topology", ("line3.clab.yml", b"name: x\n"))]), 422, "POST /lab with reuse=x")
    check(
        bad_reuse.json() == {"detail": [{"type": "bool_parsing", "loc": ["body", "reuse"], "msg": "Input should be a valid boolean, unable to interpret input", "input": "x"}]},
        "POST /lab with reuse=x: FastAPI's bool_parsing detail",
        bad_reuse.json(),
    )

    deployed = expect_status(first.upload_lab(topology_path, extra, True), 200, "POST /lab (multipart: topology, extra_files in sub-folders, reuse)")
    body = deployed.json()
    check(set(body) == {"reused", "devices"} and body["reused"] is False, "POST /lab: {reused: false, devices}", body)
    check_devices(body["devices"], nodes, "POST /lab")
    check(all("ansible_host" in device["raw"] for device in body["devices"]), "every device's raw data has ansible_host")
    if network_os:
        check(all(device["raw"].get("ansible_network_os") == network_os and device["raw"].get("ansible_user") for device in body["devices"]), f"every device is ansible_network_os {network_os} with an ansible_user, as netlab inspect says", body["devices"])

    devices = expect_status(first.http.get(first.url("/lab/devices"), headers=first.headers), 200, "GET /lab/devices").json()
    check_devices(devices, nodes, "GET /lab/devices")
    status = first.lab_status()
    check(set(status) == {"running", "topology", "ref_count", "devices", "netlab_status"}, "GET /lab: {running, topology, ref_count, devices, netlab_status}", status)
    check(status["running"] is True and status["topology"] == os.path.basename(topology_path) and status["ref_count"] == 1, "GET /lab: running, the topology's file name, ref_count 1", status)
    check(status["netlab_status"] is None, "GET /lab: netlab_status is null for a lab that is not netlab", status)
    check_devices(status["devices"], nodes, "GET /lab")

    if hold_seconds > 0:
        # Longer than the broker's session timeouts: only the heartbeats keep both sessions alive.
        time.sleep(hold_seconds)
        check(first.status()["status"] == "active" and second.status()["status"] == "waiting", f"after {hold_seconds:g} s of heartbeats only, the sessions are still active and waiting")

    # Holds are counted per acquire: existing suites with several fixtures on one lab rely on it.
    for count in (2, 3):
        again = expect_status(first.upload_lab(topology_path, [("configs/README", b"other extra files do not matter\n")], True), 200, f"POST /lab with reuse=true, acquire {count}").json()
        check(again["reused"] is True, f"acquire {count} of the same topology attaches (reused: true), whatever its extra files", again)
        check(first.lab_status()["ref_count"] == count, f"GET /lab: ref_count {count} after {count} acquires")
    expect_status(first.http.post(first.url("/lab/release"), headers=first.headers), 204, "POST /lab/release")
    check(first.lab_status()["ref_count"] == 2, "GET /lab: one release leaves ref_count 2")
    expect_detail(first.http.delete(first.url("/lab"), headers=first.headers, params={"force": "false"}), 409, "Lab still in use", "DELETE /lab?force=false while held twice")
    expect_detail(first.upload_lab(topology_path, [], True, appended=b"# another topology\n"), 423, "Lab currently busy", "POST /lab with another topology while held")
    for count in (1, 0):
        expect_status(first.http.post(first.url("/lab/release"), headers=first.headers), 204, "POST /lab/release")
        check(first.lab_status()["ref_count"] == count, f"GET /lab: ref_count {count} after another release")
    released = first.lab_status()
    check(released["ref_count"] == 0 and released["running"] is True, "GET /lab: still running with ref_count 0 after the last release", released)
    reused = expect_status(first.upload_lab(topology_path, extra, True), 200, "POST /lab again with the same content").json()
    check(reused["reused"] is True, "the same topology and files with reuse=true attach to the running lab (reused: true)", reused)
    expect_detail(first.upload_lab(topology_path, extra, False), 423, "Lab currently busy", "POST /lab with reuse=false while this session holds the lab")
    expect_detail(first.http.delete(first.url("/lab"), headers=first.headers, params={"force": "false"}), 409, "Lab still in use", "DELETE /lab?force=false while held")

    expect_status(first.http.delete(first.url("/lab"), headers=first.headers), 202, "DELETE /lab (force by default) destroys the running lab")
    expect_status(first.http.delete(first.url("/lab"), headers=first.headers), 204, "DELETE /lab with no lab running")
    expect_detail(first.http.get(first.url("/lab/devices"), headers=first.headers), 404, "No lab running", "GET /lab/devices after the destroy")
    expect_detail(first.http.post(first.url("/lab/release"), headers=first.headers), 404, "No lab running", "POST /lab/release with no lab running")
    gone = first.http.get(first.url("/lab"), headers=first.headers).json()
    check(gone["running"] is False and gone["ref_count"] == 0 and gone["devices"] == [], "GET /lab: not running, no holders, no devices after the destroy", gone)

    first.close_session()
    expect_detail(requests.get(f"{base_url}/session/{first.session_id}"), 404, "Session not found", "GET /session/{id} after DELETE")
    second.wait_until_active()
    check(not first.heartbeat_failures, "every heartbeat of the first session answered 204", first.heartbeat_failures)
    second.close_session()
    check(not second.heartbeat_failures, "every heartbeat of the second session answered 204", second.heartbeat_failures)
    expect_status(requests.post(base_url + "/session/heartbeat", headers={"X-Session-ID": second.session_id}), 404, "POST /session/heartbeat for an ended session")
    print("all Remote Lab checks passed")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Mismatch as mismatch:
        print(f"MISMATCH: {mismatch}", file=sys.stderr)
        sys.exit(1)
    except requests.RequestException as error:
        print(f"HTTP FAILURE: {error}", file=sys.stderr)
        sys.exit(1)
