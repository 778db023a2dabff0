// libFuzzer target: RPC query and form decoding, in the emulator (emulator/wire.h,
// emulator/params.h) and in the oracle's request reading (oracles/dialect.h,
// oracles/request.h), side by side. The input is a query string, optionally
// followed by a newline and a form body (what an aliyun-rpc POST carries).
// Properties, beyond no crash: both decode the same (name, value) pairs
// (docs/decisions.md section 2: '+' is a space, a stray '%' stays); both take the
// first occurrence of a name; and for every parameter a rule of an aliyun-rpc spec
// names (indexed families such as DataDisk.N.Size, Json-in-query members such as
// OperationPreferences.FailureToleranceCount), both find the same values.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "emulator/params.h"
#include "emulator/wire.h"
#include "fuzz/embedded.h"
#include "fuzz/fuzz_check.h"
#include "oracles/compiled.h"
#include "oracles/dialect.h"
#include "oracles/request.h"

namespace {

using nlohmann::json;
namespace emu = conform::emulator;
namespace orc = conform::oracle;

std::string show(const conform::Pairs& ps) {
  std::string out;
  for (const auto& [k, v] : ps) out += "[" + k + "]=[" + v + "]\n";
  return out;
}

// A parameter path a rule names, resolved once by both sides (resolving per input
// cost more than the decoding under test).
struct Path {
  std::string text;
  std::optional<emu::PathRef> eref;
  orc::PathRef oref;
  std::string head;  // the first segment, lower case ("datadisk" for DataDisk.N.Size)
};

std::string lower_head(std::string_view name) {
  std::string out(name.substr(0, name.find('.')));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Every aliyun-rpc spec with the distinct parameter paths its rules name.
struct Target {
  const conform::spec::Spec* spec;
  std::vector<Path> paths;
};

// (target, path) indices into targets(), by the paths' lower-case first segment:
// an input reaches only the paths under the heads it names.
struct HeadPaths {
  std::string head;
  std::vector<std::pair<std::size_t, std::size_t>> paths;  // ascending
};

struct Targets {
  std::vector<Target> all;
  std::vector<HeadPaths> by_head;  // sorted by head
};

const Targets& targets() {
  static const Targets built = [] {
    Targets out;
    for (const auto& s : conform::fuzz::project_specs()) {
      if (s.dialect != "aliyun-rpc") continue;
      Target t{&s, {}};
      std::vector<std::string> seen;
      for (const auto& r : s.rules) {
        for (const auto& p : r.params) {
          if (std::find(seen.begin(), seen.end(), p) != seen.end()) continue;
          seen.push_back(p);
          t.paths.push_back({p, emu::resolve_path(s, p), orc::resolve_path(s, p), lower_head(p)});
          // Both sides resolve a path the same way: a property of the specs, not of
          // the input, so checked once here (every execution checked it before).
          const Path& pr = t.paths.back();
          FUZZ_CHECK(pr.eref.has_value() == (pr.oref.top != nullptr || pr.oref.family), s.op + " " + p);
        }
      }
      out.all.push_back(std::move(t));
    }
    for (std::size_t ti = 0; ti < out.all.size(); ++ti) {
      for (std::size_t pi = 0; pi < out.all[ti].paths.size(); ++pi) {
        const Path& pr = out.all[ti].paths[pi];
        if (!pr.eref) continue;
        auto it = std::find_if(out.by_head.begin(), out.by_head.end(),
                               [&](const HeadPaths& h) { return h.head == pr.head; });
        if (it == out.by_head.end()) it = out.by_head.insert(out.by_head.end(), HeadPaths{pr.head, {}});
        it->paths.emplace_back(ti, pi);
      }
    }
    std::sort(out.by_head.begin(), out.by_head.end(),
              [](const HeadPaths& a, const HeadPaths& b) { return a.head < b.head; });
    return out;
  }();
  return built;
}

// A scalar as both sides compare it: a string as it is, others by their JSON text.
std::string scalar_text(const json& j) {
  if (j.is_string()) return j.get<std::string>();
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::vector<std::string> emulator_values(const emu::Params& p, const emu::PathRef& ref) {
  std::vector<std::string> out;
  for (const emu::Binding& b : p.instances(ref)) {
    const emu::Value v = p.get(ref, b);
    if (!v.present) continue;
    if (v.from_json && v.json && v.json->is_structured()) continue;
    out.push_back(v.from_json && v.json ? scalar_text(*v.json) : v.text);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> oracle_values(const orc::View& view, const orc::PathRef& ref) {
  std::vector<std::string> out;
  for (const orc::Instance& i : view.instances(ref, orc::Binding{})) {
    if (!i.value.text && i.value.j->is_structured()) continue;
    out.push_back(orc::value_text(i.value));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += "[" + s + "]";
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t nl = input.find('\n');
  const std::string_view query = input.substr(0, nl);
  const std::string_view form = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);

  // (emulator::parse_query's pairs are conform::Pairs: compared without a copy.)
  const conform::Pairs emu_query = emu::parse_query(query);
  const conform::Pairs orc_query = orc::decode_form(query);
  FUZZ_CHECK(emu_query == orc_query, show(orc_query), show(emu_query));
  const conform::Pairs emu_form = emu::parse_query(form);
  const conform::Pairs orc_form = orc::decode_form(form);
  FUZZ_CHECK(emu_form == orc_form, show(orc_form), show(emu_form));

  // A POST reads the query, then the form; the first occurrence counts.
  emu::Params p;
  emu::add_first(p.query, emu_query);
  emu::add_first(p.query, emu_form);
  conform::Pairs all = orc_query;
  all.insert(all.end(), orc_form.begin(), orc_form.end());
  for (const auto& [name, value] : p.query) {
    const std::string* first = nullptr;
    for (const auto& [k, v] : all) {
      if (k == name) {
        first = &v;
        break;
      }
    }
    FUZZ_CHECK(first && *first == value, name);
  }

  // A path is compared when the input names its first segment (in any case, so a
  // side that matched names case-insensitively would still be caught): a path the
  // input does not touch has no value on either side, and comparing the ~150 paths
  // of the rpc specs on every input cost more than the decoding under test.
  const Targets& ts = targets();
  std::vector<std::pair<std::size_t, std::size_t>> touched;  // (target, path), ascending
  {
    std::vector<std::string> heads;
    heads.reserve(all.size());
    for (const auto& kv : all) heads.push_back(lower_head(kv.first));
    std::sort(heads.begin(), heads.end());
    heads.erase(std::unique(heads.begin(), heads.end()), heads.end());
    for (const std::string& h : heads) {
      auto it = std::lower_bound(ts.by_head.begin(), ts.by_head.end(), h,
                                 [](const HeadPaths& e, const std::string& k) { return e.head < k; });
      if (it != ts.by_head.end() && it->head == h) touched.insert(touched.end(), it->paths.begin(), it->paths.end());
    }
    std::sort(touched.begin(), touched.end());
  }
  // The oracle reads every input's parameters (its View), touched or not.
  const orc::View view(all, nullptr, {});
  emu::Params tp;  // the query, read once; each spec's Json-in-query texts in turn
  tp.query = std::move(p.query);
  for (std::size_t k = 0; k < touched.size();) {
    const Target& t = ts.all[touched[k].first];
    tp.json_texts.clear();
    // Json-in-query texts, as the emulator's handler parses them. Texts nested
    // near the depth limit (decisions.md section 2) are the differential target's
    // business; here only the reading of members is compared.
    for (const auto& param : t.spec->params) {
      if (param.type != conform::spec::ParamType::Json || param.in != conform::spec::Location::query) continue;
      auto it = tp.query.find(param.name);
      if (it == tp.query.end()) continue;
      if (conform::nul_at(it->second) != std::string::npos) continue;  // no JSON text, on both sides
      json j = json::parse(it->second, nullptr, /*allow_exceptions=*/false);
      if (!j.is_discarded() && orc::json_depth(j) < orc::kMaxJsonDepth) tp.json_texts.emplace(param.name, std::move(j));
    }
    for (; k < touched.size() && &ts.all[touched[k].first] == &t; ++k) {
      const Path& pr = t.paths[touched[k].second];
      const std::string& path = pr.text;
      const emu::PathRef& eref = *pr.eref;
      const orc::PathRef& oref = pr.oref;
      if (eref.indexed) {  // the indices of the family, ascending, as both read them
        const auto a = view.indices(oref.prefix);
        const auto b = tp.indices(eref.family);
        FUZZ_CHECK(a == b, t.spec->op + " " + path + " indices: oracle " + joined(a), "emulator " + joined(b));
      }
      if (eref.family_only || eref.root->in != conform::spec::Location::query) continue;
      // A Json text deeper than the limit: members are the type rule's business.
      if (!eref.members.empty() && !tp.json_texts.count(eref.root->name)) continue;
      const auto a = oracle_values(view, oref);
      const auto b = emulator_values(tp, eref);
      FUZZ_CHECK(a == b, t.spec->op + " " + path + " oracle " + joined(a), "emulator " + joined(b));
    }
  }
  return 0;
}
