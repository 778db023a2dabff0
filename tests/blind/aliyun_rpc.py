#!/usr/bin/env python3
"""A blind, independent aliyun-rpc server for three operations, written from the docs only.

    ecs.CreateInstance        (apidocs/aliyun-ecs-CreateInstance.md, Version 2014-05-26)
    ecs.CreateDeploymentSet   (apidocs/aliyun-ecs-CreateDeploymentSet.md, Version 2014-05-26)
    ros.CreateStackInstances  (apidocs/aliyun-ros-CreateStackInstances.md, Version 2019-09-10)

It is a second reading of those docs (plus fixtures/default.json for the resources that
exist), to check that conform passes a faithful implementation and catches planted bugs.

Run:
    python3 tests/blind/aliyun_rpc.py --port 8099 [--fixtures fixtures/default.json] [--bug NAME]...
    python3 tests/blind/aliyun_rpc.py --list-bugs
(--port 0: a free port; the first line on stdout, "listening on 127.0.0.1:PORT ...", names it.)
Then e.g.: conform run --target http://127.0.0.1:8099 --ops ecs.CreateInstance,...
POST /_conform/reset returns the state to the fixtures; GET /_conform/health answers 200.

Wire: GET with a query or POST with an x-www-form-urlencoded body on any path, dispatched on
Action (and Version). JSON answers, XML when Format=XML. Errors carry
{"RequestId","HostId","Code","Message","Recommend"}. Signatures are not verified.

Planted bugs (--bug NAME, repeatable), each a realistic deviation from the docs:
    win-hostname-16       Windows HostName accepted up to 16 characters (doc: 2 to 15)
    lessthanimage-403     InvalidSystemDiskSize.LessThanImageSize answered with 403 (doc: 404)
    misspelt-mismatch     'InvalidPasswordParam.MisMatch' instead of InvalidPasswordParam.Mismatch
    no-passwordinherit    PasswordInherit=true together with Password is not rejected
    period-48-dropped     Period=48 (Month) rejected as InvalidPeriod (doc lists 48)
    category-nocase       SystemDisk.Category / DataDisk.N.Category enums accepted in any case
    no-operationid        CreateStackInstances success body lacks OperationId
    ecs-token-ignored     CreateInstance ignores ClientToken (a retry creates another instance)
    stack-dup-accepted    StackInstanceExists is never raised (duplicates accepted)
    userdata-500          UserData whose decoded size exceeds 4 KiB (valid up to 16 KB) gets 500
    cloud-size-2048       DataDisk.N.Size for category cloud accepted up to 2048 (doc: 2000)
    tolerance-both        OperationPreferences FailureToleranceCount with FailureTolerancePercentage accepted
    ds-desc-1             DeploymentSet Description accepted at 1 character (doc: 2 to 256)
    bandwidth-out-101     InternetMaxBandwidthOut accepted at 101 (doc: 0 to 100)
    no-request-id         success bodies lack RequestId
    local-ssd-total       local SSD data disks accepted past 1,024 GiB in all (each within 800)
"""
import argparse
import json
import os
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import aliyun_rpc_common as common  # noqa: E402
from aliyun_rpc_common import ApiError, missing, new_request_id  # noqa: E402
from aliyun_rpc_ecs import create_instance  # noqa: E402
from aliyun_rpc_ros import create_deployment_set, create_stack_instances  # noqa: E402

OPERATIONS = {
    "CreateInstance": (common.ECS_VERSION, create_instance),
    "CreateDeploymentSet": (common.ECS_VERSION, create_deployment_set),
    "CreateStackInstances": (common.ROS_VERSION, create_stack_instances),
}


