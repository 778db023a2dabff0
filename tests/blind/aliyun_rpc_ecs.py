"""ecs.CreateInstance of the blind aliyun-rpc server (see aliyun_rpc.py), from
apidocs/aliyun-ecs-CreateInstance.md only."""
import base64
import binascii
import ipaddress
import re

from aliyun_rpc_common import (ApiError, as_bool, as_float, as_int, ascii_token, bug,
                               check_enum, description_ok, indexed, invalid, missing, name_ok,
                               no_http, request_signature, short_id)

DISK_CATEGORIES = ["cloud", "cloud_efficiency", "cloud_ssd", "ephemeral_ssd", "cloud_essd"]
# DataDisk.N.Size by category (GiB).
DATA_SIZE = {"cloud": (5, 2000), "cloud_efficiency": (20, 32768), "cloud_ssd": (20, 32768),
             "cloud_essd": (20, 32768), "ephemeral_ssd": (5, 800)}
PERIOD_MONTH = {1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60}
AUTO_RENEW_MONTH = {1, 2, 3, 6, 12}
PERF_LEVELS = ["PL1", "PL2", "PL3"]
DATA_MEMBERS = {"Size", "Category", "SnapshotId", "DiskName", "Description",
                "DeleteWithInstance", "Device", "Encrypted", "PerformanceLevel"}
PASSWORD_SPECIALS = set("()`~!@#$%^&*-_+=|{}[]:;'\u2032<>,.?/")


def _password_ok(v, windows):
    if not 8 <= len(v) <= 30:
        return False
    for c in v:
        if not ((c.isascii() and c.isalnum()) or c in PASSWORD_SPECIALS):
            return False
    return not (windows and v.startswith("/"))


def _hostname_ok(v, windows):
    if v[:1] in (".", "-") or v[-1:] in (".", "-"):
        return False
    if ".." in v or "--" in v:
        return False
    limit = 16 if bug("win-hostname-16") else 15
    if windows:
        return (2 <= len(v) <= limit and re.match(r"^[A-Za-z0-9-]+$", v) is not None
                and not v.isdigit())
    return 2 <= len(v) <= 64 and re.match(r"^[A-Za-z0-9.-]+$", v) is not None


def _tags(p):
    """Tag.N.Key / Tag.N.Value (and the deprecated Tag.N.key / Tag.N.value)."""
    bad = ("aliyun", "acs:", "http://", "https://")
    for n, members in sorted(indexed(p, "Tag").items()):
        if not 1 <= n <= 20:
            raise invalid("Tag.%d" % n)
        for member, v in members.items():
            name = "Tag.%d.%s" % (n, member)
            if member in ("Key", "key"):
                if not 1 <= len(v) <= 64 or v.startswith(bad):
                    raise invalid(name, "InvalidTagKey.Malformed")
            elif member in ("Value", "value"):
                if len(v) > 128 or v.startswith(bad):
                    raise invalid(name, "InvalidTagValue.Malformed")


