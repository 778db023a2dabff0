#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "core/test_paths.h"
#include "core/text.h"
#include "spec/import/raw_doc.h"

namespace conform::import {
namespace {

std::string read_doc(const std::string& name) {
  std::ifstream in(std::string(CONFORM_SOURCE_DIR) + "/apidocs/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const RawParam* find(const std::vector<RawParam>& ps, std::string_view name,
                     std::vector<std::string> path = {}) {
  for (const RawParam& p : ps)
    if (p.name == name && p.path == path) return &p;
  return nullptr;
}

std::vector<std::string> texts(const std::vector<TextLine>& lines) {
  std::vector<std::string> out;
  for (const TextLine& l : lines) out.push_back(l.text);
  return out;
}

// A doc line as the text a reader sees: tags gone, entities resolved, spaces
// squashed; in `markdown` mode also escapes and [text](url) links resolved (an
// HTML line keeps its backslashes). The extractor's lines must start inside it.
std::string visible(std::string_view line, bool markdown) {
  std::string out;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '<') {
      const std::size_t close = line.find('>', i);
      if (close != std::string_view::npos) { i = close; continue; }
    }
    if (markdown && line.substr(i, 2) == "](") {
      const std::size_t close = line.find(')', i);
      if (close != std::string_view::npos) { i = close; continue; }
    }
    if (markdown && line[i] == '[') continue;
    if (markdown && line[i] == '\\' && i + 1 < line.size()) { out += line[++i]; continue; }
    if (line.substr(i, 2) == "**") { ++i; continue; }
    out += line[i];
  }
  for (auto [from, to] : {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&amp;", "&"}})
    for (std::size_t p = out.find(from); p != std::string::npos; p = out.find(from, p + 1))
      out.replace(p, std::string_view(from).size(), to);
  return text::squash_spaces(out);
}

void expect_line_points_at_text(const std::vector<std::string_view>& doc, const TextLine& l) {
  ASSERT_GE(l.line, 1) << l.text;
  ASSERT_LE(l.line, static_cast<int>(doc.size())) << l.text;
  std::string_view t = l.text;
  if (t.starts_with("- ")) t.remove_prefix(2);
  const std::string head(t.substr(0, std::min<std::size_t>(t.size(), 16)));
  const std::string_view at = doc[static_cast<std::size_t>(l.line - 1)];
  EXPECT_TRUE(visible(at, false).find(head) != std::string::npos ||
              visible(at, true).find(head) != std::string::npos)
      << "line " << l.line << " does not hold \"" << head << "\"";
}

// A two-column-plus table in the shape Huawei docs use.
std::string table(const std::string& anchor, const std::vector<std::string>& rows,
                  const std::string& header = "<th>Parameter</th><th>Type</th><th>Mandatory</th><th>Description</th>") {
  std::string s = "<a name=\"" + anchor + "\"></a>\n<table><thead><tr>" + header + "</tr></thead>\n<tbody>";
  for (const std::string& r : rows) s += "<tr>" + r + "</tr>\n";
  return s + "</tbody>\n</table>\n";
}

std::string row(const std::string& name, const std::string& desc) {
  return "<td><p>" + name + "</p></td><td><p>String</p></td><td><p>Yes</p></td><td>" + desc + "</td>";
}

TEST(Html, CellTextKeepsParagraphsAndListItemsAsLines) {
  const std::string doc = "## Request\n\n" +
      table("t1", {row("pw", "<p>Password &amp; <strong>rules</strong>.</p>\n"
                               "<ul><li>Must be <em>8</em> long.</li><li>Three of:<ul><li>Lower</li><li>Upper</li></ul>\n"
                               "</li></ul>first<br>second   <a href=\"x.md\">link</a>")});
  auto d = extract_html("t.md", doc);
  ASSERT_TRUE(d) << d.error().message();
  ASSERT_EQ(d->request.size(), 1u);
  EXPECT_EQ(texts(d->request[0].description),
            (std::vector<std::string>{"Password & rules.", "- Must be 8 long.", "- Three of:", "- Lower",
                                      "- Upper", "first", "second link"}));
  EXPECT_EQ(d->request[0].description[0].line, 5);
  EXPECT_EQ(d->request[0].description[1].line, 6);
  EXPECT_EQ(d->request[0].description[5].line, 7);
  EXPECT_EQ(d->request[0].line, 5);
}

TEST(Html, SectionsDecideRequestResponseAndStatus) {
  const std::string doc = "# Op<a name=\"x\"></a>\n\n## URI\n\nPOST /v1/\\{project\\_id\\}/things\n\n" +
      table("t1", {row("project_id", "<p>Project.</p>")}) + "\n## Response\n\n" +
      table("t2", {"<td>id</td><td>String</td><td>ID.</td>"},
            "<th>Parameter</th><th>Type</th><th>Description</th>") +
      "\n**Table 3** Status code\n\n" +
      table("t3", {"<td>200</td><td>Created.</td>"}, "<th>Status Code</th><th>Description</th>");
  auto d = extract_html("t.md", doc);
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_EQ(d->title, "Op");
  ASSERT_EQ(d->request.size(), 1u);
  EXPECT_EQ(d->request[0].name, "project_id");
  ASSERT_EQ(d->response.size(), 1u);
  EXPECT_EQ(d->response[0].required, "");
  ASSERT_EQ(d->errors.size(), 1u);
  EXPECT_EQ(d->errors[0].status, "200");
  EXPECT_EQ(d->errors[0].code, "");
  EXPECT_EQ(d->errors[0].message, "Created.");
  const auto uri = std::find_if(d->prose.begin(), d->prose.end(),
                                [](const TextLine& l) { return l.text == "POST /v1/{project_id}/things"; });
  ASSERT_NE(uri, d->prose.end());
  EXPECT_EQ(uri->line, 5);
}

TEST(Html, ErrorCodeTableMapsItsColumns) {
  const std::string doc = "## Request\n\n" + table("t1", {row("a", "x")}) + "\n## Error Codes\n\n" +
      table("t2", {"<td>400</td><td>DCS.4001</td><td>Bad name.</td><td>Fix it.</td>"},
            "<th>Status Code</th><th>Error Code</th><th>Error Message</th><th>Description</th>");
  auto d = extract_html("t.md", doc);
  ASSERT_TRUE(d) << d.error().message();
  ASSERT_EQ(d->errors.size(), 1u);
  EXPECT_EQ(d->errors[0].status, "400");
  EXPECT_EQ(d->errors[0].code, "DCS.4001");
  EXPECT_EQ(d->errors[0].message, "Bad name.");
  EXPECT_EQ(d->errors[0].description, "Fix it.");
}

// Found by fuzz_import_html (corpus/fuzz/fuzz_import_html/regressions/): gumbo
// counted a lone CR as a line break, so rows cited lines past the end of the doc.
TEST(Html, LoneCarriageReturnDoesNotShiftLineNumbers) {
  auto d = extract_html("t.md", "<table><th>Parameter\r<tr><td>u");
  ASSERT_TRUE(d) << d.error().message();
  ASSERT_EQ(d->request.size(), 1u);
  EXPECT_EQ(d->request[0].line, 1);
  auto crlf = extract_html("t.md", "<table><th>Parameter\r\n<tr><td>u");
  ASSERT_TRUE(crlf) << crlf.error().message();
  ASSERT_EQ(crlf->request.size(), 1u);
  EXPECT_EQ(crlf->request[0].line, 2);
}

TEST(Html, LinkedTablesNestUnderTheDeepestLinkingRow) {
  const std::string doc = "## Request\n\n" +
      table("top", {row("policy", "<p>See <a href=\"#t3\">Table 3</a> and <a href=\"#t4\">Table 4</a>.</p>")}) +
      table("t3", {row("days", "d"), row("plan", "<p>See <a href=\"#t4\">Table 4</a>.</p>")}) +
      table("t4", {row("begin_at", "b")}) + "## Response\n\n" +
      table("r1", {row("instances", "<a href=\"#r2\">Table 6</a>")}) +
      table("r2", {row("instance_id", "i"), row("back", "<a href=\"#top\">up</a>")});
  auto d = extract_html("t.md", doc);
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_TRUE(find(d->request, "policy"));
  EXPECT_TRUE(find(d->request, "days", {"policy"}));
  EXPECT_TRUE(find(d->request, "plan", {"policy"}));
  EXPECT_TRUE(find(d->request, "begin_at", {"policy", "plan"}));
  EXPECT_EQ(d->request.size(), 4u);
  // Nested tables follow their parent's side even under the Response heading;
  // a link back to an earlier table nests nothing.
  EXPECT_TRUE(find(d->response, "instance_id", {"instances"}));
  EXPECT_TRUE(find(d->response, "back", {"instances"}));
  EXPECT_EQ(d->response.size(), 3u);
}

TEST(Html, SelfAndCyclicLinksDoNotLoop) {
  const std::string doc = "## Request\n\n" + table("a", {row("x", "<a href=\"#a\">me</a> <a href=\"#b\">b</a>")}) +
                          table("b", {row("y", "<a href=\"#a\">a</a> <a href=\"#b\">b</a>")});
  auto d = extract_html("t.md", doc);
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_TRUE(find(d->request, "y", {"x"}));
}

TEST(Html, FencesBecomeExamplesOfTheirSection) {
  const std::string doc = "## Request\n\n" + table("t", {row("a", "x")}) +
                          "\nExample request\n\n-   Example:\n\n    ```\n    {\n        \"a\": 1\n    }\n    ```\n"
                          "\n**Example response**\n\n```\n{}\n```\n";
  auto d = extract_html("t.md", doc);
  ASSERT_TRUE(d) << d.error().message();
  ASSERT_EQ(d->examples.size(), 2u);
  EXPECT_EQ(d->examples[0].kind, "request");
  EXPECT_EQ(d->examples[0].text, "{\n    \"a\": 1\n}");
  EXPECT_EQ(d->examples[0].line, 14);
  EXPECT_EQ(d->examples[1].kind, "response");
  EXPECT_EQ(d->examples[1].text, "{}");
}

TEST(Html, RowWithMissingCellsIsAnErrorNamingItsLine) {
  const std::string doc = "## Request\n\n" +
      table("t", {row("a", "x"), "<td><p>b</p></td><td><p>String</p></td>"});
  auto d = extract_html("apidocs/x.md", doc);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().where, "apidocs/x.md:6");
  EXPECT_NE(d.error().what.find("2 cells"), std::string::npos) << d.error().what;
}

TEST(Html, BadInputIsAnErrorNamingFileAndLine) {
  auto empty = extract_html("e.md", "");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().where, "e.md:1");
  auto nul = extract_html("n.md", std::string("a\nb\0c", 5));
  ASSERT_FALSE(nul);
  EXPECT_EQ(nul.error().where, "n.md:2");
  auto bad = extract_html("u.md", "## Request\n\nok\n<table>\xff\xfe</table>\n");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where, "u.md:4");
  auto none = extract_html("t.md", "# Title\n\nJust prose.\n<table><tr><td>a</td></tr></table>\n");
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().what.find("no parameter table"), std::string::npos);
}

