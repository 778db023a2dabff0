// The markdown extractor against the project's own docs (apidocs/): golden
// expectations, every line mapped home, and mutated docs never crashing. The
// snippet-level tests are in markdown_test.cc.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/test_paths.h"
#include "core/text.h"
#include "spec/import/markdown_fold.h"
#include "spec/import/raw_doc.h"

namespace conform::import {
namespace {
std::string read_doc(const std::string& name) {
  std::ifstream in(std::string(CONFORM_SOURCE_DIR) + "/apidocs/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> lines_of(const std::string& doc) {
  std::vector<std::string> out;
  for (auto l : text::split_lines(doc)) out.emplace_back(l);
  return out;
}

const RawParam* find_param(const std::vector<RawParam>& ps, std::string_view name) {
  for (const auto& p : ps) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

// A TextLine must point at the doc line it came from: that line, with markdown
// escapes and markup characters removed, contains the text's first characters.
std::string normalize(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != '\\' && c != '*' && c != '`' && c != '[' && c != ']') out.push_back(c);
  }
  return text::squash_spaces(out);
}

void expect_lines_point_home(const RawDoc& doc, const std::vector<std::string>& lines,
                             const std::vector<TextLine>& tl, const std::string& what) {
  for (const auto& l : tl) {
    ASSERT_GE(l.line, 1) << what;
    ASSERT_LE(l.line, static_cast<int>(lines.size())) << what;
    const std::string want = normalize(l.text).substr(0, 12);
    EXPECT_NE(normalize(lines[l.line - 1]).find(want), std::string::npos)
        << doc.file << ":" << l.line << " (" << what << ") does not hold \"" << l.text << "\"";
  }
}

void expect_all_lines_point_home(const std::string& name) {
  const std::string md = read_doc(name);
  const auto lines = lines_of(md);
  auto doc = extract_markdown(name, md);
  ASSERT_TRUE(doc.has_value()) << doc.error().message();
  for (const auto* table : {&doc->request, &doc->response}) {
    for (const RawParam& p : *table) {
      expect_lines_point_home(*doc, lines, p.description, p.name);
      EXPECT_NE(lines.at(p.line - 1).find(p.name), std::string::npos) << p.name;
    }
  }
  expect_lines_point_home(*doc, lines, doc->prose, "prose");
  for (const RawError& e : doc->errors) EXPECT_NE(lines.at(e.line - 1).find(e.code), std::string::npos);
}

TEST(ExtractMarkdownGolden, EveryLinePointsHome) {
  expect_all_lines_point_home("aliyun-ecs-CreateDeploymentSet.md");
  expect_all_lines_point_home("aliyun-ecs-CreateInstance.md");
  expect_all_lines_point_home("aliyun-ros-CreateStackInstances.md");
}

TEST(ExtractMarkdownGolden, CreateInstance) {
  const std::string md = read_doc("aliyun-ecs-CreateInstance.md");
  const auto lines = lines_of(md);
  auto doc = extract_markdown("apidocs/aliyun-ecs-CreateInstance.md", md);
  ASSERT_TRUE(doc.has_value()) << doc.error().message();
  EXPECT_EQ(doc->title, "CreateInstance");
  EXPECT_GE(doc->request.size(), 60u);
  EXPECT_EQ(doc->response.size(), 2u);
  for (const char* name : {"DataDisk.N.Size", "Tag.N.Key", "SystemDisk.Category", "Password", "ZoneId"}) {
    EXPECT_NE(find_param(doc->request, name), nullptr) << name;
  }
  const RawParam* pw = find_param(doc->request, "Password");
  ASSERT_NE(pw, nullptr);
  const auto special = std::find_if(pw->description.begin(), pw->description.end(), [](const TextLine& l) {
    return l.text.starts_with("Parentheses (()), grave accents (`)") && l.text.ends_with("forward slashes (/).");
  });
  ASSERT_NE(special, pw->description.end());
  EXPECT_NE(lines.at(special->line - 1).find("vertical bars (|)"), std::string::npos);
  EXPECT_EQ(pw->description.back().text.rfind("Note: If Password is specified", 0), 0u);

  const RawParam* size = find_param(doc->request, "DataDisk.N.Size");
  ASSERT_NE(size, nullptr);
  EXPECT_EQ(size->type, "Integer");
  EXPECT_EQ(size->example, "2,000");
  ASSERT_GE(size->description.size(), 2u);
  EXPECT_EQ(size->description[1].text, "- cloud: 5 to 2,000.");
  EXPECT_EQ(size->description[1].line, 141);

  EXPECT_GE(doc->errors.size(), 100u);
  EXPECT_TRUE(std::any_of(doc->errors.begin(), doc->errors.end(), [](const RawError& e) {
    return e.status == "400" && e.code == "InvalidHostName.Malformed" && e.line == 432;
  }));
  EXPECT_TRUE(std::any_of(doc->prose.begin(), doc->prose.end(), [](const TextLine& l) {
    return l.line == 28 &&
           l.text == "- When you specify VSwitchId, SecurityGroupId must be in the same VPC as VSwitchId.";
  }));
  EXPECT_EQ(doc->examples.size(), 3u);
}

TEST(ExtractMarkdownGolden, CreateDeploymentSet) {
  auto doc = extract_markdown("d.md", read_doc("aliyun-ecs-CreateDeploymentSet.md"));
  ASSERT_TRUE(doc.has_value()) << doc.error().message();
  EXPECT_EQ(doc->request.size(), 9u);
  EXPECT_EQ(doc->response.size(), 2u);
  ASSERT_EQ(doc->errors.size(), 3u);
  EXPECT_EQ(doc->errors[1].code, "InvalidDescription.Malformed");
  EXPECT_EQ(doc->errors[1].status, "400");
  const RawParam* name = find_param(doc->request, "DeploymentSetName");
  ASSERT_NE(name, nullptr);
  EXPECT_NE(name->description.at(0).text.find("colons (:), underscores (_), and hyphens (-)."), std::string::npos);
  ASSERT_EQ(doc->examples.size(), 3u);
  EXPECT_EQ(doc->examples[0].kind, "request");
  EXPECT_EQ(doc->examples[0].line, 67);
  EXPECT_EQ(doc->examples[1].kind, "response");
  EXPECT_EQ(doc->examples[2].kind, "response");
}

TEST(ExtractMarkdownGolden, CreateStackInstances) {
  auto doc = extract_markdown("r.md", read_doc("aliyun-ros-CreateStackInstances.md"));
  ASSERT_TRUE(doc.has_value()) << doc.error().message();
  EXPECT_EQ(doc->request.size(), 12u);
  const RawParam* ids = find_param(doc->request, "AccountIds");
  ASSERT_NE(ids, nullptr);
  EXPECT_EQ(ids->type, "Json");
  EXPECT_EQ(ids->example, "[\"123456\",\"234567\"]");
  const RawParam* key = find_param(doc->request, "ParameterOverrides.N.ParameterKey");
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->description.back().text,
            "- If you specify the ParameterOverrides parameter, you must specify both of the "
            "ParameterOverrides.N.ParameterKey and ParameterOverrides.N.ParameterValue parameters.");
  EXPECT_EQ(key->description.back().line, 22);
  ASSERT_EQ(doc->errors.size(), 2u);
  EXPECT_EQ(doc->errors[0].status, "409");
  EXPECT_EQ(doc->errors[0].code, "StackInstanceExists");
  EXPECT_EQ(doc->errors[1].status, "409");
  EXPECT_EQ(doc->errors[1].code, "StackGroupOperationInProgress");
  EXPECT_EQ(doc->errors[1].message, "Another Operation on StackGroup ({name}) is in progress.");
}

// Mutated real docs: extraction returns a value or an error, never crashes or
// hangs, and any line it names exists.
RC_GTEST_PROP(ExtractMarkdownProperty, NeverCrashesOnMutatedDocs, ()) {
  static const std::vector<std::string> docs = {read_doc("aliyun-ecs-CreateDeploymentSet.md"),
                                                read_doc("aliyun-ecs-CreateInstance.md"),
                                                read_doc("aliyun-ros-CreateStackInstances.md")};
  std::string md = docs[*rc::gen::inRange<std::size_t>(0, docs.size())];
  // Mostly markdown's structural bytes; in one case of four also any byte,
  // which is mostly invalid UTF-8 or a control byte and so an early error.
  const bool binary = *rc::gen::inRange(0, 4) == 0;
  const auto byte = rc::gen::weightedOneOf<char>(
      {{8, rc::gen::element('|', '`', '\n', ' ', '\\', '-', '#', '<', '*', '~', '>', '_', ':')},
       {3, rc::gen::inRange<char>(' ', '~')},
       {binary ? 1u : 0u, rc::gen::arbitrary<char>()}});
  const auto ops = *rc::gen::container<std::vector<std::tuple<int, std::size_t, char>>>(
      rc::gen::tuple(rc::gen::inRange(0, 10), rc::gen::arbitrary<std::size_t>(), byte));
  for (const auto& [op, at, c] : ops) {
    const std::size_t pos = at % (md.size() + 1);
    if (op < 6) md.insert(pos, 1, c);
    else if (op < 9) md.erase(pos, std::min<std::size_t>(at % 17, md.size() - pos));
    else md.resize(pos);
  }
  const auto doc = extract_markdown("m.md", md);
  RC_CLASSIFY(doc.has_value(), "extracted");
  RC_CLASSIFY(!doc.has_value(), "error");
  if (!doc) {
    RC_ASSERT(doc.error().where.starts_with("m.md"));
    return;
  }
  const int n = static_cast<int>(std::count(md.begin(), md.end(), '\n')) + 1;
  auto in_doc = [n](int line) { return line >= 1 && line <= n; };
  for (const auto* table : {&doc->request, &doc->response}) {
    for (const RawParam& p : *table) {
      RC_ASSERT(in_doc(p.line));
      for (const TextLine& l : p.description) RC_ASSERT(in_doc(l.line));
    }
  }
  for (const RawError& e : doc->errors) RC_ASSERT(in_doc(e.line));
  for (const TextLine& l : doc->prose) RC_ASSERT(in_doc(l.line));
  for (const RawExample& e : doc->examples) RC_ASSERT(in_doc(e.line));
}


}  // namespace
}  // namespace conform::import