def _data_disks(p):
    disks = indexed(p, "DataDisk")
    out = []
    for n, m in sorted(disks.items()):
        if n < 1:
            raise invalid("DataDisk.%d" % n)
        if n > 16:
            raise ApiError(400, "InstanceDiskNumber.LimitExceed",
                           "The total number of specified disk in an instance exceeds.")
        pre = "DataDisk.%d." % n
        q = {k: v for k, v in m.items() if k in DATA_MEMBERS}
        keyed = {pre + k: v for k, v in q.items()}
        cat = check_enum(keyed, pre + "Category", DISK_CATEGORIES,
                         "InvalidDataDiskCategory.ValueNotSupported",
                         nocase=bug("category-nocase")) or "cloud"
        size = as_int(keyed, pre + "Size", "InvalidDataDiskSize.ValueNotSupported")
        lo, hi = DATA_SIZE[cat]
        if cat == "cloud" and bug("cloud-size-2048"):
            hi = 2048
        if size is not None and not lo <= size <= hi:
            raise ApiError(400, "InvalidDataDiskSize.ValueNotSupported",
                           "The specified DataDisk.N.Size beyond the permitted range, or the "
                           "capacity of snapshot exceeds the size limit of the specified disk "
                           "category.")
        as_bool(keyed, pre + "DeleteWithInstance")
        as_bool(keyed, pre + "Encrypted")
        if "Description" in q and not description_ok(q["Description"]):
            raise invalid(pre + "Description", "InvalidDiskDescription.Malformed")
        if "DiskName" in q and not name_ok(q["DiskName"]):
            raise invalid(pre + "DiskName", "InvalidDiskName.Malformed")
        check_enum(keyed, pre + "PerformanceLevel", PERF_LEVELS)
        if "PerformanceLevel" in q and cat != "cloud_essd":
            raise ApiError(400, "InvalidParameter.Conflict", "DataDisk.%d.PerformanceLevel is only "
                           "for a cloud_essd data disk." % n)
        out.append({"n": n, "category": cat, "size": size, "snapshot": q.get("SnapshotId"),
                    "device": q.get("Device")})
    devices = [d["device"] for d in out if d["device"] is not None]
    if len(devices) != len(set(devices)):
        raise ApiError(403, "InvalidDevice.InUse", "The specified device has been occupied.")
    return out


