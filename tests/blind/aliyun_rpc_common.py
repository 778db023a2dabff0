"""Shared helpers of the blind aliyun-rpc server (see aliyun_rpc.py for how to run it)."""
import re
import uuid

BUGS = {
    "win-hostname-16", "lessthanimage-403", "misspelt-mismatch", "no-passwordinherit",
    "period-48-dropped", "category-nocase", "no-operationid", "ecs-token-ignored",
    "stack-dup-accepted", "userdata-500", "cloud-size-2048", "tolerance-both", "ds-desc-1",
    "bandwidth-out-101", "no-request-id", "local-ssd-total",
}
ACTIVE = set()

ECS_VERSION = "2014-05-26"
ROS_VERSION = "2019-09-10"
# Common RPC parameters: never part of an idempotency comparison.
COMMON = {"Action", "Version", "Format", "AccessKeyId", "Signature", "SignatureMethod",
          "SignatureVersion", "SignatureNonce", "Timestamp", "SecurityToken", "ClientToken",
          "RegionId"}


class ApiError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def bug(name):
    return name in ACTIVE


# --- value checks shared by the operations ---------------------------------------------------

def missing(name):
    return ApiError(400, "MissingParameter",
                    'The input parameter "%s" that is mandatory for processing this request '
                    'is not supplied.' % name)


def invalid(name, code=None, status=400):
    return ApiError(status, code or "InvalidParameter",
                    'The specified parameter "%s" is not valid.' % name)


INT_RE = re.compile(r"^[+-]?[0-9]+$")
FLOAT_RE = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")


def as_int(p, name, code=None, status=400, bits=32):
    """An Integer is 32 bits, a Long 64."""
    v = p.get(name)
    if v is None:
        return None
    if not INT_RE.match(v) or not -2 ** (bits - 1) <= int(v) < 2 ** (bits - 1):
        raise invalid(name, code, status)
    return int(v)


def as_bool(p, name):
    v = p.get(name)
    if v is None:
        return None
    if v.lower() == "true":
        return True
    if v.lower() == "false":
        return False
    raise invalid(name)


def as_float(p, name, code=None):
    v = p.get(name)
    if v is None:
        return None
    if not FLOAT_RE.match(v):
        raise invalid(name, code)
    return float(v)


def check_enum(p, name, values, code=None, status=400, nocase=False):
    v = p.get(name)
    if v is None:
        return None
    if v in values:
        return v
    if nocase:
        for x in values:
            if x.lower() == v.lower():
                return x
    raise invalid(name, code, status)


def no_http(v):
    return not (v.startswith("http://") or v.startswith("https://"))


def description_ok(v, lo=2, hi=256):
    return lo <= len(v) <= hi and no_http(v)


NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9:_-]*$")


def name_ok(v, lo=2, hi=128):
    """2 to 128 characters: letters, digits, colons, underscores and hyphens; starts with a
    letter; not http:// or https:// (which the charset excludes anyway)."""
    return lo <= len(v) <= hi and NAME_RE.match(v) is not None and no_http(v)


def ascii_token(p, name, pattern=None):
    v = p.get(name)
    if v is None:
        return None
    if len(v) > 64 or not all(ord(c) < 128 for c in v):
        raise invalid(name)
    if pattern is not None and not pattern.match(v):
        raise invalid(name)
    return v


def indexed(p, prefix):
    """{N: {member: value}} for parameters named prefix.N.member; bad N gives an error."""
    out = {}
    rx = re.compile(r"^" + re.escape(prefix) + r"\.([^.]+)\.(.+)$")
    for k, v in p.items():
        m = rx.match(k)
        if not m:
            continue
        if not re.match(r"^[0-9]+$", m.group(1)):
            raise invalid(k)
        out.setdefault(int(m.group(1)), {})[m.group(2)] = v
    return out


def request_signature(p):
    """What an idempotency token is compared on: every non-common parameter."""
    return tuple(sorted((k, v) for k, v in p.items() if k not in COMMON))


def new_request_id():
    return str(uuid.uuid4()).upper()


def short_id(prefix, n=20):
    return prefix + uuid.uuid4().hex[:n]
