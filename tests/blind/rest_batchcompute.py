"""batchcompute.CreateCluster for the blind REST server (tests/blind/rest.py), from
apidocs/aliyun-batchcompute-CreateCluster.txt only."""

import ipaddress
import json
import re
import uuid

import rest_common as common
from rest_common import ApiError, bug, is_int, is_num, present


# ----------------------------------------------------------------------------------------
# batchcompute.CreateCluster

def bc_invalid(param, detail=None):
    msg = "Specified parameter %s is not valid." % param
    if detail:
        msg += " " + detail
    return ApiError(400, "Invalid" + param, msg)


def bc_missing(param):
    return ApiError(400, "Missing" + param, "%s is mandatory for this action." % param)


def bc_quota(name, value):
    return ApiError(400 if bug("bc-quota-400") else 403, "QuotaExhausted." + name,
                    "The %s (%s) quota is exhausted." % (name, value))


NAME_RE = re.compile(r"^[a-zA-Z_-][a-zA-Z0-9_-]*$")
NAME_RE_BUG = re.compile(r"^[a-zA-Z0-9_-]+$")
TOKEN_RE = re.compile(r"^[A-Za-z0-9_]{1,64}$")
DISK_TYPES = {"cloud", "cloud_efficiency", "cloud_ssd", "ephemeral"}
RESOURCE_TYPES = {"OnDemand", "Spot"}
SPOT_STRATEGIES = {"NoSpot", "SpotWithPriceLimit", "SpotAsPriceGo"}
ROUTER_TYPES = {"VRouter", "VBR"}


def check_string(obj, key, param, lo=None, hi=None):
    if not present(obj, key):
        return None
    v = obj[key]
    if not isinstance(v, str):
        raise bc_invalid(param, "Its type must be string.")
    if lo is not None and not (lo <= len(v) <= hi):
        raise bc_invalid(param, "Its length must be in [%d, %d]." % (lo, hi))
    return v


def check_object(obj, key, param):
    if not present(obj, key):
        return None
    v = obj[key]
    if not isinstance(v, dict):
        raise bc_invalid(param, "Its type must be object.")
    return v


def check_bool(obj, key, param):
    if present(obj, key) and not isinstance(obj[key], bool):
        raise bc_invalid(param, "Its type must be boolean.")


def check_string_list(obj, key, param):
    if not present(obj, key):
        return None
    v = obj[key]
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise bc_invalid(param, "Its type must be array of string.")
    return v


def bc_check_name(body):
    if not present(body, "Name"):
        raise bc_missing("Name")
    name = check_string(body, "Name", "Name", 1, 64)
    rx = NAME_RE_BUG if bug("bc-name-digit-start") else NAME_RE
    if not rx.match(name):
        raise bc_invalid("Name", "It must only contain characters within [a-zA-Z0-9_-], "
                         "and must not start with [0-9].")


def bc_check_userdata(body):
    ud = check_object(body, "UserData", "UserData")
    if ud is None:
        return
    limit = 65 if bug("bc-userdata-65") else 64
    if len(ud) > limit:
        raise bc_invalid("UserData", "Its size must be in [0, 64].")
    for k, v in ud.items():
        if not (1 <= len(k) <= 128):
            raise ApiError(400, "InvalidUserData.%s" % k,
                           "Specified parameter UserData.%s is not valid. Its length must be in [1, 128]." % k)
        if not isinstance(v, str):
            raise ApiError(400, "InvalidUserData.%s.value" % k,
                           "Specified parameter UserData.%s.value is not valid. Its type must be string." % k)
        if len(v) > (1025 if bug("bc-userdata-value-1025") else 1024):
            raise ApiError(400, "InvalidUserData.%s.value" % k,
                           "Specified parameter UserData.%s.value is not valid. Its length must be in [0, 1024]." % k)


def bc_check_notification(body):
    n = check_object(body, "Notification", "Notification")
    if n is None:
        return
    t = check_object(n, "Topic", "Notification.Topic")
    if t is None:
        return
    check_string(t, "Name", "Notification.Topic.Name")
    check_string(t, "Endpoint", "Notification.Topic.Endpoint")
    check_string_list(t, "Events", "Notification.Topic.Events")


