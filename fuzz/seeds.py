#!/usr/bin/env python3
"""Regenerates the fuzz seed corpora and dictionaries from apidocs/ and specs/.

    python3 fuzz/seeds.py            # rewrites corpus/fuzz/<target>/seed-* and <target>.dict
    python3 fuzz/seeds.py --conform build/conform   # also the differential seeds (conform gen)

Seeds are small and focused (at most MAX_SEED bytes): each section of a doc, its
tables a few rows at a time under the doc's title and the section heading, a
"mini" doc per operation (every section, two rows of each table) so that what ties
sections together is seeded too, and broken variants (truncated, CRLF, missing
separator rows, wrong types). fuzz_spec_loader's seeds are cut from specs/ by
seeds_specs.py. Files under corpus/fuzz/<target>/ other than seed-* (libFuzzer's
own finds, kept by hand, and regressions/) are left alone. Deterministic: same inputs, same files.
"""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = os.path.join(ROOT, "apidocs")
SPECS = os.path.join(ROOT, "specs")
OUT = os.path.join(ROOT, "corpus", "fuzz")

# apidocs/operations.json order: fuzz_import_analyze's first byte picks the op.
OPS = json.load(open(os.path.join(DOCS, "operations.json")))["operations"]
OP_INDEX = {o["doc"]: i for i, o in enumerate(OPS)}


def read(path):
    with open(path, "rb") as f:
        return f.read()


def doc(name):
    return read(os.path.join(DOCS, name))


def sections(text, heading=b"## "):
    """Splits a markdown doc at its level-2 headings; the title line goes first in each."""
    lines = text.split(b"\n")
    title = lines[0]
    out, cur = [], []
    for line in lines[1:]:
        if line.startswith(heading) and cur:
            out.append(cur)
            cur = []
        cur.append(line)
    if cur:
        out.append(cur)
    return [(s[0], title + b"\n\n" + b"\n".join(s)) for s in out if s[0].startswith(heading)]


def slug(heading):
    h = re.sub(rb"\{.*?\}|<.*?>", b"", heading[3:]).strip().lower()
    return re.sub(rb"[^a-z0-9]+", b"-", h).decode().strip("-")


def first_table(text, rows):
    """The first markdown table of text, cut to its header, separator and `rows` rows."""
    lines = text.split(b"\n")
    for i, line in enumerate(lines):
        if line.startswith(b"|") and i + 1 < len(lines) and lines[i + 1].startswith(b"|--"):
            body, n = [], 0
            for row in lines[i + 2:]:
                if row.startswith(b"|") and not row.startswith(b"|--"):
                    n += 1
                    if n > rows:
                        break
                body.append(row)
            return b"\n".join(lines[i:i + 2] + body) + b"\n"
    return b""


def html_tables(text):
    """Each <table>...</table> of text with the heading and caption line before it."""
    out = []
    for m in re.finditer(rb"<table>.*?</table>", text, re.S):
        before = text[:m.start()].split(b"\n")
        head = [l for l in before if l.startswith(b"## ")]
        cap = [l for l in before[-4:] if l.strip()]
        out.append((head[-1] if head else b"## Table") + b"\n\n" + b"\n".join(cap[-1:]) + b"\n" + m.group(0) + b"\n")
    return out


class Corpus:
    def __init__(self, target):
        self.dir = os.path.join(OUT, target)
        os.makedirs(self.dir, exist_ok=True)
        for f in os.listdir(self.dir):
            if f.startswith("seed-"):
                os.remove(os.path.join(self.dir, f))
        self.names = set()

    def add(self, name, data):
        assert name not in self.names, name
        self.names.add(name)
        with open(os.path.join(self.dir, "seed-" + name), "wb") as f:
            f.write(data)


