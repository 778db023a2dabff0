"""dcs.CreateInstance for the blind REST server (tests/blind/rest.py), from
apidocs/huawei-dcs-CreateInstance.md only."""

import json
import re
import uuid

import rest_common as common
from rest_common import ApiError, bug, is_int, present


# ----------------------------------------------------------------------------------------
# dcs.CreateInstance

def dcs_err(code, msg):
    return ApiError(400, code, msg)


def dcs_invalid(param):
    return dcs_err("111400063", "Invalid %s parameter in the request." % param)


def dcs_missing(param):
    return dcs_err("111400064", "Missing %s parameter in the request." % param)


DCS_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
SPECIALS = set("`~!@#$%^&*()-_=+\\|[{}]:'\",<.>/?")
PRODUCTS = {"OTC_DCS_SINGLE", "OTC_DCS_MS", "OTC_DCS_CL"}
CAP_SMALL = {2, 4, 8, 16, 32, 64}
CAP_CLUSTER = {64, 128, 256, 512}
MAINTAIN_BEGINS = ["22:00:00", "02:00:00", "06:00:00", "10:00:00", "14:00:00", "18:00:00"]
HHMM = r"([01][0-9]|2[0-3]):[0-5][0-9]"
BEGIN_AT_RE = re.compile(r"^%s-%s$" % (HHMM, HHMM))
TZ_RE = re.compile(r"^GMT([+-])(0[0-9]|1[0-2]):([0-5][0-9])$")


def need_string(body, key, allow_empty=False):
    if not present(body, key):
        raise dcs_missing(key)
    v = body[key]
    if not isinstance(v, str) or (v == "" and not allow_empty):
        raise dcs_invalid(key)
    return v


def password_ok(pw):
    if not (8 <= len(pw) <= 32):
        return False
    kinds = [False] * 4
    for ch in pw:
        if "a" <= ch <= "z":
            kinds[0] = True
        elif "A" <= ch <= "Z":
            kinds[1] = True
        elif "0" <= ch <= "9":
            kinds[2] = True
        elif ch in SPECIALS:
            kinds[3] = True
        else:
            return False
    return sum(kinds) >= (2 if bug("dcs-password-two-kinds") else 3)


def dcs_check_backup(body):
    if not present(body, "instance_backup_policy"):
        return
    p = body["instance_backup_policy"]
    if not isinstance(p, dict):
        raise dcs_invalid("instance_backup_policy")
    btype = p.get("backup_type")
    if btype is None:
        btype = "manual"
    if btype not in ("auto", "manual"):
        raise dcs_invalid("backup_type")
    if present(p, "save_days"):
        d = p["save_days"]
        if not is_int(d) or not (1 <= d <= (8 if bug("dcs-save-days-8") else 7)):
            raise dcs_invalid("save_days")
    elif btype == "manual":
        if bug("dcs-save-days-500"):
            raise ApiError(500, "DCS.5000", "Internal server error.")
        raise dcs_missing("save_days")
    if not present(p, "periodical_backup_plan"):
        raise dcs_missing("periodical_backup_plan")
    plan = p["periodical_backup_plan"]
    if not isinstance(plan, dict):
        raise dcs_invalid("periodical_backup_plan")
    if not BEGIN_AT_RE.match(need_string(plan, "begin_at")):
        raise dcs_invalid("begin_at")
    if need_string(plan, "period_type") != "weekly" and not bug("dcs-period-type-any"):
        raise dcs_invalid("period_type")
    if not present(plan, "backup_at"):
        raise dcs_missing("backup_at")
    days = plan["backup_at"]
    low = 0 if bug("dcs-backup-at-zero") else 1
    if not isinstance(days, list) or not days or \
            not all(is_int(x) and low <= x <= 7 for x in days):
        raise dcs_invalid("backup_at")
    if present(plan, "timezone_offset"):
        tz = plan["timezone_offset"]
        m = TZ_RE.match(tz) if isinstance(tz, str) else None
        if not m or (m.group(2) == "12" and m.group(3) != "00" and not bug("dcs-timezone-12-30")):
            raise dcs_invalid("timezone_offset")


def dcs_check_maintain(body):
    b, e = body.get("maintain_begin"), body.get("maintain_end")
    if b is None and e is None:
        return
    if b is None or e is None:
        if bug("dcs-maintain-unpaired") and e is None:
            return
        raise dcs_err("111400065", "Parameters maintain_begin and maintain_end must be set in pairs.")
    if not isinstance(b, str) or b not in MAINTAIN_BEGINS:
        raise dcs_invalid("maintain_begin")
    hour = (int(b[:2]) + 4) % 24
    if not isinstance(e, str) or e != "%02d:00:00" % hour:
        raise dcs_invalid("maintain_end")


def dcs_validate(body):
    name = need_string(body, "name")
    hi = 65 if bug("dcs-name-65") else 64
    if not (4 <= len(name) <= hi) or not DCS_NAME_RE.match(name):
        raise dcs_invalid("name")
    if present(body, "description"):
        d = body["description"]
        if not isinstance(d, str) or len(d) > (1025 if bug("dcs-description-1025") else 1024):
            raise dcs_invalid("description")
    engine = need_string(body, "engine")
    if engine != "Redis" and not (bug("dcs-engine-any-case") and engine.lower() == "redis"):
        raise dcs_invalid("engine")
    if need_string(body, "engine_version") != "3.0":
        raise dcs_invalid("engine_version")
    if not present(body, "capacity"):
        raise dcs_missing("capacity")
    cap = body["capacity"]
    if not is_int(cap):
        raise dcs_invalid("capacity")
    if not password_ok(need_string(body, "password")):
        raise dcs_invalid("password")
    for key in ("vpc_id", "security_group_id", "subnet_id"):
        need_string(body, key)
    if not present(body, "available_zones"):
        raise dcs_missing("available_zones")
    zones = body["available_zones"]
    if not isinstance(zones, list) or not zones or \
            not all(isinstance(z, str) and z for z in zones):
        raise dcs_invalid("available_zones")
    product = need_string(body, "product_id")
    if product not in PRODUCTS:
        raise dcs_invalid("product_id")
    allowed = CAP_CLUSTER if product == "OTC_DCS_CL" else CAP_SMALL
    if product == "OTC_DCS_CL" and bug("dcs-cluster-capacity"):
        allowed = CAP_SMALL | CAP_CLUSTER
    if cap not in allowed:
        raise dcs_invalid("capacity")
    dcs_check_backup(body)
    dcs_check_maintain(body)


def dcs_create(raw):
    try:
        body = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise dcs_err("111400001", "Invalid request body: malformed JSON.")
    if not isinstance(body, dict):
        raise dcs_err("111400001", "Invalid request body: a JSON object is expected.")
    dcs_validate(body)
    iid = str(uuid.uuid4())
    with common.STATE.lock:
        common.STATE.dcs_instances[iid] = body
    out = {"instance_id": iid}
    if not bug("dcs-no-instances"):
        out["instances"] = [{"instance_id": iid, "instance_name": body["name"]}]
    return out


