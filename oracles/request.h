// Internal to oracles/: a request's parameters as a service reads them off the
// wire (docs/decisions.md section 2): the first occurrence of a query or form
// name counts, indexed names are N = 0|[1-9][0-9]*, Json-in-query texts are
// parsed once, `null` in a JSON body is absent.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/case.h"
#include "oracles/compiled.h"

namespace conform::oracle {

// One value of a parameter: text off the query/form/path, or a JSON value from
// the body or from inside a Json-in-query text.
struct Value {
  bool text = true;
  std::string_view s;                // when text
  const nlohmann::json* j = nullptr; // when !text
};

// Which index (DataDisk.3) and which map key (Groups.cpu) a rule is being read at,
// so that rules on siblings (DataDisk.N.Size with DataDisk.N.Category) meet.
// Both views point into the View (its indices) or the JSON it reads (an object's
// keys), so a Binding is good while its View lives.
struct Binding {
  std::string_view index;
  std::string_view key;
  bool keyed = false;  // a map key is bound (it may be "")
};

struct Instance {
  Value value;
  Binding at;
};

class View {
 public:
  // `params` are the decoded (name, value) pairs of query and form, in order;
  // the caller keeps them alive as long as the View (they are not copied).
  // With `cs`, the View notes which of its spec's top-level parameters the
  // request sends (absent()) and keeps their values, as it reads the names.
  View(const Pairs& params, const nlohmann::json* body, std::map<std::string, std::string> path_params,
       const CompiledSpec* cs = nullptr);
  ~View();
  View(const View&) = delete;  // first_ points into *params_
  View& operator=(const View&) = delete;

  // Every present instance of `ref` (under `at` where it binds an index or key).
  std::vector<Instance> instances(const PathRef& ref, const Binding& at) const;
  // The same into `out` (cleared first), so a caller can reuse its buffer.
  void instances(const PathRef& ref, const Binding& at, std::vector<Instance>& out) const;
  // Whether `ref` has an instance under `at` (no allocation once warm).
  bool has(const PathRef& ref, const Binding& at) const;
  // False when `ref` can have no instance at all: its top-level parameter is a
  // flat query/form name the request does not send (one hash probe; true for
  // any other kind of parameter).
  bool may_have(const PathRef& ref) const;
  // True when the top-level parameter of `ref` (one of the View's spec) has no
  // instance in the request; false when it has one or the View cannot tell.
  // A bit test: most rules are about parameters a request leaves out.
  bool absent(const PathRef& ref) const {
    const std::size_t pos = position(ref.top);
    return pos < nparams_ && (present_[pos / 64] >> (pos % 64) & 1) == 0;
  }
  // The same by the parameter's position in spec.params (CompiledSpec::gates; < 0: none).
  bool absent_at(std::int32_t pos) const {
    const auto p = static_cast<std::size_t>(pos);
    return pos >= 0 && p < nparams_ && (present_[p / 64] >> (p % 64) & 1) == 0;
  }
  // A bit per top-level parameter of the spec (by position in spec.params) that
  // the request sends; null when the View cannot tell (absent_at() is then
  // false everywhere).
  const std::array<std::uint64_t, 4>* presence() const { return nparams_ != 0 ? &present_ : nullptr; }
  // The indices present in an indexed family (any member of it), ascending;
  // `prefix` ends with the dot before the index ("DataDisk.", PathRef::prefix).
  const std::vector<std::string>& indices(const std::string& prefix) const;
  // The first value of a flat query/form name.
  const std::string* flat(std::string_view name) const;
  const Pairs& params() const { return *params_; }
  const nlohmann::json* body() const { return body_; }
  const std::map<std::string, std::string>& path_params() const { return path_; }

 private:
  void note(const CompiledSpec& cs, std::string_view name, std::size_t hash, ParamWhere where, const Value& value);
  // The position of `top` in the spec's parameters; nparams_ or more if it is none of them.
  std::size_t position(const spec::Param* top) const {
    if (!top || std::less<>()(top, spec_params_)) return nparams_;
    return static_cast<std::size_t>(top - spec_params_);
  }
  void top_instances(const PathRef& ref, const Binding& at, std::vector<Instance>& out) const;
  const nlohmann::json* parsed_json(const std::string& name, std::string_view text) const;

