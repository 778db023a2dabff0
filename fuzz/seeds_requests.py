#!/usr/bin/env python3
"""Seeds and dictionaries of the request-path fuzz targets (fixtures, RPC query,
HTTP request into the emulator, HTTP response into the runner, differential).

    python3 fuzz/seeds.py                       # runs this too
    python3 fuzz/seeds_requests.py [--conform build-fz/conform]

Seeds are small on purpose (one request, one resource, one table row's worth),
so that the targets run at thousands of executions per second; whole
documents are cut down (fixtures/default.json to one resource per type). With
--conform, the differential target's seeds are regenerated from `conform gen`
(a few cases per rule and side of every operation); without it they are left
as they are.
Deterministic: same inputs, same files.
"""
import json
import os
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seeds import ROOT, SPECS, Corpus, spec_words, write_dict  # noqa: E402


def load_specs():
    out = []
    for service in sorted(os.listdir(SPECS)):
        for f in sorted(os.listdir(os.path.join(SPECS, service))):
            if f.endswith(".json") and not f.endswith(".overlay.json"):
                out.append(json.load(open(os.path.join(SPECS, service, f))))
    return out


def example_pairs(spec):
    """(name, value) of every top-level query parameter with an example; N -> 1."""
    pairs = []
    for p in spec["params"]:
        if p.get("in", "query") != "query" or p.get("example") is None:
            continue
        pairs.append((p["name"].replace(".N.", ".1.").replace(".N", ".1"), str(p["example"])))
    if spec["dialect"] == "aliyun-rpc":
        names = {n for n, _ in pairs}
        if "Action" not in names:
            pairs.insert(0, ("Action", spec["name"]))
        if "Version" not in names:
            pairs.append(("Version", spec.get("version", "")))
    return pairs


def enc(pairs, plus=False):
    quote = urllib.parse.quote_plus if plus else lambda s: urllib.parse.quote(s, safe="")
    return "&".join(quote(k) + "=" + quote(v) for k, v in pairs).encode()


def fixtures_seeds():
    c = Corpus("fuzz_fixtures_loader")
    text = open(os.path.join(ROOT, "fixtures", "default.json"), "rb").read()
    fx = json.loads(text)
    seen, firsts = set(), []
    for r in fx["resources"]:
        if r["type"] in seen:
            continue
        seen.add(r["type"])
        firsts.append(r)
        c.add("one-" + r["type"] + ".json", json.dumps({"resources": [r]}).encode())
    # The whole file's shape (notes, every type, quotas) with one resource per type:
    # fixtures/default.json itself (3.8 KB) set libFuzzer's length limit, and every
    # input grew toward it.
    c.add("default-one-per-type.json", json.dumps(dict(fx, resources=firsts)).encode())
    c.add("quotas.json", json.dumps({"quotas": fx.get("quotas", [])}).encode())
    img = {"service": "ecs", "region": "cn-hangzhou", "type": "Image", "id": "m-1",
           "attrs": {"os": "linux", "size_gib": 20, "status": "Available"}}
    broken = {
        "unknown-type": {"resources": [dict(img, type="Bucket")]},
        "unknown-attr": {"resources": [dict(img, attrs={"colour": "red"})]},
        "attr-wrong-type": {"resources": [dict(img, attrs={"size_gib": "20"})]},
        "attr-word": {"resources": [dict(img, attrs={"os": "plan9"})]},
        "attr-object": {"resources": [dict(img, attrs={"os": {"a": 1}})]},
        "empty-id": {"resources": [dict(img, id="")]},
        "region-null": {"resources": [dict(img, region=None)]},
        "no-region": {"resources": [{k: v for k, v in img.items() if k != "region"}]},
        "unknown-key": {"resources": [dict(img, owner="me")]},
        "date": {"resources": [{"service": "ecs", "type": "Snapshot", "id": "s-1",
                                "attrs": {"created": "2013-07-01", "size_gib": 40.5}}]},
        "bad-date": {"resources": [{"service": "ecs", "type": "Snapshot", "id": "s-1", "attrs": {"created": "2013-7-1"}}]},
        "quota-duplicate": {"quotas": [{"service": "batchcompute", "name": "MaxClusterCount", "value": 2},
                                       {"service": "batchcompute", "name": "MaxClusterCount", "value": 3}]},
        "quota-fraction": {"quotas": [{"service": "x", "name": "Q", "value": 5.0}]},
        "quota-negative": {"quotas": [{"service": "x", "name": "Q", "value": -1}]},
        "quota-huge": {"quotas": [{"service": "x", "name": "Q", "value": 1e300}]},
        "top-level-array": [],
    }
    for name, doc in broken.items():
        c.add("broken--" + name + ".json", json.dumps(doc).encode())
    c.add("broken--truncated.json", text[:700])
    c.add("broken--not-json.json", b"resources: []\n")


