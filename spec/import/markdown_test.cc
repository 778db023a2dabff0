#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <tuple>
#include <vector>

#include "core/text.h"
#include "spec/import/markdown_fold.h"
#include "spec/import/raw_doc.h"

namespace conform::import {
namespace {

// The request table every snippet needs so that extraction succeeds.
constexpr std::string_view kHead =
    "# Op\n"
    "\n"
    "## Request parameters\n"
    "\n"
    "|Name|Type|Required|Example|Description|\n"  // line 5
    "|----|----|--------|-------|-----------|\n";

RawDoc must_extract(std::string_view md) {
  auto doc = extract_markdown("t.md", md);
  EXPECT_TRUE(doc.has_value()) << (doc ? "" : doc.error().message());
  return doc ? *doc : RawDoc{};
}

std::vector<std::pair<std::string, int>> flat(const std::vector<TextLine>& lines) {
  std::vector<std::pair<std::string, int>> out;
  for (const auto& l : lines) out.emplace_back(l.text, l.line);
  return out;
}

using Lines = std::vector<std::pair<std::string, int>>;

TEST(ExtractMarkdown, MultiLineCellWithList) {
  const RawDoc doc = must_extract(std::string(kHead) +
                                  "|DataDisk.N.Category|String|No|cloud-ssd| The category. Valid values:\n"
                                  "\n"
                                  " -   cloud: basic disk.\n"
                                  "-   cloud\\_efficiency: ultra disk.\n"
                                  "\n"
                                  " |\n"
                                  "|Next|Integer|Yes|1|Simple. |\n");
  ASSERT_EQ(doc.request.size(), 2u);
  const RawParam& p = doc.request[0];
  EXPECT_EQ(p.name, "DataDisk.N.Category");
  EXPECT_EQ(p.type, "String");
  EXPECT_EQ(p.required, "No");
  EXPECT_EQ(p.example, "cloud-ssd");
  EXPECT_EQ(p.line, 7);
  EXPECT_EQ(flat(p.description), (Lines{{"The category. Valid values:", 7},
                                        {"- cloud: basic disk.", 9},
                                        {"- cloud_efficiency: ultra disk.", 10}}));
  EXPECT_EQ(doc.request[1].name, "Next");
  EXPECT_EQ(doc.request[1].line, 13);
  EXPECT_EQ(flat(doc.request[1].description), (Lines{{"Simple.", 13}}));
}

TEST(ExtractMarkdown, FencedCodeWithPipeInsideACell) {
  const RawDoc doc = must_extract(std::string(kHead) +
                                  "|Password|String|No|EcsV587!| The password. Special characters:\n"
                                  "\n"
                                  " ``` {#codeblock_x}\n"
                                  "\n"
                                  "Parentheses (()), vertical bars (|), asterisks (*), grave accents (`).\n"
                                  "\n"
                                  "```\n"
                                  "\n"
                                  " For Windows, no slash \\(/\\).\n"
                                  "\n"
                                  " |\n"
                                  "|Next|Integer|Yes|1|Simple. |\n");
  ASSERT_EQ(doc.request.size(), 2u);
  EXPECT_EQ(flat(doc.request[0].description),
            (Lines{{"The password. Special characters:", 7},
                   {"Parentheses (()), vertical bars (|), asterisks (*), grave accents (`).", 11},
                   {"For Windows, no slash (/).", 15}}));
  EXPECT_EQ(doc.request[1].name, "Next");
}

TEST(ExtractMarkdown, SplitHeaderAndRowsLikeRos) {
  const RawDoc doc = must_extract(std::string(kHead) +
                                  "|A|String|Yes|x|An a. |\n"
                                  "\n"
                                  "## Error codes\n"
                                  "\n"
                                  "Some words.\n"
                                  "|Error code\n"  // line 12
                                  "\n"
                                  "|Error message\n"
                                  "\n"
                                  "|HTTP status code\n"
                                  "\n"
                                  "|Description |\n"
                                  "|------------|---------------|------------------|-------------|\n"
                                  "|StackInstanceExists\n"  // line 20
                                  "\n"
                                  "|The StackInstance \\(\\{instance\\}\\) already exists.\n"
                                  "\n"
                                  "|409\n"
                                  "\n"
                                  "|The stack group has a stack instance. |\n"
                                  "|Busy\n"  // line 27
                                  "\n"
                                  "|Another operation is in progress.\n"
                                  "\n"
                                  "|409\n"
                                  "\n"
                                  "|The stack group is busy. |\n");
  ASSERT_EQ(doc.errors.size(), 2u);
  const RawError& e = doc.errors[0];
  EXPECT_EQ(e.status, "409");
  EXPECT_EQ(e.code, "StackInstanceExists");
  EXPECT_EQ(e.message, "The StackInstance ({instance}) already exists.");
  EXPECT_EQ(e.description, "The stack group has a stack instance.");
  EXPECT_EQ(e.line, 20);
  EXPECT_EQ(doc.errors[1].code, "Busy");
  EXPECT_EQ(doc.errors[1].line, 27);
  // The paragraph right before the split header keeps its own line.
  ASSERT_FALSE(doc.prose.empty());
  EXPECT_EQ(doc.prose.back().text, "Some words.");
  EXPECT_EQ(doc.prose.back().line, 11);
}

TEST(ExtractMarkdown, TruncatedTableNamesTheRow) {
  auto doc = extract_markdown("t.md", std::string(kHead) +
                                          "|A|String|Yes|x|An a. |\n"
                                          "|B|String|Yes|x| A b that goes on\n"
                                          "\n"
                                          " -   and never closes.\n");
  ASSERT_FALSE(doc.has_value());
  EXPECT_EQ(doc.error().where, "t.md:8");
  EXPECT_NE(doc.error().what.find("table row starting at line 8 is not closed"), std::string::npos)
      << doc.error().what;
}

TEST(ExtractMarkdown, RowRunningIntoAHeadingIsNotClosed) {
  auto doc = extract_markdown("t.md", std::string(kHead) +
                                          "|A|String|Yes|x| An a\n"
                                          "\n"
                                          "## Response parameters\n");
  ASSERT_FALSE(doc.has_value());
  EXPECT_EQ(doc.error().where, "t.md:7");
  EXPECT_NE(doc.error().what.find("heading starts at line 9"), std::string::npos) << doc.error().what;
}

TEST(ExtractMarkdown, MissingCellsIsAnError) {
  auto doc = extract_markdown("t.md", std::string(kHead) +
                                          "|A|String|Yes|x|An a. |\n"
                                          "|B|String|Yes|\n"
                                          "|C|String|Yes|x|A c. |\n");
  ASSERT_FALSE(doc.has_value());
  EXPECT_EQ(doc.error().where, "t.md:8");
  EXPECT_NE(doc.error().what.find("has 3 cells, its header has 5"), std::string::npos) << doc.error().what;

  // The same in a table written the plain GFM way (no outer pipes).
  auto plain = extract_markdown("t.md",
                                "## Request parameters\n\nName | Type\n---- | ----\nA | String\nB\n");
  ASSERT_TRUE(plain.has_value()) << "a pipe-less line after a table is prose, not a row";
  auto short_row = extract_markdown("t.md", "## Request parameters\n\nName | Type | Req\n--|--|--\nA | B\n");
  ASSERT_FALSE(short_row.has_value());
  EXPECT_EQ(short_row.error().where, "t.md:5");
}

TEST(ExtractMarkdown, EscapesEmphasisAndLinksBecomeText) {
  const RawDoc doc = must_extract(
      std::string(kHead) +
      "|My\\_Name|String|No|\\[\"a\",\"b\"\\]| **Note:** colons \\(:\\), *stars* \\*, "
      "`code_span`, see [DescribeRegions](~~25609~~).<br>Second &amp; line. |\n");
  ASSERT_EQ(doc.request.size(), 1u);
  const RawParam& p = doc.request[0];
  EXPECT_EQ(p.name, "My_Name");
  EXPECT_EQ(p.example, "[\"a\",\"b\"]");
  EXPECT_EQ(flat(p.description),
            (Lines{{"Note: colons (:), stars *, code_span, see DescribeRegions.", 7},
                   {"Second & line.", 7}}));
}

TEST(ExtractMarkdown, PipesInsideInlineCodeDoNotSplitCells) {
  const RawDoc doc = must_extract(std::string(kHead) + "|A|String|No|`a|b`|One `x|y` two. |\n");
  ASSERT_EQ(doc.request.size(), 1u);
  EXPECT_EQ(doc.request[0].example, "a|b");
  EXPECT_EQ(doc.request[0].description.at(0).text, "One x|y two.");
}

TEST(ExtractMarkdown, NestedRowsGetAPath) {
  const RawDoc doc = must_extract(std::string(kHead) +
                                  "|Tag|Array|No| |The tags. |\n"
                                  "|└Key|String|No|k|The key. |\n"
                                  "|» » Deep|String|No|d|Deeper. |\n"
                                  "|Other|String|No|o|Top level. |\n");
  ASSERT_EQ(doc.request.size(), 4u);
  EXPECT_EQ(doc.request[1].name, "Key");
  EXPECT_EQ(doc.request[1].path, std::vector<std::string>{"Tag"});
  EXPECT_EQ(doc.request[2].name, "Deep");
  EXPECT_EQ(doc.request[2].path, (std::vector<std::string>{"Tag", "Key"}));
  EXPECT_TRUE(doc.request[3].path.empty());
}

TEST(ExtractMarkdown, BadInputIsAnErrorNamingTheLine) {
  auto empty = extract_markdown("t.md", "");
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().where, "t.md:1");