  const Pairs* params_;
  // The first value of each name (into params_), in wire order.
  using Names = std::vector<std::pair<std::string_view, std::string_view>>;
  Names first_;
  // Open addressing over first_ (position + 1, 0 empty; at most half full).
  std::vector<std::uint32_t> slots_;
  const std::string_view* first(std::string_view name) const;
  const std::string_view* first(std::string_view name, std::size_t hash) const;  // hash: spec::path_hash of name
  // Family prefix ("DataDisk.") -> the indices present under it, ascending: every
  // rule on an indexed family asks, so each family is read once (specs have few).
  mutable std::deque<std::pair<std::string, std::vector<std::string>>> indices_;  // deque: references stay valid
  // A bit per top-level parameter of the spec (its position in spec.params):
  // the request sends it; nparams_ == 0: no spec, or more parameters than bits.
  const spec::Param* spec_params_ = nullptr;
  std::size_t nparams_ = 0;
  std::array<std::uint64_t, 4> present_{};
  // The value of each present non-indexed top-level parameter (by position;
  // the others' entries are stale).
  std::vector<Value> top_values_;
  const nlohmann::json* body_;
  std::map<std::string, std::string> path_;
  mutable std::map<std::string, std::optional<nlohmann::json>> json_cache_;
  mutable std::string json_name_;  // parsed_json's key, reused
  mutable std::string member_name_;  // top_instances' "Prefix.<index>.Suffix", reused
  // Reused buffers: the top-level instances of a nested ref, has()'s probe, and
  // the buffers Scans borrow (a rule's lookups allocate nothing once warm). A
  // View takes them from its thread's spares and gives them back when it ends,
  // so that they are warm from one request to the next.
  mutable std::vector<Instance> tops_, probe_;
  mutable std::vector<std::vector<Instance>> pool_;
  friend class Scan;
};

// The instances of one ref in a buffer borrowed from the View and given back
// when the Scan ends; Scans nest (a rule's loop over one ref reading another).
class Scan {
 public:
  Scan(const View& view, const PathRef& ref, const Binding& at) : view_(view) {
    if (!view.pool_.empty()) {
      buf_ = std::move(view.pool_.back());
      view.pool_.pop_back();
    }
    view.instances(ref, at, buf_);
  }
  ~Scan() { view_.pool_.push_back(std::move(buf_)); }
  Scan(const Scan&) = delete;
  Scan& operator=(const Scan&) = delete;

  auto begin() const { return buf_.begin(); }
  auto end() const { return buf_.end(); }
  bool empty() const { return buf_.empty(); }
  const Instance& operator[](std::size_t i) const { return buf_[i]; }

 private:
  const View& view_;
  std::vector<Instance> buf_;
};

// The text a rule compares (enum, when.equals): a string as it is, other JSON
// scalars in their JSON spelling.
std::string value_text(const Value& v);
// The same without a copy where `v` is text or a JSON string (a view of it);
// `scratch` holds the text of any other value. Good while both live.
std::string_view text_view(const Value& v, std::string& scratch);
bool is_empty(const Value& v);
// decisions.md section 2: JSON nested deeper than this is malformed.
inline constexpr std::size_t kMaxJsonDepth = 64;
std::size_t json_depth(const nlohmann::json& j);
// A JSON text as the service parses it: discarded when it is not JSON or nests
// deeper than kMaxJsonDepth, which is found by a scan of the text before any
// tree is built (a tree 100,000 levels deep would exhaust the stack when walked).
nlohmann::json parse_json_value(std::string_view text);
// Index syntax that reaches index_max: "0" or [1-9][0-9]*.
bool index_syntax(std::string_view s);

// Calls `mark(pos)` for each member of family `f` that wire name `name` is an
// instance of: Prefix.<index><suffix>, the index as index_syntax reads it (as
// View::top_instances reads a family).
template <class Mark>
void match_family(const ParamNames::Family& f, std::string_view name, const Mark& mark) {
  if (name.size() <= f.prefix.size() || name[0] != f.prefix[0] || !name.starts_with(f.prefix)) return;
  const std::string_view rest = name.substr(f.prefix.size());
  const std::size_t dot = std::min(rest.find('.'), rest.size());
  if (!index_syntax(rest.substr(0, dot))) return;
  for (const ParamNames::Member& m : f.members) {
    if (rest.substr(dot) == m.suffix) mark(m.pos);
  }
}

}  // namespace conform::oracle
