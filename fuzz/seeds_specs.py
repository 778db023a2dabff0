#!/usr/bin/env python3
"""Seeds of fuzz_spec_loader (run by fuzz/seeds.py): small specs cut from specs/,
one per rule kind of each operation (two rules of the kind, the parameters they
name and the error rows tied to them), each operation's overlay cut into a few
small pieces with the part of the spec they need, and broken variants. Every
cut spec loads and validates (the round trip is what the target checks); the
broken ones fail at the place their name says.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seeds import SPECS, Corpus, cut, read  # noqa: E402


def strings_in(x):
    if isinstance(x, str):
        yield x
    elif isinstance(x, dict):
        for v in x.values():
            yield from strings_in(v)
    elif isinstance(x, list):
        for v in x:
            yield from strings_in(v)


def shortened(x, keys=("description", "message", "quote", "note", "reason", "notes", "text")):
    """x with its free-text fields cut to 80 characters: the loader reads them as they are."""
    if isinstance(x, dict):
        return {k: (v[:80] if k in keys and isinstance(v, str) else shortened(v)) for k, v in x.items()}
    if isinstance(x, list):
        return [shortened(v) for v in x]
    return x


def named(word, param):
    """Whether a rule's word names param: the param itself, a member under it, or its family (DataDisk.N)."""
    return word == param or word.startswith(param + ".") or param.startswith(word + ".")


def spec_subset(spec, rules, with_extras=False, codes=()):
    """spec cut to `rules`, the params they name (or sit under) and the errors tied to them."""
    words = set(strings_in(rules))
    names = {p["name"] for p in spec["params"] if any(named(w, p["name"]) for w in words)}
    ids = {r["id"] for r in rules}
    out = {k: v for k, v in spec.items() if k not in ("params", "rules", "errors", "examples", "response", "unparsed", "ambiguous")}
    out["params"] = [p for p in spec["params"] if p["name"] in names]
    out["rules"] = rules
    # Error rows tied to these rules (links to rules left out dropped), and those of `codes`.
    errors = [dict(e, rules=[r for r in e.get("rules", []) if r in ids]) for e in spec.get("errors", [])]
    out["errors"] = [e for e in errors if e["rules"]][:3] + [e for e in errors if e["code"] in codes and not e["rules"]]
    if with_extras:
        for k in ("examples", "response", "unparsed", "ambiguous"):
            if k in spec:
                out[k] = spec[k][:2]
    return out


def overlay_subset(spec, overlay, n):
    """The overlay cut to its n-th entry of each list (rules, errors, params, ambiguous), an error's
    rules cut to two, and the spec part they need: one entry a piece keeps the seeds near 2 KB, since
    the largest seed sets how far libFuzzer lets inputs grow and the loader's cost grows with it."""
    o = {k: v for k, v in overlay.items() if not isinstance(v, (list, dict))}
    rules = overlay.get("rules", [])[n:n + 1]
    ids = {r["id"] for r in rules}
    o["rules"] = rules
    errors = [e for e in overlay.get("errors", []) if set(e.get("rules", [])) <= ids | {r["id"] for r in spec["rules"]}]
    o["errors"] = [dict(e, rules=e["rules"][:2]) if "rules" in e else e for e in errors[n:n + 1]]
    for k in ("params", "add_params", "remove_rules", "ambiguous"):
        v = overlay.get(k)
        if isinstance(v, list):
            o[k] = v[n:n + 1]
        elif isinstance(v, dict):
            o[k] = dict(list(v.items())[n:n + 1])
    codes = {e["code"] for e in o["errors"]}
    tied = [r for r in spec["rules"] if r["id"] in set(strings_in(o["errors"])) | set(o.get("remove_rules", []))]
    base = spec_subset(spec, tied, codes=codes)
    # The overlay's own rules and params name spec params: keep those in the spec part.
    words = set(strings_in(rules)) | set(o.get("params", {}) if isinstance(o.get("params"), dict) else [])
    base["params"] += [p for p in spec["params"] if p not in base["params"] and any(named(w, p["name"]) for w in words)]
    return base, o


def spec_seeds():
    c = Corpus("fuzz_spec_loader")
    sep = b"\n---overlay---\n"
    # Compact JSON but for minimal.json (spec files are indented; the loader does not care,
    # and a mutation of indentation finds nothing).
    dump = lambda x: json.dumps(shortened(x), separators=(",", ":")).encode() + b"\n"
    small = None
    for service in sorted(os.listdir(SPECS)):
        for f in sorted(os.listdir(os.path.join(SPECS, service))):
            if not f.endswith(".json") or f.endswith(".overlay.json"):
                continue
            spec = json.loads(read(os.path.join(SPECS, service, f)))
            stem = f"{service}-{f[:-5]}"
            # One small spec per rule kind (two rules of it at most), so every kind's
            # reading and round trip is seeded without a 40 KB file.
            kinds = {}
            for r in spec["rules"]:
                kinds.setdefault(r["kind"], []).append(r)
            for n, (kind, rules) in enumerate(sorted(kinds.items())):
                c.add(f"{stem}--{kind}.json", cut(dump(spec_subset(spec, rules[:2], with_extras=n == 0)))[0])
            overlay_path = os.path.join(SPECS, service, f[:-5] + ".overlay.json")
            if os.path.exists(overlay_path):
                overlay = json.loads(read(overlay_path))
                for n in range(5):
                    base, o = overlay_subset(spec, overlay, n)
                    c.add(f"{stem}+overlay-{n}.json", dump(base) + sep + dump(o))
            if small is None or len(spec["params"]) < len(small["params"]):
                small = spec
    # One rule of each of three kinds; minimal.json indented (a spec file's layout), the rest compact.
    firsts = {}
    for r in small["rules"]:
        if r["kind"] in ("required", "length", "enum"):
            firsts.setdefault(r["kind"], r)
    base = spec_subset(small, list(firsts.values()))
    c.add("minimal.json", json.dumps(shortened(base), indent=1).encode() + b"\n")
    c.add("broken--truncated.json", dump(base)[: len(dump(base)) // 2])
    wrong = json.loads(json.dumps(base))
    wrong["params"][0]["type"] = 7
    c.add("broken--wrong-type.json", dump(wrong))
    unknown = json.loads(json.dumps(base))
    unknown["params"][0]["colour"] = "blue"
    c.add("broken--unknown-key.json", dump(unknown))
    dangling = json.loads(json.dumps(base))
    dangling["rules"].append({"id": "Nope.length", "kind": "length", "params": ["Nope"], "min": 9, "max": 1})
    c.add("broken--dangling-rule.json", dump(dangling))
    overlay = {"conform_overlay": 1, "rules": [{"id": "X.range", "kind": "range", "params": [base["params"][0]["name"]],
               "min": 1, "max": 10, "expect": {"status": 400, "codes": ["InvalidX"], "confidence": "inferred"},
               "source": {"line": 3, "quote": "between 1 and 10"}}],
               "add_params": [{"name": "Extra", "in": "query", "type": "Integer", "required": False}],
               "remove_rules": ["nope"]}
    c.add("minimal+overlay.json", dump(base) + sep + dump(overlay))
    c.add("minimal+broken-overlay.json", dump(base) + sep + b'{"conform_overlay": 1, "rules": [{"id": 3}]')
    c.add("empty-object.json", b"{}")
    c.add("not-json.json", b"conform_spec: 1\n")
