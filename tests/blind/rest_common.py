"""Shared by the blind REST server's modules (tests/blind/rest.py): the bug switches,
the error type, JSON type tests and the in-memory state."""

import threading


BUGS = {
    "bc-name-digit-start", "bc-desired-vm-zero", "bc-userdata-65", "bc-quota-400",
    "bc-misspelt-image-code", "bc-idempotency-ignored", "bc-success-200", "bc-cidr-unchecked",
    "dcs-name-65", "dcs-password-two-kinds", "dcs-engine-any-case", "dcs-cluster-capacity",
    "dcs-maintain-unpaired", "dcs-save-days-500", "dcs-no-instances", "dcs-backup-at-zero",
    "bc-userdata-value-1025", "bc-cluster-quota-51", "bc-group-quota-11", "bc-vm-quota-1001",
    "dcs-save-days-8", "dcs-period-type-any", "dcs-timezone-12-30", "dcs-description-1025",
}

ACTIVE = set()


def bug(name):
    return name in ACTIVE


class ApiError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def is_num(v):
    return (isinstance(v, (int, float))) and not isinstance(v, bool)


def present(obj, key):
    return key in obj and obj[key] is not None


# ----------------------------------------------------------------------------------------
# State

class State:
    def __init__(self, fixtures):
        self.fixtures = fixtures
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        images, types, quotas = set(), set(), {}
        for r in self.fixtures.get("resources", []):
            if r.get("service") != "batchcompute":
                continue
            if r.get("type") == "Image":
                images.add(r["id"])
            elif r.get("type") == "InstanceType":
                types.add(r["id"])
        for q in self.fixtures.get("quotas", []):
            if q.get("service") == "batchcompute":
                quotas[q["name"]] = q["value"]
        self.bc_images = images
        self.bc_types = types
        self.bc_quotas = quotas
        self.clusters = {}          # id -> body
        self.tokens = {}            # IdempotentToken -> (canonical body, id)
        self.dcs_instances = {}


STATE = None  # set by rest.py main()