def bc_check_disk(disks, key):
    d = check_object(disks, key, key)
    if d is None:
        return
    t = check_string(d, "Type", key + ".Type")
    if t is not None and t not in DISK_TYPES:
        raise bc_invalid(key + ".Type")
    if present(d, "Size") and (not is_int(d["Size"]) or d["Size"] < 0):
        raise bc_invalid(key + ".Size", "Its type must be integer.")
    check_string(d, "MountPoint", key + ".MountPoint")


def bc_check_configs(body):
    c = check_object(body, "Configs", "Configs")
    if c is None:
        return
    disks = check_object(c, "Disks", "Configs.Disks")
    if disks is not None:
        bc_check_disk(disks, "SystemDisk")
        bc_check_disk(disks, "DataDisk")
    mounts = check_object(c, "Mounts", "Configs.Mounts")
    if mounts is not None:
        if present(mounts, "Entries"):
            entries = mounts["Entries"]
            if not isinstance(entries, list):
                raise bc_invalid("Configs.Mounts.Entries", "Its type must be array.")
            for e in entries:
                if not isinstance(e, dict):
                    raise bc_invalid("Configs.Mounts.Entries", "Its items must be objects.")
                check_string(e, "Destination", "Destination")
                check_string(e, "Source", "Source")
                check_bool(e, "WriteSupport", "WriteSupport")
        check_string(mounts, "Locale", "Locale")
        check_bool(mounts, "Lock", "Lock")
        check_bool(mounts, "CacheSupport", "CacheSupport")
        nas = check_object(mounts, "NAS", "NAS")
        if nas is not None:
            check_string_list(nas, "AccessGroup", "NAS.AccessGroup")
            check_string_list(nas, "FileSystem", "NAS.FileSystem")
        oss = check_object(mounts, "OSS", "OSS")
        if oss is not None:
            for k in ("AccessKeyId", "AccessKeySecret", "AccessSecurityToken"):
                check_string(oss, k, "OSS." + k)
    nets = check_object(c, "Networks", "Configs.Networks")
    if nets is None:
        return
    classic = check_object(nets, "Classic", "Configs.Networks.Classic")
    if classic is not None:
        for k in ("AllowIpAddress", "AllowIpAddressEgress", "AllowSecurityGroup",
                  "AllowSecurityGroupEgress"):
            check_string_list(classic, k, k)
    vpc = check_object(nets, "VPC", "Configs.Networks.VPC")
    if vpc is None:
        return
    if present(vpc, "CidrBlock") and not bug("bc-cidr-unchecked"):
        cidr = vpc["CidrBlock"]
        if not isinstance(cidr, str) or not valid_cidr(cidr):
            raise ApiError(400, "InvalidCidrBlock",
                           "Specified parameter CidrBlock is not valid. "
                           "Configs.Networks.VPC.CidrBlock is not valid.")
    check_string(vpc, "VpcId", "VpcId")
    opposite = ("OppositeRouterId", "OppositeAccessPointId", "OppositeRegionId",
                "OppositeRouterType")
    for k in opposite:
        check_string(vpc, k, k)
    if any(present(vpc, k) and vpc[k] != "" for k in opposite):
        for k in opposite[:3]:
            if not present(vpc, k) or vpc[k] == "":
                raise ApiError(400, "MissingConfigs.Networks.VPC." + k,
                               "Configs.Networks.VPC.%s is mandatory for this action." % k)
        rt = vpc.get("OppositeRouterType")
        if rt not in (None, "") and rt not in ROUTER_TYPES:
            raise ApiError(403, "QuotaExhausted.Configs.Networks.VPC.OppositeRouterType",
                           "The Configs.Networks.VPC.OppositeRouterType (%s) is forbidden." % rt)


OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
CIDR_RE = re.compile(r"^%s\.%s\.%s\.%s/(3[0-2]|[12]?[0-9])$" % (OCTET, OCTET, OCTET, OCTET))


def valid_cidr(s):
    if not CIDR_RE.match(s):
        return False
    try:
        ipaddress.ip_network(s, strict=False)
    except ValueError:
        return False
    return True


