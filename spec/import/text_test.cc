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
#include "spec/import/text_split.h"

namespace conform::import {
namespace {

using text_detail::split_error_row;
using text_detail::split_param_row;

std::string read_doc(const std::string& name) {
  std::ifstream in(std::string(CONFORM_SOURCE_DIR) + "/apidocs/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// name|type|required|description of a split row, "-" when it does not split.
std::string param(std::string_view row, bool required) {
  auto p = split_param_row(row, required, 1);
  if (!p) return "-";
  return p->name + "|" + p->type + "|" + p->required + "|" +
         (p->description.empty() ? "" : p->description[0].text);
}

// status|code|message|description of a split error row, "-" when it does not split.
std::string error(std::string_view row) {
  auto e = split_error_row(row, 1);
  return e ? e->status + "|" + e->code + "|" + e->message + "|" + e->description : "-";
}

TEST(TextSplit, ParamRowsSplitAtTheTypeWord) {
  EXPECT_EQ(param("NameStringYesCluster name.", true), "Name|String|Yes|Cluster name.");
  EXPECT_EQ(param("InstanceTypestringYesType of an instance for setting up a cluster.", true),
            "InstanceType|string|Yes|Type of an instance for setting up a cluster.");
  EXPECT_EQ(param("IdempotentTokenStringNoIdempotence used.", true),
            "IdempotentToken|String|No|Idempotence used.");
  EXPECT_EQ(param("NotificationobjectNoNotification message configuration.", true),
            "Notification|object|No|Notification message configuration.");
  EXPECT_EQ(param("DataDisk.N.SizeIntegerNo", true), "DataDisk.N.Size|Integer|No|");
  EXPECT_EQ(param("IdStringJob ID.", false), "Id|String||Job ID.");
}

TEST(TextSplit, ParamSplitPrefersANameThatLeavesAPlainDescription) {
  // "Max|Long|ValueLongThe..." would leave a CamelCase first word.
  EXPECT_EQ(param("MaxLongValueLongThe largest value.", false), "MaxLongValue|Long||The largest value.");
  // A type word inside the name, with Yes/No pinning the split.
  EXPECT_EQ(param("StringListStringYesThe list.", true), "StringList|String|Yes|The list.");
  EXPECT_EQ(param("LongitudeFloatNoWhere.", true), "Longitude|Float|No|Where.");
}

TEST(TextSplit, ParamRowsThatDoNotSplit) {
  EXPECT_EQ(param("Cluster name is required.", true), "-");   // a space before any type word
  EXPECT_EQ(param("NameStringMaybe.", true), "-");            // no Yes/No
  EXPECT_EQ(param("StringYesCluster.", true), "-");           // empty name
  EXPECT_EQ(param("9NameStringYesX.", true), "-");            // not an identifier
}

TEST(TextSplit, ErrorRowsSplitIntoCodeMessageStatusDescription) {
  EXPECT_EQ(error("IdempotentTokenMismatchSpecified idempotent token mismatch.400The token has been used."),
            "400|IdempotentTokenMismatch|Specified idempotent token mismatch.|The token has been used.");
  EXPECT_EQ(error("MissingNameName is mandatory for this action.400The parameter Name is missing."),
            "400|MissingName|Name is mandatory for this action.|The parameter Name is missing.");
  EXPECT_EQ(error("InvalidNameSpecified parameter Name is not valid. Its length must be in [1, 64].400The "
                  "length of Name must be in the range of [1, 64]."),
            "400|InvalidName|Specified parameter Name is not valid. Its length must be in [1, 64].|The "
            "length of Name must be in the range of [1, 64].");
  EXPECT_EQ(error("QuotaExhausted.MaxClusterCountThe MaxClusterCount ({value}) quota is exhausted.403The "
                  "number of clusters cannot exceed {value}."),
            "403|QuotaExhausted.MaxClusterCount|The MaxClusterCount ({value}) quota is exhausted.|The "
            "number of clusters cannot exceed {value}.");
  EXPECT_EQ(error("Invalid{Parameter}Specified parameter {Parameter} is not valid.400The {Parameter} "
                  "parameter is invalid."),
            "400|Invalid{Parameter}|Specified parameter {Parameter} is not valid.|The {Parameter} "
            "parameter is invalid.");
  EXPECT_EQ(error("InvalidJsonFormatThe request body has an invalid json format.400The request body has "
                  "an invalid JSON format."),
            "400|InvalidJsonFormat|The request body has an invalid json format.|The request body has an "
            "invalid JSON format.");
}

TEST(TextSplit, ErrorRowFallbacks) {
  // No marker: the code ends at the first word's last CamelCase hump.
  EXPECT_EQ(error("ForbiddenUserAccess denied.403You may not."), "403|ForbiddenUser|Access denied.|You may not.");
  // A description may open with a placeholder.
  EXPECT_EQ(error("BadThingThe thing is bad (really).409{Thing} conflicts."),
            "409|BadThing|The thing is bad (really).|{Thing} conflicts.");
  EXPECT_EQ(error("no status here."), "-");
  EXPECT_EQ(error("Code with spaces The message.400The description."), "-");
  EXPECT_EQ(error("the lowercase message.400The description."), "-");
}

const char* kSmallDoc =
    "The 201 status code and the ID are returned:\n"  // 1
    "\n"
    "POST /things?Token={Token}\n"  // 3
    "\n"
    "{\n"  // 5
    "    \"Name\": \"x\"\n"
    "}\n"  // 7
    "\n"
    "Attribute description\n"
    "\n"
    "Attribute Type Required Description\n"  // 11
    "NameStringYesThing name.\n"             // 12
    "this row does not split\n"              // 13
    "TokenStringNoToken.\n"                  // 14
    "\n"
    "Response\n"  // 16
    "\n"
    "{\n"  // 18
    "    \"Id\":\"t-1\"\n"
    "}\n"
    "\n"
    "AttributeTypeDescription\n"  // 22
    "IdStringThing ID.\n"         // 23
    "\n"
    "Error codes\n"  // 25
    "\n"
    "CodeMessageSTATUSDescription\n"  // 27
    "MissingNameName is mandatory for this action.400The parameter Name is missing.\n"  // 28
    "garbage\n";  // 29

TEST(Text, SmallDocTablesExamplesAndProse) {
  auto d = extract_text("apidocs/t.txt", kSmallDoc);
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_EQ(d->format, "text");
  ASSERT_EQ(d->request.size(), 2u);
  EXPECT_EQ(d->request[0].name, "Name");
  EXPECT_EQ(d->request[0].line, 12);
  EXPECT_EQ(d->request[1].name, "Token");
  ASSERT_EQ(d->response.size(), 1u);
  EXPECT_EQ(d->response[0].name, "Id");
  EXPECT_EQ(d->response[0].description[0].line, 23);
  ASSERT_EQ(d->errors.size(), 1u);
  EXPECT_EQ(d->errors[0].code, "MissingName");
  EXPECT_EQ(d->errors[0].line, 28);

  ASSERT_EQ(d->examples.size(), 2u);
  EXPECT_EQ(d->examples[0].kind, "request");
  EXPECT_EQ(d->examples[0].line, 3);
  EXPECT_EQ(d->examples[0].text, "POST /things?Token={Token}\n\n{\n    \"Name\": \"x\"\n}");
  EXPECT_EQ(d->examples[1].kind, "response");
  EXPECT_EQ(d->examples[1].line, 18);

  auto has_prose = [&](std::string_view text, int line) {
    return std::any_of(d->prose.begin(), d->prose.end(),
                       [&](const TextLine& l) { return l.text == text && l.line == line; });
  };
  EXPECT_TRUE(has_prose("The 201 status code and the ID are returned:", 1));
  EXPECT_TRUE(has_prose("POST /things?Token={Token}", 3));
  EXPECT_TRUE(has_prose("UNPARSED: this row does not split", 13));
  EXPECT_TRUE(has_prose("UNPARSED: garbage", 29));
  EXPECT_FALSE(has_prose("Attribute Type Required Description", 11));
}

TEST(Text, LostBracketDoesNotSwallowTheTables) {
  auto d = extract_text("t.txt", "{\n  \"a\": [1, 2\n\nAttributeTypeDescription\nIdStringID.\n");
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_EQ(d->examples.size(), 1u);
  EXPECT_EQ(d->request.size(), 1u);
}

TEST(Text, BadInputIsAnErrorNamingFileAndLine) {
  auto empty = extract_text("e.txt", "  \n");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().where, "e.txt:1");
  auto bad = extract_text("u.txt", "AttributeTypeDescription\nId\xc3String\n");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where, "u.txt:2");
  auto nul = extract_text("n.txt", std::string("x\0", 2));
  ASSERT_FALSE(nul);
  auto none = extract_text("p.txt", "Just prose.\nNameStringYesLooks like a row.\n");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().where, "p.txt:1");
  EXPECT_NE(none.error().what.find("no parameter table"), std::string::npos);
}

TEST(Text, HostileRowsStayFast) {
  std::string row(300000, 'A');
  for (std::size_t i = 0; i < row.size(); i += 7) row.replace(i, 6, ".400Ab");
  auto d = extract_text("h.txt", "Error codes\n\n" + row + "\nAttributeTypeDescription\n" + std::string(300000, 'S'));
  EXPECT_TRUE(d);
}

TEST(TextGolden, BatchComputeCreateCluster) {
  const std::string content = read_doc("aliyun-batchcompute-CreateCluster.txt");
  ASSERT_FALSE(content.empty());
  auto d = extract_text("apidocs/aliyun-batchcompute-CreateCluster.txt", content);
  ASSERT_TRUE(d) << d.error().message();
  std::vector<std::string> request;
  for (const RawParam& p : d->request) request.push_back(p.name + "|" + p.type + "|" + p.required);
  EXPECT_EQ(request, (std::vector<std::string>{
                         "Name|String|Yes", "ImageId|String|Yes", "InstanceType|string|Yes", "Groups|object|Yes",
                         "Description|string|No", "UserData|object|No", "Notification|object|No",
                         "Configs|object|No", "IdempotentToken|String|No"}));
  EXPECT_EQ(d->request[8].line, 97);
  EXPECT_TRUE(d->request[8].description[0].text.starts_with("Idempotence used to guarantee"));
  ASSERT_EQ(d->response.size(), 1u);
  EXPECT_EQ(d->response[0].name + "|" + d->response[0].type + "|" + d->response[0].description[0].text,
            "Id|String|Job ID.");

  // Lines 114-149: one error row each, none left unparsed.
  ASSERT_EQ(d->errors.size(), 36u);
  for (std::size_t i = 0; i < d->errors.size(); ++i) {
    EXPECT_EQ(d->errors[i].line, 114 + static_cast<int>(i));
    EXPECT_TRUE(d->errors[i].status == "400" || d->errors[i].status == "403") << d->errors[i].line;
    EXPECT_TRUE(text_detail::plausible_code(d->errors[i].code)) << d->errors[i].code;
  }
  auto row = [&](int line) {
    const RawError& e = d->errors[static_cast<std::size_t>(line - 114)];
    return e.status + "|" + e.code + "|" + e.message + "|" + e.description;
  };
  EXPECT_EQ(row(115), "400|InvalidJsonFormat|The request body has an invalid json format.|The request body has an invalid JSON format.");
  EXPECT_EQ(row(116), "400|InvalidHttpBody|Specified parameter HttpBody is not valid. Its type must be object.|Http Body must be an object.");
  EXPECT_EQ(row(118), "400|MissingConfigs.Networks.VPC.OppositeRouterId|Configs.Networks.VPC.OppositeRouterId is mandatory for this action.|The parameter Configs.Networks.VPC.OppositeRouterId is missing.");
  EXPECT_EQ(row(123), "400|InvalidName|Specified parameter Name is not valid. It must only contain characters within [a-zA-Z0-9_-], and must not start with [0-9].|Name can contain only letters, numbers, underscores, and hyphens, and cannot start with a number.");
  EXPECT_EQ(row(131), "400|InvalidUserData.{key}|Specified parameter UserData.{key} is not valid. Its length must be in [1, 128].|The size of UserData.{key} must be in the range of [1, 128].");
  EXPECT_EQ(row(132), "400|InvalidUserData.{key}.value|Specified parameter UserData.{key}.value is not valid. Its type must be string.|The value of UserData.{key} must be a string.");
  EXPECT_EQ(row(137), "400|MissingDesiredVMCount|DesiredVMCount is mandatory for this action.|The parameter DesiredVMCount is missing.");
  EXPECT_EQ(row(140), "400|InvalidCidrBlock|Specified parameter CidrBlock is not valid. Configs.Networks.VPC.CidrBlock is not valid.|The CIDRBlock is invalid.");
  EXPECT_EQ(row(141), "403|QuotaExhausted.MaxClusterCount|The MaxClusterCount ({value}) quota is exhausted.|The number of clusters cannot exceed {value}.");
  EXPECT_EQ(row(143), "403|QuotaExhausted.MaxClusterGroupDesiredVMCount|The MaxClusterGroupDesiredVMCount ({value}) quota is exhausted.|DesiredVMCount of a group in a cluster cannot exceed {value}.");
  EXPECT_EQ(row(144), "403|QuotaExhausted.Configs.Networks.VPC.OppositeRouterType|The Configs.Networks.VPC.OppositeRouterType ({value}) is forbidden.|The value of Configs.Networks.VPC.OppositeRouterType cannot be {value}.");
  EXPECT_EQ(row(146), "400|InvalidInstanceType|Specified parameter InstanceType is not valid.|The value of InstanceType is invalid.");
  EXPECT_EQ(row(149), "400|Invalid{Parameter}|Specified parameter {Parameter} is not valid.|The {Parameter} parameter is invalid.");

  ASSERT_EQ(d->examples.size(), 2u);
  EXPECT_EQ(d->examples[0].kind, "request");
  EXPECT_EQ(d->examples[0].line, 3);
  EXPECT_TRUE(d->examples[0].text.starts_with("POST /clusters?IdempotentToken={IdempotentToken}\n\n{"));
  EXPECT_TRUE(d->examples[0].text.ends_with("\"SpotPriceLimit\": 0.0\n        }\n    }\n}"));
  EXPECT_EQ(d->examples[1].kind, "response");
  EXPECT_EQ(d->examples[1].line, 103);
  EXPECT_EQ(d->examples[1].text, "{\n    \"Id\":\"usr-cluster-1\"\n}");

  const auto lines = text::split_lines(content);
  for (const TextLine& l : d->prose) {
    EXPECT_FALSE(l.text.starts_with("UNPARSED")) << l.line << ": " << l.text;
    EXPECT_TRUE(lines[static_cast<std::size_t>(l.line - 1)].starts_with(l.text)) << l.line;
  }
  EXPECT_EQ(d->prose.front().text, "The 201 status code and the cluster ID are returned:");
  EXPECT_EQ(d->prose.front().line, 1);
  for (const auto* list : {&d->request, &d->response})
    for (const RawParam& p : *list)
      for (const TextLine& l : p.description)
        EXPECT_NE(lines[static_cast<std::size_t>(l.line - 1)].find(l.text), std::string_view::npos);
}

RC_GTEST_PROP(TextProp, NeverCrashesOnMutatedDoc,
              (const std::vector<std::tuple<unsigned, unsigned, char>>& edits)) {
  static const std::string original = read_doc("aliyun-batchcompute-CreateCluster.txt");
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
  auto d = extract_text("m.txt", doc);
  if (!d) {
    RC_ASSERT(d.error().where.starts_with("m.txt:"));
    return;
  }
  const int n = static_cast<int>(text::split_lines(doc).size());
  for (const RawError& e : d->errors) RC_ASSERT(e.line >= 1 && e.line <= n && e.status.size() == 3u);
  for (const TextLine& l : d->prose) RC_ASSERT(l.line >= 1 && l.line <= n);
}

RC_GTEST_PROP(TextProp, SplitRowsReassembleToTheRow, (const std::string& row)) {
  // Whatever a split returns, its cells concatenated give back the row.
  if (auto e = split_error_row(row, 1)) {
    const std::string rest = row.substr(e->code.size());
    RC_ASSERT(row.starts_with(e->code));
    RC_ASSERT(rest.find(e->status + e->description) != std::string::npos);
  }
  if (auto p = split_param_row(row, true, 1)) RC_ASSERT(row.starts_with(p->name + p->type + p->required));
}

}  // namespace
}  // namespace conform::import