class Store:
    """The account: fixture resources plus what the operations created."""

    def __init__(self, fixtures_path):
        self.fixtures_path = fixtures_path
        self.lock = threading.RLock()
        self.reset()

    def reset(self):
        with self.lock:
            self.resources = {}
            self.tokens = {}
            self.instances = {}
            self.stack_instances = set()
            if self.fixtures_path:
                with open(self.fixtures_path) as f:
                    for r in json.load(f).get("resources", []):
                        self.add(r["service"], r.get("region"), r["type"], r["id"],
                                 r.get("attrs", {}))

    def add(self, service, region, kind, rid, attrs):
        with self.lock:
            self.resources[(service, region, kind, rid)] = attrs

    def resource(self, service, region, kind, rid):
        with self.lock:
            return self.resources.get((service, region, kind, rid))


STORE = None


def dispatch(params):
    action = params.get("Action")
    if not action:
        raise missing("Action")
    if action not in OPERATIONS:
        raise ApiError(404, "InvalidAction.NotFound",
                       "Specified api is not found, please check your url and method.")
    version, handler = OPERATIONS[action]
    if not params.get("Version"):
        raise missing("Version")
    if params["Version"] != version:
        raise ApiError(400, "InvalidVersion", "Specified parameter Version is not valid.")
    return action, handler(STORE, params)


def to_xml(root, fields):
    inner = "".join("<%s>%s</%s>" % (k, escape(str(v)), k) for k, v in fields.items())
    return '<?xml version="1.0" encoding="UTF-8"?><%s>%s</%s>' % (root, inner, root)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "blind-aliyun-rpc"

    def setup(self):
        super().setup()
        # Headers and body go out in two writes: without this, Nagle's algorithm and
        # the client's delayed ACK hold the body back ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args):
        pass

    def _body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def _send(self, status, body, ctype):
        raw = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _handle(self):
        url = urlsplit(self.path)
        body = self._body()
        if url.path == "/_conform/health":
            return self._send(200, "{}", "application/json")
        if url.path == "/_conform/reset":
            STORE.reset()
            return self._send(200, "{}", "application/json")
        params = {}
        for k, v in parse_qsl(url.query, keep_blank_values=True):
            params.setdefault(k, v)
        if self.command == "POST" and body:
            try:
                form = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError:
                form = []
            for k, v in form:
                params.setdefault(k, v)
        xml = params.get("Format", "JSON").upper() == "XML"
        request_id = new_request_id()
        try:
            if self.command not in ("GET", "POST"):
                raise ApiError(405, "UnsupportedHTTPMethod", "This http method is not supported.")
            action, fields = dispatch(params)
            status = 200
            out = dict(fields)
            if not common.bug("no-request-id"):
                out = {"RequestId": request_id, **out}
            root = action + "Response"
        except ApiError as e:
            status, root = e.status, "Error"
            out = {"RequestId": request_id, "HostId": self.headers.get("Host", "localhost"),
                   "Code": e.code, "Message": e.message,
                   "Recommend": "https://api.aliyun.com/troubleshoot?q=" + e.code}
        except Exception as e:  # a bug in this server: answer like the service would
            status, root = 500, "Error"
            out = {"RequestId": request_id, "HostId": "localhost", "Code": "InternalError",
                   "Message": "The request processing has failed due to some unknown error. "
                   + type(e).__name__, "Recommend": ""}
        if xml:
            self._send(status, to_xml(root, out), "text/xml;charset=utf-8")
        else:
            self._send(status, json.dumps(out), "application/json;charset=utf-8")

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=8099)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--fixtures", default=os.path.join(here, "..", "..", "fixtures",
                                                       "default.json"))
    ap.add_argument("--bug", action="append", default=[])
    ap.add_argument("--list-bugs", action="store_true")
    args = ap.parse_args()
    if args.list_bugs:
        print("\n".join(sorted(common.BUGS)))
        return 0
    for b in args.bug:
        if b not in common.BUGS:
            print("unknown bug %r (see --list-bugs)" % b, file=sys.stderr)
            return 2
        common.ACTIVE.add(b)
    global STORE
    STORE = Store(args.fixtures)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print("listening on 127.0.0.1:%d bugs=%s" % (server.server_address[1],
                                                 ",".join(sorted(common.ACTIVE)) or "none"),
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
