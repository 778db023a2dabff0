"""ecs.CreateDeploymentSet and ros.CreateStackInstances of the blind aliyun-rpc server (see
aliyun_rpc.py), from apidocs/aliyun-ecs-CreateDeploymentSet.md and
apidocs/aliyun-ros-CreateStackInstances.md only."""
import json
import re
import uuid

from aliyun_rpc_common import (ApiError, as_bool, as_int, ascii_token, bug, check_enum,
                               description_ok, indexed, invalid, missing, name_ok,
                               request_signature, short_id)


def create_deployment_set(store, p):
    if not p.get("RegionId"):
        raise missing("RegionId")
    ascii_token(p, "ClientToken")
    if "DeploymentSetName" in p and not name_ok(p["DeploymentSetName"]):
        raise invalid("DeploymentSetName", "InvalidDeploymentSetName.Malformed")
    if "Description" in p:
        lo = 1 if bug("ds-desc-1") else 2
        if not description_ok(p["Description"], lo):
            raise ApiError(400, "InvalidDescription.Malformed",
                           "The specified parameter Description is not valid.")
    check_enum(p, "OnUnableToRedeployFailedInstance", ["CancelMembershipAndStart", "KeepStopped"])
    token = p.get("ClientToken")
    key = ("ecs.CreateDeploymentSet", p["RegionId"], token)
    with store.lock:
        if token is not None:
            seen = store.tokens.get(key)
            if seen is not None:
                if seen[0] != request_signature(p):
                    raise ApiError(400, "IdempotentParameterMismatch",
                                   "The request uses the same client token as a previous, but "
                                   "non-identical request.")
                return {"DeploymentSetId": seen[1]}
        ds = short_id("ds-")
        store.add("ecs", p["RegionId"], "DeploymentSet", ds, {})
        if token is not None:
            store.tokens[key] = (request_signature(p), ds)
    return {"DeploymentSetId": ds}


STACK_GROUP_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$")
ROS_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
PREFERENCES = {"FailureToleranceCount": (0, 20), "FailureTolerancePercentage": (0, 100),
               "MaxConcurrentCount": (1, 20), "MaxConcurrentPercentage": (1, 100)}


def _json_list(p, name):
    """A Json parameter holding one or more (at most 20) account or region IDs."""
    try:
        v = json.loads(p[name])
    except ValueError:
        raise invalid(name)
    if not isinstance(v, list) or not 1 <= len(v) <= 20:
        raise invalid(name)
    out = []
    for x in v:
        if not isinstance(x, str) or x == "":
            raise invalid(name)
        out.append(str(x))
    return out


def _preferences(p):
    if "OperationPreferences" not in p:
        return
    try:
        v = json.loads(p["OperationPreferences"])
    except ValueError:
        raise invalid("OperationPreferences")
    if not isinstance(v, dict):
        raise invalid("OperationPreferences")
    for k, (lo, hi) in PREFERENCES.items():
        if k not in v:
            continue
        x = v[k]
        if isinstance(x, bool) or not isinstance(x, int) or not lo <= x <= hi:
            raise invalid("OperationPreferences." + k)
    if "FailureToleranceCount" in v and "FailureTolerancePercentage" in v \
            and not bug("tolerance-both"):
        raise invalid("OperationPreferences")
    if "MaxConcurrentCount" in v and "MaxConcurrentPercentage" in v:
        raise invalid("OperationPreferences")


def create_stack_instances(store, p):
    for name in ("AccountIds", "RegionId", "RegionIds", "StackGroupName"):
        if not p.get(name):
            raise missing(name)
    accounts = _json_list(p, "AccountIds")
    regions = _json_list(p, "RegionIds")
    overrides = indexed(p, "ParameterOverrides")
    for n, m in sorted(overrides.items()):
        if not 1 <= n <= 200:
            raise invalid("ParameterOverrides.%d" % n)
        for member in ("ParameterKey", "ParameterValue"):
            if member not in m:
                raise missing("ParameterOverrides.%d.%s" % (n, member))
    if not STACK_GROUP_RE.match(p["StackGroupName"]):
        raise invalid("StackGroupName")
    if "ClientToken" in p and not ROS_TOKEN_RE.match(p["ClientToken"]):
        raise invalid("ClientToken")
    if "OperationDescription" in p and not 1 <= len(p["OperationDescription"]) <= 256:
        raise invalid("OperationDescription")
    _preferences(p)
    as_int(p, "TimeoutInMinutes", bits=64)
    as_bool(p, "DisableRollback")
    group = (p["RegionId"], p["StackGroupName"])
    token = p.get("ClientToken")
    key = ("ros.CreateStackInstances", p["RegionId"], token)
    with store.lock:
        if token is not None:
            seen = store.tokens.get(key)
            if seen is not None:
                if seen[0] != request_signature(p):
                    raise ApiError(400, "IdempotentParameterMismatch",
                                   "The request uses the same client token as a previous, but "
                                   "non-identical request.")
                return {"OperationId": seen[1]}
        wanted = [(group, a, r) for a in accounts for r in regions]
        if not bug("stack-dup-accepted"):
            for w in wanted:
                if w in store.stack_instances:
                    raise ApiError(409, "StackInstanceExists",
                                   "The StackInstance (%s/%s) already exists." % (w[1], w[2]))
        store.stack_instances.update(wanted)
        op = str(uuid.uuid4())
        if token is not None:
            store.tokens[key] = (request_signature(p), op)
    if bug("no-operationid"):
        return {}
    return {"OperationId": op}