def _formats(p):
    """Every single-parameter check, in the doc's order."""
    for name in ("ImageId", "InstanceType", "RegionId"):
        if not p.get(name):
            raise missing(name)
    auto_renew = as_bool(p, "AutoRenew")
    arp = as_int(p, "AutoRenewPeriod", "InvalidAutoRenewPeriod.ValueNotSupported")
    unit = check_enum(p, "PeriodUnit", ["Week", "Month"],
                      "InvalidPeriodUnit.ValueNotSupported") or "Month"
    if arp is not None and unit == "Month" and arp not in AUTO_RENEW_MONTH:
        raise ApiError(400, "InvalidAutoRenewPeriod.ValueNotSupported",
                       "The specified autoRenewPeriod is not valid.")
    if auto_renew and arp is None:
        raise missing("AutoRenewPeriod")
    ascii_token(p, "ClientToken")
    check_enum(p, "CreditSpecification", ["Standard", "Unlimited"],
               "InvalidParameter.CreditSpecification")
    as_bool(p, "DeletionProtection")
    check_enum(p, "SystemDisk.PerformanceLevel", PERF_LEVELS)
    check_enum(p, "Affinity", ["default", "host"])
    check_enum(p, "Tenancy", ["default", "host"])
    if "Description" in p and not description_ok(p["Description"]):
        raise invalid("Description", "InvalidDescription.Malformed")
    as_bool(p, "DryRun")
    charge = check_enum(p, "InstanceChargeType", ["PrePaid", "PostPaid"],
                        "InvalidInstanceChargeType.NotFound", 404,
                        nocase=bug("category-nocase")) or "PostPaid"
    if "InstanceName" in p and not name_ok(p["InstanceName"]):
        raise invalid("InstanceName", "InvalidInstanceName.Malformed")
    check_enum(p, "InternetChargeType", ["PayByTraffic"],
               "InvalidInternetChargeType.ValueNotSupported")
    bw_in = as_int(p, "InternetMaxBandwidthIn", "InvalidParameter.Bandwidth")
    if bw_in is not None and not 1 <= bw_in <= 200:
        raise invalid("InternetMaxBandwidthIn", "InvalidParameter.Bandwidth")
    bw_out = as_int(p, "InternetMaxBandwidthOut", "InvalidParameter.Bandwidth")
    if bw_out is not None and not 0 <= bw_out <= (101 if bug("bandwidth-out-101") else 100):
        raise invalid("InternetMaxBandwidthOut", "InvalidParameter.Bandwidth")
    check_enum(p, "IoOptimized", ["none", "optimized"])
    inherit = as_bool(p, "PasswordInherit")
    if inherit and "Password" in p and not bug("no-passwordinherit"):
        code = "InvalidPasswordParam.MisMatch" if bug("misspelt-mismatch") else \
            "InvalidPasswordParam.Mismatch"
        raise ApiError(400, code, "The input password should be null when passwdInherit is true.")
    period = as_int(p, "Period", "InvalidPeriod")
    if charge == "PrePaid" and period is None:
        raise missing("Period")
    if period is not None:
        allowed = set(PERIOD_MONTH)
        if bug("period-48-dropped"):
            allowed.discard(48)
        if unit == "Month" and period not in allowed:
            raise ApiError(400, "InvalidPeriod", "The specified period is not valid.")
    if "PrivateIpAddress" in p:
        try:
            ipaddress.IPv4Address(p["PrivateIpAddress"])
        except ValueError:
            raise ApiError(400, "InvalidPrivateIpAddress.Malformed",
                           "Specified private IP address is malformed.")
    if "InnerIpAddress" in p:
        try:
            ipaddress.IPv4Address(p["InnerIpAddress"])
        except ValueError:
            raise invalid("InnerIpAddress")
    check_enum(p, "SecurityEnhancementStrategy", ["Active", "Deactive"])
    check_enum(p, "SpotInterruptionBehavior", ["Terminate"], "InvalidSpotInterruptionBehavior")
    as_float(p, "SpotPriceLimit")
    check_enum(p, "SpotStrategy", ["NoSpot", "SpotWithPriceLimit", "SpotAsPriceGo"])
    check_enum(p, "SystemDisk.Category", DISK_CATEGORIES,
               "InvalidSystemDiskCategory.ValueNotSupported", nocase=bug("category-nocase"))
    if "SystemDisk.Description" in p and not description_ok(p["SystemDisk.Description"]):
        raise invalid("SystemDisk.Description", "InvalidDiskDescription.Malformed")
    if "SystemDisk.DiskName" in p and not name_ok(p["SystemDisk.DiskName"]):
        raise invalid("SystemDisk.DiskName", "InvalidDiskName.Malformed")
    sys_size = as_int(p, "SystemDisk.Size", "InvalidSystemDiskSize.ValueNotSupported")
    if sys_size is not None and not 20 <= sys_size <= 500:
        raise invalid("SystemDisk.Size", "InvalidSystemDiskSize.ValueNotSupported")
    _tags(p)
    as_bool(p, "UseAdditionalService")
    if "UserData" in p:
        try:
            raw = base64.b64decode(p["UserData"], validate=True)
        except (binascii.Error, ValueError):
            raise invalid("UserData", "InvalidUserData.Malformed")
        if len(p["UserData"]) > 16 * 1024:
            raise invalid("UserData", "InvalidUserData.SizeExceeded")
        if bug("userdata-500") and len(raw) > 4096:
            raise ApiError(500, "InternalError", "The request processing has failed due to "
                           "some unknown error, exception or failure.")
    return _data_disks(p)


def _lookup(store, region, kind, rid, status, code, message):
    attrs = store.resource("ecs", region, kind, rid)
    if attrs is None:
        raise ApiError(status, code, message)
    return attrs


