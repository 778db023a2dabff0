#!/usr/bin/env python3
"""Blind, independent implementation of two REST operations, written from the docs only.

  batchcompute.CreateCluster  apidocs/aliyun-batchcompute-CreateCluster.txt
      POST /clusters[?IdempotentToken=...]   JSON body   201 {"Id": ...}
      errors: {"Code","Message","RequestId","HostId"} (Alibaba ROA envelope)
  dcs.CreateInstance          apidocs/huawei-dcs-CreateInstance.md
      POST /v1.0/{project_id}/instances      JSON body   200 {"instance_id", "instances"}
      errors: {"error_code","error_msg"} (Huawei REST envelope)

Run:
  python3 tests/blind/rest.py --port 8090 [--fixtures fixtures/default.json] [--bug NAME]...
  (--port 0: a free port; the first line on stdout, "listening on 127.0.0.1:PORT ...",
  names it)
  python3 tests/blind/rest.py --list-bugs
Also answers GET /_conform/health (200) and POST /_conform/reset (state back to the
fixtures), as DESIGN.md describes for a target.

The server treats as existing exactly the batchcompute resources of the fixtures file
(Image, InstanceType) and enforces its batchcompute quotas. The fixtures hold no
Huawei resources, so the DCS references (vpc_id, subnet_id, security_group_id,
available_zones) are only checked for shape, not for existence.

Bugs (--bug NAME, any number; a faithful server has none):
  bc-name-digit-start     Name may start with a digit (first-character rule skipped)
  bc-desired-vm-zero      DesiredVMCount 0 is accepted (range [0, 65536])
  bc-userdata-65          UserData may hold 65 entries (off by one)
  bc-quota-400            QuotaExhausted.* answered with 400 instead of 403
  bc-misspelt-image-code  missing ImageId answered with MissingImageID
  bc-idempotency-ignored  IdempotentToken ignored: a reuse with another body creates a cluster
  bc-success-200          a created cluster is answered with 200 instead of 201
  bc-cidr-unchecked       Configs.Networks.VPC.CidrBlock is not validated
  dcs-name-65             name may be 65 characters long (off by one)
  dcs-password-two-kinds  password needs only two character kinds, not three
  dcs-engine-any-case     engine compared case-insensitively ("redis" accepted)
  dcs-cluster-capacity    capacity of a cluster instance checked against the single/MS list
  dcs-maintain-unpaired   maintain_begin without maintain_end is accepted
  dcs-save-days-500       backup_type manual without save_days crashes: 500
  dcs-no-instances        the success body lacks the "instances" list
  dcs-backup-at-zero      backup_at accepts day 0
  bc-userdata-value-1025  a UserData value may be 1025 characters long
  bc-cluster-quota-51     MaxClusterCount counted one too late: a 51st cluster is created
  bc-group-quota-11       MaxClusterGroupCount counted one too late: 11 groups accepted
  bc-vm-quota-1001        MaxClusterGroupDesiredVMCount one too late: 1001 VMs accepted
  dcs-save-days-8         save_days 8 accepted
  dcs-period-type-any     period_type not checked (only weekly is supported)
  dcs-timezone-12-30      timezone_offset GMT+12:30 accepted (past the GMT+12:00 bound)
  dcs-description-1025    description may be 1025 characters long
"""

import argparse
import json
import os
import re
import socket
import sys
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rest_common as common  # noqa: E402
from rest_batchcompute import bc_create  # noqa: E402
from rest_common import ApiError, bug  # noqa: E402
from rest_dcs import dcs_create  # noqa: E402


# ----------------------------------------------------------------------------------------
# HTTP

DCS_PATH = re.compile(r"^/v1\.0/([^/]+)/instances/?$")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "blind-rest/1.0"

    def setup(self):
        super().setup()
        # Headers and body go out in two writes: without this, Nagle's algorithm and
        # the client's delayed ACK hold the body back ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):
        pass

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():
                        pass
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def send_json(self, status, obj, extra=None):
        data = json.dumps(obj).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def roa_error(self, e, rid):
        self.send_json(e.status, {"Code": e.code, "Message": e.message, "RequestId": rid,
                                  "HostId": "batchcompute.cn-hangzhou.aliyuncs.com"},
                       {"x-acs-request-id": rid})

    def handle_any(self, method):
        try:
            raw = self.read_body()
        except (ValueError, OSError):
            self.close_connection = True
            self.send_json(400, {"error_code": "111400001", "error_msg": "Bad request."})
            return
        url = urlsplit(self.path)
        path, query = url.path, parse_qs(url.query, keep_blank_values=True)
        rid = str(uuid.uuid4()).upper()
        if path == "/_conform/health" and method == "GET":
            self.send_json(200, {"status": "ok"})
            return
        if path == "/_conform/reset" and method == "POST":
            with common.STATE.lock:
                common.STATE.reset()
            self.send_json(200, {"status": "reset"})
            return
        if path in ("/clusters", "/clusters/"):
            if method != "POST":
                self.roa_error(ApiError(405, "MethodNotAllowed", "The method is not allowed."), rid)
                return
            try:
                cid = bc_create(query, raw)
            except ApiError as e:
                self.roa_error(e, rid)
                return
            self.send_json(200 if bug("bc-success-200") else 201, {"Id": cid},
                           {"x-acs-request-id": rid})
            return
        m = DCS_PATH.match(path)
        if m:
            if method != "POST":
                self.send_json(405, {"error_code": "111400405", "error_msg": "Method not allowed."})
                return
            try:
                out = dcs_create(raw)
            except ApiError as e:
                self.send_json(e.status, {"error_code": e.code, "error_msg": e.message},
                               {"X-Request-Id": rid})
                return
            self.send_json(200, out, {"X-Request-Id": rid})
            return
        self.send_json(404, {"Code": "NotFound", "Message": "No such path.", "RequestId": rid,
                             "error_code": "APIGW.0101", "error_msg": "The API does not exist."})

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_DELETE(self):
        self.handle_any("DELETE")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=8090)
    ap.add_argument("--fixtures", default=None)
    ap.add_argument("--bug", action="append", default=[])
    ap.add_argument("--list-bugs", action="store_true")
    args = ap.parse_args()
    if args.list_bugs:
        print("\n".join(sorted(common.BUGS)))
        return 0
    for b in args.bug:
        if b not in common.BUGS:
            print("unknown bug: %s" % b, file=sys.stderr)
            return 2
        common.ACTIVE.add(b)
    path = args.fixtures
    if path is None:
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures", "default.json")
    with open(path) as f:
        common.STATE = common.State(json.load(f))
    srv = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    srv.daemon_threads = True
    # With --port 0 the system picks a free port: the line below names the bound one
    # (tests/blind/blind.sh reads it, so parallel runs never collide on a port).
    print("listening on 127.0.0.1:%d bugs=%s" % (srv.server_address[1], ",".join(sorted(common.ACTIVE)) or "none"), flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