  auto bad_utf8 = extract_markdown("t.md", std::string(kHead) + "|A|String|No|x|\xC3\x28 |\n");
  ASSERT_FALSE(bad_utf8.has_value());
  EXPECT_EQ(bad_utf8.error().where, "t.md:7");
  EXPECT_NE(bad_utf8.error().what.find("UTF-8"), std::string::npos);

  auto binary = extract_markdown("t.md", std::string("a\nb\nc\x01\x02\x00z", 10));
  ASSERT_FALSE(binary.has_value());
  EXPECT_EQ(binary.error().where, "t.md:3");

  auto no_table = extract_markdown("t.md", "# Op\n\n## Request parameters\n\nNone.\n");
  ASSERT_FALSE(no_table.has_value());
  EXPECT_EQ(no_table.error().where, "t.md:3");
  EXPECT_NE(no_table.error().what.find("no request parameter table"), std::string::npos);
}

TEST(ExtractMarkdown, TitleSectionsAndExamples) {
  const RawDoc doc = must_extract(
      "# Op {#doc_api_1 .reference}\n\nDoes a thing.\n\n## Request parameters {#p .section}\n\n"
      "|Name|Type|Required|Example|Description|\n|--|--|--|--|--|\n|A|String|Yes|x|An a.|\n\n"
      "## Response parameters\n\n|Name|Type|Example|Description|\n|--|--|--|--|\n"
      "|RequestId|String|r|The id.|\n\n"
      "## Examples\n\nSample requests\n\n```\nGET /?A=x\n```\n\nSuccessful response examples\n\n"
      "``` {#json_return_success_demo}\n{}\n```\n");
  EXPECT_EQ(doc.title, "Op");
  ASSERT_EQ(doc.request.size(), 1u);
  ASSERT_EQ(doc.response.size(), 1u);
  EXPECT_EQ(doc.response[0].name, "RequestId");
  EXPECT_EQ(doc.response[0].required, "");
  ASSERT_EQ(doc.examples.size(), 2u);
  EXPECT_EQ(doc.examples[0].kind, "request");
  EXPECT_EQ(doc.examples[0].text, "GET /?A=x\n");
  EXPECT_EQ(doc.examples[0].line, 21);
  EXPECT_EQ(doc.examples[1].kind, "response");
  EXPECT_EQ(doc.prose.size(), 1u) << "example captions are not prose";
}

TEST(ExtractMarkdown, ExcessCellsAreDroppedAndStrayDelimitersStayText) {
  const RawDoc doc = must_extract(std::string(kHead) +
                                  "|A|String|Yes|x|An a. | extra | cells |\n"
                                  "\n"
                                  "Not a table:\n"
                                  "-|-\n"
                                  "> :-|-\n");
  ASSERT_EQ(doc.request.size(), 1u);
  EXPECT_EQ(flat(doc.request[0].description), (Lines{{"An a.", 7}}));
  EXPECT_EQ(flat(doc.prose), (Lines{{"Not a table:", 9}, {"-|-", 10}, {":-|-", 11}}));
}

TEST(MarkdownFold, FoldsRowsAndMapsSegments) {
  auto f = md::fold_tables("t.md",
                           "Intro\n"
                           "|A|B|\n"
                           "|-|-|\n"
                           "|x| one\n"
                           "\n"
                           " two<br>three |\n"
                           "after\n");
  ASSERT_TRUE(f.has_value()) << f.error().message();
  EXPECT_EQ(f->text, "Intro\n\n|A|B|\n|-|-|\n|x| one<br><br>two<br>three |\n\nafter\n");
  EXPECT_EQ(f->line_map, (std::vector<int>{1, 2, 2, 3, 4, 7, 7}));
  const md::FoldedRow* row = f->row(5);
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->segments, (std::vector<int>{4, 5, 6, 6}));
  EXPECT_EQ(row->line_of(1, 0), 4);
  EXPECT_EQ(row->line_of(1, 2), 6);
  EXPECT_EQ(row->line_of(1, 3), 6);
  EXPECT_EQ(row->line_of(1, 99), 6) << "clamped to the row's last line";
  EXPECT_EQ(f->row(1), nullptr);
}