def _references(store, p, disks):
    """Resources named by the request must exist in the region; returns the looked-up attrs."""
    region = p["RegionId"]
    r = {"image": _lookup(store, region, "Image", p["ImageId"], 404, "InvalidImageId.NotFound",
                          "The specified ImageId does not exist.")}
    if r["image"].get("status", "Available") != "Available":
        raise ApiError(403, "OperationDenied", "The specified Image is disabled or is deleted.")
    r["type"] = _lookup(store, region, "InstanceType", p["InstanceType"], 400,
                        "InvalidInstanceType.ValueNotSupported",
                        "The specified InstanceType does not exist or beyond the permitted range.")
    checks = [
        ("ZoneId", "Zone", 404, "InvalidZoneId.NotFound", "The specified zone does not exist."),
        ("VSwitchId", "VSwitch", 404, "InvalidVSwitchId.NotFound",
         "Specified virtual switch does not exist."),
        ("SecurityGroupId", "SecurityGroup", 404, "InvalidSecurityGroupId.NotFound",
         "The specified SecurityGroupId does not exist."),
        ("KeyPairName", "KeyPair", 404, "InvalidKeyPairName.NotFound",
         'The specified parameter "KeyPairName" does not exist in our records.'),
        ("DedicatedHostId", "DedicatedHost", 400, "InvalidDedicatedHostId.NotFound",
         "The specified DedicatedHostId does not exist."),
        ("ClusterId", "Cluster", 404, "InvalidClusterId.NotFound",
         "The ClusterId provided does not exist in our records."),
        ("HpcClusterId", "HpcCluster", 400, "InvalidHpcClusterId.NotFound",
         "The specified HpcClusterId is not found."),
        ("DeploymentSetId", "DeploymentSet", 404, "DeploymentSet.NotFound",
         "The specified deployment set does not exist."),
    ]
    for name, kind, status, code, message in checks:
        if name in p:
            r[name] = _lookup(store, region, kind, p[name], status, code, message)
    for d in disks:
        if d["snapshot"] is None:
            continue
        snap = _lookup(store, region, "Snapshot", d["snapshot"], 404, "InvalidSnapshotId.NotFound",
                       "The specified snapshot does not exist.")
        if snap.get("created", "9999") <= "2013-07-15":
            raise ApiError(400, "InvalidSnapshotId.BasedSnapshotTooOld",
                           "The specified snapshot is created before 2013-07-15.")
        if snap.get("status", "accomplished") != "accomplished":
            raise ApiError(403, "InvalidSnapshotId.NotReady",
                           "The specified snapshot has not completed yet.")
        d["snapshot_size"] = snap.get("size_gib", 0)
    return r


def _cross(p, r, disks):
    """Rules between parameters, and between parameters and the resources they name."""
    image, itype = r["image"], r["type"]
    windows = image.get("os") == "windows"
    memory = itype.get("memory_mib", 0)
    if memory == 512 and image.get("os_version") != "Windows Server 1709":
        raise ApiError(400, "InvalidParameter.Conflict",
                       "Only the Windows Server 1709 image can be used with 512 MiB of memory.")
    if memory >= 4096 and image.get("arch") == "i386":
        raise ApiError(400, "InvalidParameter.Conflict",
                       "A 32-bit image cannot be used with 4 GiB of memory or more.")
    if "HostName" in p and not _hostname_ok(p["HostName"], windows):
        raise invalid("HostName", "InvalidHostName.Malformed")
    if "Password" in p and not _password_ok(p["Password"], windows):
        raise invalid("Password", "InvalidPassword.Malformed")
    phased_out = bool(itype.get("phased_out"))
    optimized = p.get("IoOptimized", "none" if phased_out else "optimized") == "optimized"
    vpc = "VSwitchId" in p
    if "PrivateIpAddress" in p and not vpc:
        raise missing("VSwitchId")
    sg = r.get("SecurityGroupId")
    if sg is not None and sg.get("vpc_id") and not vpc:
        raise missing("VSwitchId")
    if vpc:
        vsw = r["VSwitchId"]
        if "ZoneId" in p and vsw.get("zone_id") != p["ZoneId"]:
            raise ApiError(400, "InvalidParameter.Mismatch",
                           "Specified virtual switch is not in the specified zone.")
        if sg is not None and sg.get("vpc_id") != vsw.get("vpc_id"):
            raise ApiError(400, "InvalidParameter.Mismatch",
                           "Specified security group and virtual switch are not in the same VPC.")
        if "PrivateIpAddress" in p and vsw.get("cidr"):
            net = ipaddress.IPv4Network(vsw["cidr"], strict=False)
            if ipaddress.IPv4Address(p["PrivateIpAddress"]) not in net:
                raise ApiError(400, "InvalidPrivateIpAddress", "Specified private IP address is "
                               "not in the CIDR block of virtual switch.")
    # Without VSwitchId an instance is not necessarily classic (the default VPC rows), so
    # InvalidNetworkType.NotSupported and ...ClassicNetworkNotSupport are not raised.
    if "KeyPairName" in p and not optimized and not windows:
        raise ApiError(400, "InvalidInstanceType.ValueNotSupported",
                       'The specified parameter "KeyPairName" only support IoOptimized Instance.')
    if "UserData" in p and not vpc and not optimized:
        raise ApiError(400, "InvalidUserData.NotSupported", 'The specified parameter "UserData" '
                       "only support the vpc and IoOptimized Instance.")
    _disks_cross(p, image, optimized, disks)
    if "SpotInterruptionBehavior" in p and (
            any(d["category"] == "ephemeral_ssd" for d in disks)
            or p.get("SystemDisk.Category") == "ephemeral_ssd"):
        raise ApiError(403, "InvalidSpotInterruptionBehavior.LocalDiskNotSupport",
                       "The specified SpotInterruptionBehavior does not support local disk "
                       "instance.")