TEST(Html, TruncatedAndHostileHtmlNeverCrashes) {
  const std::string doc = read_doc("huawei-dcs-CreateInstance.md");
  for (std::size_t cut : {100u, 5000u, 9000u, 20000u, 40000u}) {
    auto d = extract_html("t.md", doc.substr(0, std::min(cut, doc.size())));
    if (!d) {
      EXPECT_FALSE(d.error().where.empty());
    }
  }
  // Deep nesting inside a cell: the walks keep their own stacks.
  std::string deep = "## Request\n\n<table><tr><th>Parameter</th><th>Description</th></tr><tr><td>a</td><td>";
  for (int i = 0; i < 250; ++i) deep += "<div><span>";
  auto d = extract_html("t.md", deep + "x");
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_EQ(d->request.size(), 1u);
  // Deeper than any doc: refused up front, since gumbo's parse time grows with
  // depth times tag count (20,000 "<ul><li>" take it seconds).
  for (int i = 0; i < 20000; ++i) deep += "\n<ul><li>";
  auto refused = extract_html("t.md", deep);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().where, "t.md:15");  // 501 open, +1 a line
  EXPECT_NE(refused.error().what.find("nested"), std::string::npos);
  // Unclosed <p> and void tags are common and harmless: not counted.
  std::string flat = "## Request\n\n<table><tr><th>Parameter</th></tr><tr><td>a</td></tr></table>\n";
  for (int i = 0; i < 20000; ++i) flat += "<p>x<br><img src=a>";
  EXPECT_TRUE(extract_html("t.md", flat));
  std::string brackets(200000, '[');
  EXPECT_FALSE(extract_html("t.md", brackets + "\n<" + brackets));
}