// cmark-gfm 0.29.0.gfm.6 is quadratic on some table shapes (delimiter-like
// lines inside a long paragraph, rows with many cells, many columns); the fold
// keeps them away from it. Each input here took cmark alone 10 s or more.
TEST(ExtractMarkdown, HostileInputStaysLinear) {
  auto rep = [](std::string_view s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out.append(s);
    return out;
  };
  const std::string head(kHead);
  const std::vector<std::string> inputs = {
      head + "|A|B|C|D|E|\n\n" + rep("-|-\nx\n", 20000),
      head + "|A|B|C|D|E|\n\n" + rep("> -|-\n> x\n", 20000),
      head + "|A|B|C|D|E|\n\n" + rep("  -|-\nx\n", 20000),
      head + "|A|B|C|D|E" + rep("|", 60000) + "\n",
      rep("|a", 20000) + "|\n" + rep("|-", 20000) + "|\n" + rep("|x", 20000) + "|\n",
      rep("|-|-|-|\n|`` ` ``` |\n|\n", 7000),
  };
  for (const std::string& md : inputs) {
    const auto start = std::chrono::steady_clock::now();
    (void)extract_markdown("t.md", md);  // a value or an error: both fine
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(8)) << md.substr(0, 200);
  }
}

// Golden checks on the real docs.
}  // namespace
}  // namespace conform::import