def _disks_cross(p, image, optimized, disks):
    sys_cat = p.get("SystemDisk.Category")
    if sys_cat is not None and bug("category-nocase"):
        sys_cat = next(c for c in DISK_CATEGORIES if c.lower() == sys_cat.lower())
    if sys_cat is not None and optimized and sys_cat not in ("cloud_efficiency", "cloud_ssd"):
        raise ApiError(403, "InvalidDiskCategory.NotSupported",
                       "The specified disk category is not support the specified instance type.")
    sys_cat = sys_cat or ("cloud_efficiency" if optimized else "cloud")
    if "SystemDisk.Size" in p:
        size = int(p["SystemDisk.Size"])
        if size < max(20, image.get("size_gib", 0)):
            status = 403 if bug("lessthanimage-403") else 404
            raise ApiError(status, "InvalidSystemDiskSize.LessThanImageSize",
                           "The specified parameter SystemDisk.Size is less than the image size.")
    local_total = 0
    for d in disks:
        if d["category"] == "ephemeral_ssd":
            if sys_cat != "ephemeral_ssd":
                raise ApiError(400, "InvalidDiskCategory.Mismatch",
                               "The specified disk categories' combination is not supported.")
            # Line 150: with a snapshot the size is ignored; the disk has the snapshot's.
            local_total += d["snapshot_size"] if d.get("snapshot_size") is not None else (d["size"] or 0)
        snap = d.get("snapshot_size")
        if snap is not None:
            if snap > DATA_SIZE[d["category"]][1]:
                raise ApiError(400, "InvalidDataDiskSize.ValueNotSupported",
                               "The capacity of snapshot exceeds the size limit of the specified "
                               "disk category.")
            if d["size"] is not None and d["size"] < snap:
                raise ApiError(403, "InvalidDiskSize.TooSmall",
                               "Specified disk size is less than the size of snapshot")
    if local_total > (2048 if bug("local-ssd-total") else 1024):
        raise ApiError(400, "InstanceDiskCategoryLimitExceed",
                       "The total capacity of local SSDs exceeds 1,024 GiB.")


def create_instance(store, p):
    disks = _formats(p)
    refs = _references(store, p, disks)
    _cross(p, refs, disks)
    if as_bool(p, "DryRun"):
        raise ApiError(400, "DryRunOperation",
                       "Request validation has been passed with DryRun flag set.")
    token = p.get("ClientToken")
    key = ("ecs.CreateInstance", p["RegionId"], token)
    with store.lock:
        if token is not None and not bug("ecs-token-ignored"):
            seen = store.tokens.get(key)
            if seen is not None:
                if seen[0] != request_signature(p):
                    raise ApiError(400, "IdempotentParameterMismatch",
                                   "The request uses the same client token as a previous, but "
                                   "non-identical request.")
                return {"InstanceId": seen[1]}
        instance_id = short_id("i-")
        store.instances[instance_id] = dict(p)
        if token is not None:
            store.tokens[key] = (request_signature(p), instance_id)
    return {"InstanceId": instance_id}