TEST(HtmlGolden, DcsCreateInstance) {
  const std::string content = read_doc("huawei-dcs-CreateInstance.md");
  ASSERT_FALSE(content.empty());
  auto d = extract_html("apidocs/huawei-dcs-CreateInstance.md", content);
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_EQ(d->format, "html");
  EXPECT_EQ(d->title, "Creating a DCS Instance");
  for (const char* name : {"project_id", "name", "description", "engine", "engine_version", "capacity",
                           "password", "vpc_id", "security_group_id", "subnet_id", "available_zones",
                           "product_id", "instance_backup_policy", "maintain_begin", "maintain_end"})
    EXPECT_TRUE(find(d->request, name)) << name;
  for (const char* name : {"save_days", "backup_type", "periodical_backup_plan"})
    EXPECT_TRUE(find(d->request, name, {"instance_backup_policy"})) << name;
  for (const char* name : {"begin_at", "period_type", "backup_at", "timezone_offset"})
    EXPECT_TRUE(find(d->request, name, {"instance_backup_policy", "periodical_backup_plan"})) << name;
  EXPECT_EQ(d->request.size(), 22u);

  const RawParam* zones = find(d->request, "available_zones");
  ASSERT_TRUE(zones);
  EXPECT_EQ(zones->type, "Array");
  EXPECT_EQ(zones->required, "Yes");
  EXPECT_EQ(find(d->request, "capacity")->type, "Integer");
  EXPECT_EQ(find(d->request, "instance_backup_policy")->type, "JSON");
  EXPECT_EQ(find(d->request, "instance_backup_policy")->required, "No");
  EXPECT_EQ(find(d->request, "project_id")->line, 26);

  const RawParam* pw = find(d->request, "password");
  ASSERT_TRUE(pw);
  EXPECT_EQ(texts(pw->description),
            (std::vector<std::string>{
                "Password of a DCS instance.",
                "The password of a DCS Redis instance must meet the following complexity requirements:",
                "- Must be a string consisting of 8 to 32 characters.", "- Must be different from the old password.",
                "- Contains at least three of the following character types:", "- Lowercase letters",
                "- Uppercase letters", "- Digits", "- Special characters (`~!@#$%^&*()-_=+\\|[{}]:'\",<.>/?)"}));
  EXPECT_EQ(pw->description[0].line, 114);
  EXPECT_EQ(pw->description[2].line, 116);

  EXPECT_TRUE(find(d->response, "instance_id"));
  EXPECT_TRUE(find(d->response, "instances"));
  EXPECT_TRUE(find(d->response, "instance_id", {"instances"}));
  EXPECT_TRUE(find(d->response, "instance_name", {"instances"}));
  EXPECT_EQ(d->response.size(), 4u);

  ASSERT_EQ(d->errors.size(), 1u);
  EXPECT_EQ(d->errors[0].status, "200");
  EXPECT_EQ(d->errors[0].message, "DCS instance created successfully.");

  ASSERT_EQ(d->examples.size(), 3u);
  EXPECT_EQ(d->examples[0].kind, "request");
  EXPECT_EQ(d->examples[0].text, "POST https://{dcs_endpoint}/v1.0/{project_id}/instances");
  EXPECT_EQ(d->examples[1].kind, "request");
  EXPECT_EQ(d->examples[1].line, 325);
  EXPECT_TRUE(d->examples[1].text.starts_with("{\n    \"name\": \"dcs-a11e\","));
  EXPECT_EQ(d->examples[2].kind, "response");
  EXPECT_EQ(d->examples[2].line, 425);

  EXPECT_TRUE(std::any_of(d->prose.begin(), d->prose.end(), [](const TextLine& l) {
    return l.text == "POST /v1.0/{project_id}/instances" && l.line == 9;
  }));
}