def broken_markdown(text):
    """Broken variants of one markdown doc: truncated mid-row, separator rows gone, CRLF, BOM."""
    table = first_table(text, 6)
    return {
        "truncated-mid-row": text[: text.find(b"\n|", len(text) // 3) + len(text) // 40],
        "no-separator-rows": re.sub(rb"\n\|[-| :]+\|\n", b"\n", text),
        "crlf": text.replace(b"\n", b"\r\n"),
        "bom-tabs": b"\xef\xbb\xbf" + text[:4000].replace(b"|", b"\t|"),
        "table-only": table,
        "table-ragged": b"\n".join(l + (b"|x|y" if i % 2 else b"") for i, l in enumerate(table.split(b"\n"))),
        "table-escaped-pipes": table.replace(b"|", b"\\|", 7),
        "table-one-column": b"|Name|\n|---|\n|RegionId|\n|ImageId|\n",
        "table-header-only": b"## Request parameters\n\n|Name|Type|Required|Example|Description|\n|----|----|--------|-------|-----------|\n",
    }


# Seeds are kept small (MAX_SEED bytes at most): a fuzzer mutates one seed at a
# time and runs the whole input through the target, so a 40 KB doc runs 20-40
# times slower than one table of it and gives no more coverage than its pieces
# (fuzz/README: seed corpora). Whole docs are cut at their sections, and tables at
# every few rows, each piece under the doc's title and the section's heading.
MAX_SEED = 3000
ROWS = 3


def md_rows(table):
    """A markdown table's header + separator, and its rows (a row starts with '|' in column 0)."""
    lines = table.split(b"\n")
    head, rows = lines[:2], []
    for line in lines[2:]:
        if line.startswith(b"|") or not rows:
            rows.append([line])
        else:
            rows[-1].append(line)
    return head, [b"\n".join(r) for r in rows]


def md_pieces(text):
    """(slug, piece) of one markdown doc: each section, tables cut every ROWS rows."""
    title = text.split(b"\n")[0]
    out = []
    for heading, body in sections(text):
        lines = body.split(b"\n")
        starts = [i for i, l in enumerate(lines) if l.startswith(b"|") and i + 1 < len(lines) and lines[i + 1].startswith(b"|-")]
        if not starts:
            out += [(slug(heading), p) for p in cut(body)]
            continue
        prose = b"\n".join(lines[:starts[0]])
        if len(prose.strip()) > len(title) + len(heading) + 4:
            out += [(slug(heading) + "-prose", p) for p in cut(prose + b"\n")]
        for t, i in enumerate(starts):
            end = next((j for j in range(i + 2, len(lines)) if not lines[j].strip() == b"" and not lines[j].startswith((b"|", b" ", b"-")) and lines[j - 1].strip() == b""), len(lines))
            head, rows = md_rows(b"\n".join(lines[i:end]))
            for k in range(0, len(rows), ROWS):
                piece = b"\n".join([title, b"", heading, b""] + head + rows[k:k + ROWS]) + b"\n"
                out += [(f"{slug(heading)}-t{t}-rows-{k}", p) for p in cut(piece)]
    return out


def cut(piece):
    """A piece under MAX_SEED bytes, or its first MAX_SEED bytes cut at a line end."""
    if len(piece) <= MAX_SEED:
        return [piece]
    return [piece[: piece.rfind(b"\n", 0, MAX_SEED) + 1]]


def html_pieces(text, rows_per_piece=ROWS):
    """(slug, piece) of each HTML table: heading, caption, header row and ROWS body rows at a time."""
    out = []
    for n, t in enumerate(html_tables(text)):
        body_at = t.find(b"<tbody>")
        if body_at < 0:
            out += [(f"table-{n}", p) for p in cut(t)]
            continue
        rows = re.findall(rb"<tr.*?</tr>\s*", t[body_at:], re.S)
        for k in range(0, len(rows), rows_per_piece):
            piece = t[: body_at + len(b"<tbody>")] + b"".join(rows[k:k + rows_per_piece]) + b"</tbody></table>\n"
            out += [(f"table-{n}-rows-{k}", p) for p in cut(piece)]
    return out


def mini_doc(text):
    """The whole doc in small: every section, its tables cut to their first two rows and its prose to
    a few lines, so that what ties sections together (error rows naming parameters, examples) is seeded."""
    out = [text.split(b"\n")[0]]
    for heading, body in sections(text):
        if b"<table>" in body:
            out.append(html_pieces(body, 1)[0][1] if html_tables(body) else body[:300])
            continue
        lines = body.split(b"\n")[3:]  # after the title, a blank line and the heading
        starts = [i for i, l in enumerate(lines) if l.startswith(b"|") and i + 1 < len(lines) and lines[i + 1].startswith(b"|-")]
        if starts:
            head, rows = md_rows(b"\n".join(lines[starts[0]:]))
            out += [b"", heading, b""] + head + rows[:2]
        else:
            keep = 1200 if b"|--" in body else 400  # a table this reading missed (a header over several lines)
            prose = b"\n".join(lines)[:keep].split(b"\n")[:-1]
            if b"\n".join(prose).count(b"```") % 2:  # close a code block the cut left open
                prose.append(b"```")
            out += [b"", heading] + prose
    return b"\n".join(out) + b"\n"


def plain_html(text):
    """text without the layout attributes and anchors the doc's HTML tables carry."""
    return re.sub(rb' (?:class|valign|width|id|headers|align)="[^"]*"|<a name="[^"]*"></a>', b"", text)


def markdown_seeds():
    c = Corpus("fuzz_import_markdown")
    for name in ["aliyun-ecs-CreateDeploymentSet.md", "aliyun-ecs-CreateInstance.md",
                 "aliyun-ros-CreateStackInstances.md"]:
        for piece_slug, body in md_pieces(doc(name)):
            c.add(f"{name[:-3]}--{piece_slug}.md", body)
        c.add(f"{name[:-3]}--mini.md", mini_doc(doc(name)))
    c.add("huawei-dcs-CreateInstance--uri.md", cut(sections(doc("huawei-dcs-CreateInstance.md"))[1][1])[0])
    small = doc("aliyun-ecs-CreateDeploymentSet.md")
    for kind, body in broken_markdown(small).items():
        c.add(f"broken--{kind}.md", cut(body)[0])
    c.add("empty.md", b"")
    c.add("title-only.md", b"# CreateThing\n")
    c.add("batchcompute-as-markdown.md", doc("aliyun-batchcompute-CreateCluster.txt")[:3000])


def html_seeds():
    c = Corpus("fuzz_import_html")
    text = doc("huawei-dcs-CreateInstance.md")
    for piece_slug, body in html_pieces(text):
        c.add(f"huawei-dcs-CreateInstance--{piece_slug}.md", body)
    for heading, body in sections(text):
        if b"<table>" not in body:
            c.add(f"huawei-dcs-CreateInstance--{slug(heading)}.md", cut(body)[0])
    # The mini doc without the layout attributes and anchors the doc's tables carry (the
    # pieces keep them): small enough not to set how far inputs grow.
    c.add("huawei-dcs-CreateInstance--mini.md", plain_html(mini_doc(text)))
    tables = html_tables(text)
    req = html_pieces(tables[1])[0][1]
    c.add("broken--truncated-in-tag.md", req[: len(req) // 2 + 17])
    c.add("broken--no-end-tags.md", re.sub(rb"</t[dhr]>|</p>|</tbody>|</thead>", b"", req))
    c.add("broken--crlf-uppercase.md", req.replace(b"\n", b"\r\n").replace(b"<td", b"<TD").replace(b"<tr", b"<TR"))
    c.add("broken--nested-table.md", req.replace(b"<td", b"<td><table><tr><td>in</td></tr></table", 3))
    c.add("broken--spans.md", req.replace(b"<td ", b'<td rowspan="2" colspan="3" ', 5))
    c.add("minimal.md", b"# Op\n\n## Request\n\n<table><tr><th>Parameter</th><th>Type</th><th>Mandatory</th>"
          b"<th>Description</th></tr>\n<tr><td>name</td><td>String</td><td>Yes</td><td>Name &lt;1-64&gt; &amp; "
          b"&#x4e2d;&nbsp;chars.<br>Default: a</td></tr>\n</table>\n")
    # Past the nesting cap (512 counted elements; li is not counted) in few bytes.
    c.add("deep-nesting.md", b"<table><tr><td>" + b"<div><ul><li>" * 260 + b"x</td></tr></table>")
    c.add("empty.md", b"")


def text_seeds():
    c = Corpus("fuzz_import_text")
    text = doc("aliyun-batchcompute-CreateCluster.txt")
    lines = text.split(b"\n")
    marks = [i for i, l in enumerate(lines) if l in (b"Attribute description", b"Error codes", b"Response")]
    pieces = []
    for a, b in zip([0] + marks, marks + [len(lines)]):
        for k in range(a, b, 12):  # an attribute table or the error list, 12 lines at a time
            pieces.append((f"piece-{k}", b"\n".join(lines[a:a + 2] + lines[max(k, a + 2):min(k + 12, b)]) + b"\n"))
    for name, piece in pieces:
        c.add(name + ".txt", piece)
    head = b"\n".join(lines[:marks[1]]) + b"\n"  # the request example, its attribute table
    c.add("broken--truncated.txt", head[: len(head) * 2 // 3])
    c.add("broken--crlf.txt", cut(head.replace(b"\n", b"\r\n"))[0])
    c.add("broken--no-json.txt", cut(re.sub(rb"\{.*\n\}\n", b"", head, flags=re.S))[0])
    c.add("markdown-doc-as-text.txt", cut(doc("aliyun-ecs-CreateDeploymentSet.md"))[0])
    flat = re.sub(rb"[|]", b"", doc("aliyun-ros-CreateStackInstances.md"))
    c.add("flattened-markdown.txt", cut(flat)[0])
    c.add("empty.txt", b"")


def analyze_seeds():
    c = Corpus("fuzz_import_analyze")
    for o in OPS:
        name = o["doc"]
        i = bytes([OP_INDEX[name]])
        text = doc(name)
        if name.startswith("huawei"):
            pieces = html_pieces(text) + [(slug(h), cut(b)[0]) for h, b in sections(text) if b"<table>" not in b]
        elif name.endswith(".md"):
            pieces = md_pieces(text)
        else:
            pieces = [("head", cut(text)[0]), ("errors", cut(text[text.find(b"Error codes"):])[0])]
        for piece_slug, body in pieces:
            c.add(f"{name}--{piece_slug}", i + body)
        if name.endswith(".md"):
            c.add(f"{name}--mini", i + plain_html(mini_doc(text)))
        else:  # the request example and the first attribute rows, and the first error rows
            errors = text.find(b"Error codes")
            attrs = text.find(b"Attribute description")
            c.add(f"{name}--mini", i + b"\n".join(text.split(b"\n")[:3]) + b"\n" +
                  text[attrs: text.rfind(b"\n", 0, attrs + 1200) + 1] + text[errors: text.rfind(b"\n", 0, errors + 1000) + 1])
    # A doc under another op's name: rows the analyzer does not expect.
    c.add("ecs-doc-as-dcs", bytes([OP_INDEX["huawei-dcs-CreateInstance.md"]]) + cut(doc("aliyun-ecs-CreateDeploymentSet.md"))[0])


def case_seeds():
    c = Corpus("fuzz_case_loader")
    lines = [
        {"id": "design-example", "op": "ecs.CreateInstance", "method": "GET", "path": "/",
         "query": {"Action": "CreateInstance", "RegionId": "cn-hangzhou"}, "headers": {}, "body": None,
         "expect": {"status": 400, "code": "MissingParameter"}},
        {"id": "deployment-set", "op": "ecs.CreateDeploymentSet", "method": "POST", "path": "/",
         "query": [["Action", "CreateDeploymentSet"], ["RegionId", "cn-hangzhou"], ["Strategy", "Availability"],
                   ["DeploymentSetName", "ds"], ["ClientToken", "123e4567-e89b-12d3-a456-426655440000"]],
         "headers": {"Content-Type": "application/x-www-form-urlencoded"},
         "expect": {"status": 200}, "target": {"rule": "DeploymentSetName.length", "side": "valid"}},
        {"id": "ros-json-in-query", "op": "ros.CreateStackInstances",
         "query": {"Action": "CreateStackInstances", "RegionId": "cn-hangzhou", "StackGroupName": "MyStackGroup",
                   "AccountIds": "[\"151266687691****\"]", "RegionIds": "[\"cn-hangzhou\",\"cn-beijing\"]",
                   "ParameterOverrides.1.ParameterKey": "Amount", "ParameterOverrides.1.ParameterValue": "12"},
         "expect": {"status": 400, "codes": ["InvalidAccountIds.Malformed", "InvalidParameter"]},
         "target": {"rule": "AccountIds.items", "side": "violating"}},
        {"id": "batchcompute-body", "op": "batchcompute.CreateCluster", "method": "POST", "path": "/clusters",
         "query": {"IdempotentToken": "tok-1"}, "headers": {"Content-Type": "application/json"},
         "body": {"Name": "test-ubuntu", "ImageId": "m-2309yqb5n", "InstanceType": "bcs.a2.large",
                  "Groups": {"group1": {"DesiredVMCount": 3, "ResourceType": "OnDemand", "SpotPriceLimit": 0.0}},
                  "UserData": {"key1": "value1"}}, "expect": {"status": 201}},
        {"id": "dcs-raw-body", "op": "dcs.CreateInstance", "method": "POST",
         "path": "/v1.0/0504201b6c80256b2f08c0099f0c2d05/instances", "headers": {"X-Auth-Token": "t"},
         "raw_body": "{\"name\": \"dcs\", \"engine\": \"Redis\", \"capacity\": 2,", "expect": {"status": 400, "code": "111400063"}},
        {"id": "stateful-idempotency", "steps": [
            {"op": "batchcompute.CreateCluster", "method": "POST", "path": "/clusters",
             "query": {"IdempotentToken": "same"}, "body": {"Name": "a", "ImageId": "m-1", "InstanceType": "t", "Groups": {}}},
            {"op": "batchcompute.CreateCluster", "method": "POST", "path": "/clusters",
             "query": {"IdempotentToken": "same"}, "body": {"Name": "b", "ImageId": "m-1", "InstanceType": "t", "Groups": {}},
             "expect": {"status": 400, "code": "IdempotentTokenMismatch"}}]},
        {"op": "ecs.CreateInstance", "query": [{"name": "DataDisk.1.Size", "value": 40}, {"name": "DryRun", "value": True}],
         "note": "unknown fields are ignored"},
    ]
    enc = lambda x: json.dumps(x, ensure_ascii=False).encode()
    for l in lines:
        c.add((l.get("id") or "no-id") + ".jsonl", enc(l) + b"\n")
    # Several lines in one file (each line is a seed of its own too): a few short ones, since
    # the longest seed sets how long libFuzzer lets inputs grow.
    c.add("several.jsonl", b"\n".join(enc(l) for l in [lines[0], lines[6]]) + b"\n")
    c.add("broken--mixed.jsonl", b"\n".join([enc(lines[0]), b"", b"{\"op\": 3}", b"not json", b"[1,2]",
                                            b"{\"steps\": {}}", b"{\"op\": \"x\", \"query\": [[\"a\"]]}",
                                            b"{\"op\": \"x\", \"expect\": {\"status\": \"400\"}}", b"  \t",
                                            enc(lines[6])]).replace(b"\n", b"\r\n"))
    c.add("broken--truncated.jsonl", enc(lines[3])[:150])
    c.add("unicode.jsonl", enc({"op": "ecs.CreateInstance", "query": {"InstanceName": "\u5b9e\u4f8b\u00e9\U0001F600",
                                "Description": "a\u0000b"}, "body": [None, 1.5e300, -0, "\u2028"]}) + b"\n")


# ---- dictionaries -------------------------------------------------------------

def spec_words():
    """Parameter names, error codes, enum values, types and rule kinds from specs/."""
    names, codes, values, keys = set(), set(), set(), set()

    def walk(x):
        if isinstance(x, dict):
            for k, v in x.items():
                keys.add(k)
                if k == "name" and isinstance(v, str):
                    names.add(v)
                if k in ("code", "codes"):
                    for cd in (v if isinstance(v, list) else [v]):
                        if isinstance(cd, str):
                            codes.add(cd)
                if k in ("values", "equals", "kind", "type", "in", "confidence", "format", "charset") and isinstance(v, (str, list)):
                    for e in (v if isinstance(v, list) else [v]):
                        if isinstance(e, str) and len(e) < 40:
                            values.add(e)
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    for service in os.listdir(SPECS):
        for f in os.listdir(os.path.join(SPECS, service)):
            if f.endswith(".json"):
                walk(json.load(open(os.path.join(SPECS, service, f))))
    return sorted(names), sorted(codes), sorted(values), sorted(keys)


def write_dict(target, tokens):
    seen, out = set(), []
    for t in tokens:
        if not t or t in seen or len(t) > 64:
            continue
        seen.add(t)
        esc = "".join(ch if 0x20 <= ord(ch) < 0x7f and ch not in '"\\' else
                      ("\\" + ch if ch in '"\\' else "".join(f"\\x{b:02x}" for b in ch.encode())) for ch in t)
        out.append(f'"{esc}"')
    with open(os.path.join(OUT, target + ".dict"), "w") as f:
        f.write(f"# {target}: generated by fuzz/seeds.py from specs/ and the doc formats; do not edit.\n")
        f.write("\n".join(out) + "\n")


def dictionaries():
    names, codes, values, keys = spec_words()
    prose = ["The value range is", "Default value:", "Valid values:", "must be", "cannot start with", "http://",
             "https://", "characters in length", "It can be", "to ", "Unit:", "GiB", "Maximum", "at most", "at least",
             "Value range:", "This parameter is required", "is mandatory", "only if", "when", "not", "digits",
             "letters", "hyphens (-)", "underscores (_)", "periods (.)", "N", ".N.", "1", "0", "-1", "65536",
             "2147483647", "true", "false", "Yes", "No", "String", "Integer", "Long", "Boolean", "Json", "Array",
             "Object", "\n", "\r\n", "400", "403", "404", "409", "500"]
    md = ["|", "||", "|---|", "|----|----|--------|-------|-----------|", "|Name|Type|Required|Example|Description|",
          "## ", "# ", "**", "`", "```", "<br>", "<br/>", "\\|", "- ", "-   ", "> ", "[", "](", "~~", "{#", " .section}",
          "&#124;", "Request parameters", "Response parameters", "Error codes", "Errors", "Examples", "\n\n |\n"]
    html = ["<table>", "</table>", "<thead>", "</thead>", "<tbody>", "</tbody>", "<tr>", "</tr>", "<td>", "</td>",
            "<th>", "</th>", "<td rowspan=\"2\">", "<td colspan=\"2\">", "<p>", "</p>", "<br>", "<ul>", "<li>",
            "</li>", "</ul>", "<a name=\"x\"></a>", "<strong>", "<code>", "<div>", "&nbsp;", "&lt;", "&gt;", "&amp;",
            "&#x4e2d;", "<!--", "-->", "Parameter", "Type", "Mandatory", "Description", "Status Code", "Error Code",
            "## Request", "## URI", "## Response", "## Status Code"]
    text = ["Attribute description", "AttributeTypeRequiredDescription", "AttributeTypeDescription", "Error codes",
            "Response", "Success", "Request", "POST /clusters", "{", "}", "\"", ":", ","]
    jsn = ["{", "}", "[", "]", "\"", ":", ",", "null", "true", "false", "0", "-1", "1e400", "\\u0000", "\\ud800",
           "\"\"", "{}", "[]"]
    spec_extra = ["---overlay---", "\n---overlay---\n", "conform_spec", "conform_overlay", "add_params",
                  "remove_rules", "documented", "inferred", "unknown", "query", "body", "path", "header"]
    write_dict("fuzz_import_markdown", md + prose + names + codes + values)
    write_dict("fuzz_import_html", html + prose + names + codes + values)
    write_dict("fuzz_import_text", text + prose + names + codes + values)
    write_dict("fuzz_import_analyze", md + html[:14] + text + prose + names + codes + values)
    write_dict("fuzz_spec_loader", jsn + spec_extra + ['"%s":' % k for k in keys] + names + codes + values)
    case_keys = ["id", "op", "method", "path", "query", "headers", "body", "raw_body", "expect", "status", "code",
                 "codes", "steps", "target", "rule", "side", "valid", "violating", "name", "value"]
    ops = [o["op"] for o in OPS] + ["GET", "POST", "PUT", "/", "/clusters", "/v1.0/{project_id}/instances", "Action"]
    write_dict("fuzz_case_loader", jsn + ['"%s":' % k for k in case_keys] + ops + names + codes)


if __name__ == "__main__":
    markdown_seeds()
    html_seeds()
    text_seeds()
    analyze_seeds()
    import seeds_specs
    seeds_specs.spec_seeds()
    case_seeds()
    dictionaries()
    # The request-path targets (fixtures, RPC query, HTTP request and response,
    # differential) live in seeds_requests.py.
    import seeds_requests
    seeds_requests.main(sys.argv[1:])
    sys.exit(0)