def bc_check_groups(body):
    if not present(body, "Groups"):
        raise bc_missing("Groups")
    groups = body["Groups"]
    if not isinstance(groups, dict):
        raise bc_invalid("Groups", "Its type must be object.")
    if len(groups) == 0:
        raise bc_invalid("Groups", "Its size must be in [1, %d]." % 64)
    for key, g in groups.items():
        if not isinstance(g, dict):
            raise ApiError(400, "InvalidGroups.%s" % key,
                           "Specified parameter Groups.%s is not valid. Its type must be object." % key)
        if not (1 <= len(key) <= 64):
            raise ApiError(400, "InvalidGroups.%s" % key,
                           "Specified parameter Groups.%s is not valid. Its size must be in [1, 64]." % key)
        if not present(g, "DesiredVMCount"):
            raise bc_missing("DesiredVMCount")
        n = g["DesiredVMCount"]
        if not is_int(n):
            raise bc_invalid("DesiredVMCount", "Its type must be integer.")
        low = 0 if bug("bc-desired-vm-zero") else 1
        if not (low <= n <= 65536):
            raise bc_invalid("DesiredVMCount", "It must be in [1, 65536].")
        it = g.get("InstanceType")
        if it is not None:
            if not isinstance(it, str):
                raise bc_invalid("InstanceType")
            if it != "" and it not in common.STATE.bc_types:
                raise bc_invalid("InstanceType")
        if not present(g, "ResourceType"):
            raise bc_missing("ResourceType")
        if g["ResourceType"] not in RESOURCE_TYPES:
            raise bc_invalid("ResourceType")
        ss = g.get("SpotStrategy")
        if ss is not None and ss != "" and ss not in SPOT_STRATEGIES:
            raise bc_invalid("SpotStrategy")
        if present(g, "SpotPriceLimit") and (not is_num(g["SpotPriceLimit"]) or g["SpotPriceLimit"] < 0):
            raise bc_invalid("SpotPriceLimit")


def bc_validate(body):
    bc_check_name(body)
    check_string(body, "Description", "Description", 0, 1024)
    if not present(body, "ImageId"):
        if bug("bc-misspelt-image-code"):
            raise ApiError(400, "MissingImageID", "ImageId is mandatory for this action.")
        raise bc_missing("ImageId")
    image = check_string(body, "ImageId", "ImageId", 1, 256)
    if image not in common.STATE.bc_images:
        raise bc_invalid("ImageId", "The image does not exist.")
    if not present(body, "InstanceType"):
        raise bc_missing("InstanceType")
    it = body["InstanceType"]
    if not isinstance(it, str) or it not in common.STATE.bc_types:
        raise bc_invalid("InstanceType")
    bc_check_userdata(body)
    bc_check_notification(body)
    bc_check_configs(body)
    bc_check_groups(body)


def bc_create(query, raw):
    tokens = query.get("IdempotentToken")
    token = tokens[-1] if tokens and tokens[-1] != "" else None
    if token is not None and not TOKEN_RE.match(token):
        raise bc_invalid("IdempotentToken")
    try:
        body = json.loads(raw.decode("utf-8")) if raw.strip() else None
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "InvalidJsonFormat", "The request body has an invalid json format.")
    if not isinstance(body, dict):
        raise ApiError(400, "InvalidHttpBody",
                       "Specified parameter HttpBody is not valid. Its type must be object.")
    bc_validate(body)
    canon = json.dumps(body, sort_keys=True)
    with common.STATE.lock:
        if token and not bug("bc-idempotency-ignored"):
            prev = common.STATE.tokens.get(token)
            if prev is not None:
                if prev[0] != canon:
                    raise ApiError(400, "IdempotentTokenMismatch", "Specified idempotent token mismatch.")
                return prev[1]
        q = common.STATE.bc_quotas
        extra = 1 if bug("bc-cluster-quota-51") else 0
        if "MaxClusterCount" in q and len(common.STATE.clusters) >= q["MaxClusterCount"] + extra:
            raise bc_quota("MaxClusterCount", q["MaxClusterCount"])
        groups = body["Groups"]
        extra = 1 if bug("bc-group-quota-11") else 0
        if "MaxClusterGroupCount" in q and len(groups) > q["MaxClusterGroupCount"] + extra:
            raise bc_quota("MaxClusterGroupCount", q["MaxClusterGroupCount"])
        lim = q.get("MaxClusterGroupDesiredVMCount")
        if lim is not None and bug("bc-vm-quota-1001"):
            lim += 1
        if lim is not None and any(g["DesiredVMCount"] > lim for g in groups.values()):
            raise bc_quota("MaxClusterGroupDesiredVMCount", lim)
        cid = "cls-" + uuid.uuid4().hex[:22]
        common.STATE.clusters[cid] = body
        if token:
            common.STATE.tokens[token] = (canon, cid)
        return cid