TEST(HtmlGolden, EveryTextLinePointsAtItsText) {
  const std::string content = read_doc("huawei-dcs-CreateInstance.md");
  auto d = extract_html("apidocs/huawei-dcs-CreateInstance.md", content);
  ASSERT_TRUE(d) << d.error().message();
  const auto lines = text::split_lines(content);
  std::size_t checked = 0;
  for (const auto* list : {&d->request, &d->response})
    for (const RawParam& p : *list)
      for (const TextLine& l : p.description) expect_line_points_at_text(lines, l), ++checked;
  for (const TextLine& l : d->prose) expect_line_points_at_text(lines, l), ++checked;
  EXPECT_GT(checked, 80u);
}

// Random byte inserts, deletes and truncations of the real doc: the extractor
// returns a doc or an error naming a place, and never crashes.
RC_GTEST_PROP(HtmlProp, NeverCrashesOnMutatedDoc,
              (const std::vector<std::tuple<unsigned, unsigned, char>>& edits)) {
  static const std::string original = read_doc("huawei-dcs-CreateInstance.md");
  std::string doc = original;
  for (const auto& [op, pos, byte] : edits) {
    if (doc.empty()) break;
    const std::size_t at = pos % doc.size();
    switch (op % 8) {
      case 0: doc.resize(at); break;
      case 1: case 2: case 3: doc.erase(at, 1 + op % 7); break;
      default: doc.insert(at, 1, byte); break;
    }
  }
  auto d = extract_html("m.md", doc);
  if (!d) {
    RC_ASSERT(d.error().where.starts_with("m.md:"));
    return;
  }
  const int n = static_cast<int>(text::split_lines(doc).size());
  for (const RawParam& p : d->request) {
    RC_ASSERT(p.line >= 1 && p.line <= n);
    for (const TextLine& l : p.description) RC_ASSERT(l.line >= 1 && l.line <= n);
  }
}

RC_GTEST_PROP(HtmlProp, NeverCrashesOnRandomBytes, (const std::string& bytes)) {
  auto d = extract_html("r.md", "## Request\n<table><tr><th>Parameter</th></tr><tr><td>" + bytes);
  if (!d) RC_ASSERT(!d.error().where.empty());
}

}  // namespace
}  // namespace conform::import
