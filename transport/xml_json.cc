// XML bodies (aliyun-rpc with Format=XML) read into the JSON shape the verdicts
// use, so that a check looks up "RequestId" the same way in both formats.
#include <pugixml.hpp>

#include <nlohmann/json.hpp>

#include "transport/dialect.h"

namespace conform::transport {
namespace {

using nlohmann::json;

constexpr int kMaxDepth = 64;

bool has_element_children(const pugi::xml_node& node) {
  for (const pugi::xml_node& c : node.children()) {
    if (c.type() == pugi::node_element) return true;
  }
  return false;
}

// Elements with element children become objects (a repeated name an array);
// leaves become their text. Returns false when nesting is too deep.
bool convert(const pugi::xml_node& node, int depth, json& out) {
  if (depth > kMaxDepth) return false;
  if (!has_element_children(node)) {
    out = node.text().as_string();
    return true;
  }
  out = json::object();
  for (const pugi::xml_node& c : node.children()) {
    if (c.type() != pugi::node_element) continue;
    json value;
    if (!convert(c, depth + 1, value)) return false;
    auto it = out.find(c.name());
    if (it == out.end()) {
      out[c.name()] = std::move(value);
    } else {
      // convert() never yields an array, so an array here came from repetition:
      // a second element of one name turns the member into an array of both.
      if (!it->is_array()) {
        json first = std::move(*it);
        *it = json::array({std::move(first)});
      }
      it->push_back(std::move(value));
    }
  }
  return true;
}

}  // namespace

Result<json> xml_to_json(std::string_view xml, std::string* root_name) {
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    return fail("byte " + std::to_string(parsed.offset), parsed.description());
  }
  pugi::xml_node root = doc.document_element();
  if (!root) return fail("byte 0", "no root element");
  if (root_name) *root_name = root.name();
  json out;
  if (!convert(root, 0, out)) return fail(root.name(), "elements nested deeper than 64 levels");
  return out;
}

}  // namespace conform::transport