def rpc_specs(specs):
    return [s for s in specs if s["dialect"] == "aliyun-rpc"]


QUERY_CHUNK = 8


def query_seeds(specs):
    c = Corpus("fuzz_rpc_query")
    # A whole request's examples come in chunks of QUERY_CHUNK pairs, each chunk
    # in one of the four spellings in turn: every name and example is in some
    # seed, and an input stays a few hundred bytes (the per-input work of the
    # target grows with the number of pairs).
    for s in rpc_specs(specs):
        pairs = example_pairs(s)
        name = s["op"]
        for k in range(0, len(pairs), QUERY_CHUNK):
            chunk, tag = pairs[k:k + QUERY_CHUNK], "%s.%d" % (name, k // QUERY_CHUNK)
            variant = (k // QUERY_CHUNK) % 4
            if variant == 0:
                c.add(tag + ".query", enc(chunk))
            elif variant == 1:
                c.add(tag + "--plus.query", enc(chunk, plus=True))
            elif variant == 2:
                half = len(chunk) // 2
                c.add(tag + "--form.query", enc(chunk[:half]) + b"\n" + enc(chunk[half:]))
            else:
                c.add(tag + "--duplicates.query", enc(chunk + [(kk, v + "x") for kk, v in chunk[:3]]))
    c.add("indices.query", b"DataDisk.1.Size=40&DataDisk.0.Size=1&DataDisk.01.Size=2&DataDisk.17.Size=3"
                           b"&DataDisk.x.Size=4&DataDisk.1234567890.Size=5&DataDisk..Size=6&DataDisk.2=7"
                           b"&ParameterOverrides.3.ParameterKey=k&ParameterOverrides.3.ParameterValue=v")
    c.add("json-in-query.query", b"AccountIds=%5B%221%22%2C2%5D&RegionIds=[\"cn-hangzhou\"]"
                                 b"&OperationPreferences=%7B%22FailureToleranceCount%22%3A1%2C%22MaxConcurrentCount%22%3A%22x%22%7D")
    c.add("percent.query", b"A=%zz&B=%4&C=%&D=%%41&E=a+b%2Bc&%41=1&=v&k&&k2=")
    c.add("deep-json.query", b"OperationPreferences=" + b"%5B" * 70 + b"%5D" * 70)
    c.add("form-only.query", b"\nAction=CreateDeploymentSet&RegionId=cn-hangzhou")


def generated_cases(conform, specs, per_op):
    """`conform gen` lines (parsed) per op, or None without a binary."""
    if not conform:
        return None
    out = {}
    for sp in specs:
        text = subprocess.run([conform, "gen", "--specs", SPECS, "--ops", sp["op"], "--cases", str(per_op),
                               "--seed", "20261202"], check=True, capture_output=True, cwd=ROOT).stdout
        out[sp["op"]] = [json.loads(l) for l in text.decode().splitlines() if l.strip()]
    return out


def http_bytes(case, close=False):
    """A case as the runner puts it on the wire (transport/dialect.h build_request)."""
    q = case.get("query") or {}
    pairs = list(q.items()) if isinstance(q, dict) else [tuple(p) for p in q]
    qs = "&".join(urllib.parse.quote(k, safe="") + "=" + urllib.parse.quote(str(v), safe="") for k, v in pairs)
    method, path = case.get("method", "GET"), case.get("path", "/")
    headers = dict(case.get("headers") or {})
    body = b""
    if path == "/" and method == "POST":
        body, target = qs.encode(), path
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    else:
        target = path + ("?" + qs if qs else "")
        if case.get("raw_body") is not None:
            body = case["raw_body"].encode()
        elif case.get("body") is not None:
            body = json.dumps(case["body"], separators=(",", ":"), ensure_ascii=False).encode()
            headers.setdefault("Content-Type", "application/json")
    head = f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    for k, v in headers.items():
        head += f"{k}: {v}\r\n"
    if body or method == "POST":
        head += f"Content-Length: {len(body)}\r\n"
    if close:
        head += "Connection: close\r\n"
    return head.encode() + b"\r\n" + body


def request_seeds(gen):
    c = Corpus("fuzz_emulator_request")
    for op, cases in gen.items():
        n = 0
        for i, case in enumerate(cases):
            if "steps" in case:
                c.add(f"{op}-{i}-steps.http", b"".join(http_bytes(st) for st in case["steps"]))
            elif n < 14:
                c.add(f"{op}-{i}.http", http_bytes(case))
                n += 1
    rpc = next(cs for op, cs in gen.items() if op == "ecs.CreateDeploymentSet")[0]
    xml = dict(rpc, query=dict(rpc["query"], Format="XML"))
    c.add("rpc-xml.http", http_bytes(xml))
    c.add("rpc-post-form.http", http_bytes(dict(rpc, method="POST")))
    c.add("rpc-put.http", http_bytes(dict(rpc, method="PUT")))
    c.add("rpc-no-action.http", b"GET /?Version=2014-05-26 HTTP/1.1\r\nHost: x\r\n\r\n")
    c.add("rpc-unknown-action.http", b"GET /?Action=Nope&Version=1 HTTP/1.1\r\nHost: x\r\n\r\n")
    c.add("chunked.http", b"POST /clusters HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                          b"5\r\n{\"Nam\r\n0\r\n\r\n")
    c.add("not-found.http", b"GET /nope/x HTTP/1.1\r\nHost: x\r\n\r\n")
    c.add("huawei-not-found.http", b"GET /v1.0/p/other HTTP/1.1\r\nHost: x\r\n\r\n")
    c.add("control.http", b"POST /_conform/reset HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
                          b"GET /_conform/health HTTP/1.1\r\nHost: x\r\n\r\n")
    c.add("roa-bad-json.http", b"POST /clusters HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n{\"a")
    c.add("roa-array.http", b"POST /clusters HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n[]")
    c.add("http10.http", b"GET /?Action=CreateDeploymentSet HTTP/1.0\r\n\r\n")


def http_response(status, body, ctype="application/json;charset=utf-8", extra="", length=True, reason="OK"):
    head = f"HTTP/1.1 {status} {reason}\r\nServer: x\r\n"
    if ctype:
        head += f"Content-Type: {ctype}\r\n"
    head += extra
    if length:
        head += f"Content-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


def response_seeds(specs):
    c = Corpus("fuzz_response_parser")
    rid = "04F0F334-1335-436C-A1D7-6C044FE73368"
    rpc_err = json.dumps({"RequestId": rid, "HostId": "ecs.aliyuncs.com", "Code": "InvalidParameter",
                          "Message": "The specified parameter is not valid.", "Recommend": "https://x"}).encode()
    c.add("rpc-error.http", http_response(400, rpc_err, reason="Bad Request"))
    c.add("rpc-error-xml.http", http_response(400, b"<?xml version='1.0' encoding='UTF-8'?><Error><RequestId>" +
                                              rid.encode() + b"</RequestId><Code>MissingParameter</Code>"
                                              b"<Message>x</Message></Error>", "text/xml"))
    for sp in specs:
        for e in sp.get("examples", []):
            if e["kind"] != "response":
                continue
            t = e["text"].strip().encode()
            ct = "text/xml" if t.startswith(b"<") else "application/json"
            c.add(f"{sp['op']}-{len(c.names)}.http", http_response(sp.get("success_status", 200), t, ct))
    c.add("roa-error.http", http_response(400, json.dumps({"Code": "InvalidJsonFormat", "Message": "m",
                                                           "RequestId": rid, "HostId": "h"}).encode(),
                                          extra=f"x-acs-request-id: {rid}\r\n"))
    c.add("huawei-error.http", http_response(400, b'{"error_code":"DCS.4000","error_msg":"bad"}',
                                             extra="X-Request-Id: 1234\r\n"))
    c.add("chunked.http", b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                          b"4\r\n{\"Id\r\n6\r\n\":\"x\"}\r\n0\r\n\r\n")
    c.add("until-close.http", http_response(200, b'{"RequestId":"r"}', length=False))
    c.add("http10.http", b"HTTP/1.0 503 Service Unavailable\r\nRetry-After: 2\r\n\r\n<html>busy</html>")
    c.add("no-content.http", b"HTTP/1.1 204 No Content\r\n\r\n")
    c.add("numeric-code.http", http_response(400, b'{"Code":400,"Message":null,"RequestId":["a"]}'))
    c.add("xml-repeated.http", http_response(200, b"<R><A>1</A><A>2</A><A><B>3</B></A><C/></R>", "application/xml"))
    c.add("xml-deep.http", http_response(200, b"<a>" * 70 + b"</a>" * 70, "text/xml"))
    c.add("bad-utf8.http", http_response(400, b'{"Code":"\xff\xfe","Message":"\xc3"}'))
    c.add("bad-utf8-xml.http", http_response(400, b"<Error><Code>\xff</Code></Error>", "text/xml"))
    c.add("no-content-type-xml.http", http_response(400, b"  <Error><Code>X</Code></Error>", ""))
    c.add("html.http", http_response(502, b"<html><body>Bad gateway</body></html>", "text/html"))


def targets_seeds():
    c = Corpus("fuzz_targets_loader")
    good = {"targets": [
        {"name": "staging", "url": "https://ecs.cn-hangzhou.example.internal", "ops": ["ecs.*"],
         "dialect": "aliyun-rpc", "region": "cn-hangzhou",
         "credentials": {"access_key_id_env": "ALIBABA_CLOUD_ACCESS_KEY_ID",
                         "access_key_secret_env": "ALIBABA_CLOUD_ACCESS_KEY_SECRET"},
         "fixtures": "fixtures/staging.json", "rate": 20, "timeout_ms": 5000, "ca_file": None, "allow_create": False},
        {"name": "emulator", "url": "http://127.0.0.1:8080"}]}
    c.add("design-example.json", json.dumps(good, indent=1).encode())
    c.add("one.json", b'{"targets": [{"name": "e", "url": "http://127.0.0.1:8080/base"}]}')
    c.add("huawei.json", json.dumps({"targets": [{"name": "h", "url": "https://dcs.example:8443", "dialect": "huawei-rest",
                                                   "credentials": {"auth_token_env": "HUAWEI_TOKEN"},
                                                   "ops": ["dcs.CreateInstance"], "allow_create": True}]}).encode())
    c.add("sts.json", json.dumps({"targets": [{"name": "s", "url": "https://x", "credentials": {
        "access_key_id_env": "AK_ID", "access_key_secret_env": "AK_SECRET", "security_token_env": "STS_UNSET"}}]}).encode())
    for name, doc in {"duplicate": {"targets": [{"name": "a", "url": "http://x"}, {"name": "a", "url": "http://y"}]},
                      "ftp": {"targets": [{"name": "a", "url": "ftp://x"}]},
                      "dialect": {"targets": [{"name": "a", "url": "http://x", "dialect": "soap"}]},
                      "empty": {"targets": []}, "unknown-key": {"targets": [{"name": "a", "url": "http://x", "x": 1}]},
                      "rate": {"targets": [{"name": "a", "url": "http://x", "rate": -1, "timeout_ms": 1.5}]},
                      "port": {"targets": [{"name": "a", "url": "http://[::1]:99999/"}]}}.items():
        c.add("broken--" + name + ".json", json.dumps(doc).encode())
    c.add("broken--not-json.json", b"targets:\n - name: a\n")


def differential_seeds(gen):
    c = Corpus("fuzz_differential")
    for op, cases in gen.items():
        for i, case in enumerate(cases):
            case.pop("target", None)
            c.add(f"{op}-{i}.json", json.dumps(case, separators=(",", ":"), ensure_ascii=False).encode())


def dictionaries(specs):
    names, codes, values, _ = spec_words()
    indexed = []
    for n in names:
        if ".N" in n:
            indexed += [n.replace(".N", ".1"), n.replace(".N", ".0"), n.replace(".N", ".01"), n.replace(".N", ".17")]
    query = ["&", "=", "%", "%25", "%26", "%3D", "+", "%2B", "%20", "%00", "%C3%A9", "%E4%B8%AD", "%5B", "%5D", "%7B",
             "%7D", "%22", "%3A", "%2C", ".", ".N.", ".1.", "[", "]", "{", "}", "\"", ":", ",", "\n", "true", "false",
             "null", "1e400", "-1", "2147483648", "9223372036854775808"]
    rpc = sorted({s["name"] for s in rpc_specs(specs)} | {s.get("version", "") for s in rpc_specs(specs)})
    write_dict("fuzz_rpc_query", query + rpc + names + indexed + values)
    http = ["GET ", "POST ", "PUT ", "DELETE ", " HTTP/1.1\r\n", " HTTP/1.0\r\n", "\r\n", "\r\n\r\n", "Host: ",
            "Content-Length: ", "Content-Type: ", "application/json", "application/x-www-form-urlencoded",
            "text/xml", "Transfer-Encoding: chunked\r\n", "Connection: close\r\n", "Connection: keep-alive\r\n",
            "0\r\n\r\n", "/", "/?", "/clusters", "/v1.0/", "/instances", "/_conform/reset", "/_conform/health",
            "Format=XML", "Format=JSON", "DryRun=true", "ClientToken=", "IdempotentToken="]
    write_dict("fuzz_emulator_request", http + query[:20] + rpc + names + indexed + values + codes)
    case = ["{", "}", "[", "]", "\"", ":", ",", "null", "true", "false", "\"id\":", "\"op\":", "\"method\":",
            "\"path\":", "\"query\":", "\"headers\":", "\"body\":", "\"raw_body\":", "\"steps\":",
            "\"Content-Type\":", "\"Content-Length\":", "\"\"", "application/json",
            "application/x-www-form-urlencoded", "${0.DeploymentSetId}", "${0.ClusterId}"]
    write_dict("fuzz_differential", case + ['"%s":' % n for n in names + indexed] + rpc + values + codes)
    write_dict("fuzz_response_parser", ["HTTP/1.1 ", "HTTP/1.0 ", " OK\r\n", "\r\n", "\r\n\r\n", "200", "201",
                                        "400", "404", "500", "Content-Length: ", "Content-Type: ",
                                        "Transfer-Encoding: chunked\r\n", "application/json", "text/xml",
                                        "application/xml", "x-acs-request-id: ", "X-Request-Id: ", "Retry-After: ",
                                        "<?xml version=\"1.0\"?>", "<Error>", "</Error>", "<Code>", "</Code>",
                                        "<RequestId>", "</RequestId>", "<![CDATA[", "]]>", "<!--", "&amp;", "&#x0;",
                                        "\"Code\":", "\"Message\":", "\"RequestId\":", "\"error_code\":",
                                        "\"error_msg\":", "{", "}", "[", "]", "null"] + codes)
    write_dict("fuzz_targets_loader", ["{", "}", "[", "]", "\"", ":", ",", "null", "true", "false", "0", "-1", "0.5",
                                       "\"targets\":", "\"name\":", "\"url\":", "\"ops\":", "\"dialect\":",
                                       "\"region\":", "\"credentials\":", "\"access_key_id_env\":",
                                       "\"access_key_secret_env\":", "\"security_token_env\":",
                                       "\"auth_token_env\":", "\"fixtures\":", "\"rate\":", "\"timeout_ms\":",
                                       "\"ca_file\":", "\"allow_create\":", "http://", "https://", "127.0.0.1",
                                       "[::1]", ":8080", ":65536", "/base", "aliyun-rpc", "aliyun-roa", "huawei-rest",
                                       "ecs.*", "*", "UNSET", "cn-hangzhou"])
    write_dict("fuzz_fixtures_loader", ["{", "}", "[", "]", "\"", ":", ",", "null", "true", "false", "0", "-1", "0.5",
                                        "1e300", "\"resources\":", "\"quotas\":", "\"notes\":", "\"service\":",
                                        "\"region\":", "\"type\":", "\"id\":", "\"attrs\":", "\"name\":", "\"value\":",
                                        "Zone", "Image", "InstanceType", "VSwitch", "SecurityGroup", "KeyPair",
                                        "DedicatedHost", "Cluster", "HpcCluster", "Snapshot", "DeploymentSet", "os",
                                        "os_version", "arch", "size_gib", "status", "memory_mib", "family",
                                        "phased_out", "vpc_id", "zone_id", "cidr", "created", "linux", "windows",
                                        "x86_64", "i386", "Available", "Disabled", "accomplished", "progressing",
                                        "2013-07-01", "ecs", "cn-hangzhou", "MaxClusterCount"])


def main(argv):
    conform = argv[argv.index("--conform") + 1] if "--conform" in argv else None
    specs = load_specs()
    fixtures_seeds()
    query_seeds(specs)
    response_seeds(specs)
    targets_seeds()
    gen = generated_cases(conform, specs, 40)
    if gen:
        request_seeds(json.loads(json.dumps(gen)))
        differential_seeds(json.loads(json.dumps(gen)))
    dictionaries(specs)


if __name__ == "__main__":
    main(sys.argv[1:])
