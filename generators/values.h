// Values for one parameter slot: the constraints its rules put on it (only the
// rules whose condition holds in the draft), a check of a candidate against
// them, and boundary-valid values (exact min and max lengths and values, every
// enum value, each first-character class, multi-byte UTF-8 where allowed).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "generators/draft.h"
#include "generators/rng.h"

namespace conform::gen {

// Characters a value may draw from, and the single-byte ones among them in the
// same order (build_string picks from one or the other). Shared, never edited:
// Constraints are copied freely and gather() runs for every slot, many times.
struct Chars {
  std::vector<std::string> all, ascii;
};
using CharsRef = std::shared_ptr<const Chars>;
CharsRef make_chars(std::vector<std::string> chars);

struct Constraints {
  const spec::Param* param = nullptr;  // the leaf parameter
  bool text = true;                    // travels as text (query/path), not a JSON value
  std::vector<const spec::Rule*> rules;  // the single-value rules in force
  // Derived: the intersection of what the rules allow.
  std::optional<double> len_lo, len_hi, lo, hi, items_lo, items_hi;
  bool bytes = false;
  std::shared_ptr<const std::vector<std::string>> allowed;  // enum values (intersection), or null
  std::string format;
  CharsRef chars;  // characters every charset rule allows (never null after gather)
  CharsRef first;  // ... that first_char rules allow first
  // The allowed values that satisfy every rule, typed as make_valid() sends them,
  // in `allowed` order: worked out by gather() (null if that threw), since
  // every draft picks among the same few. A copy that changes `text`, `param`
  // or `rules` must reset it.
  std::shared_ptr<const std::vector<nlohmann::json>> enum_ok;
};
// Works out c.enum_ok (make.cc); leaves it null if typing a value throws.
void resolve_enum(Constraints& c);

// Which edge of a rule a boundary-valid value sits on.
enum class Edge { any, low, high };
struct Hint {
  const spec::Rule* rule = nullptr;  // the rule whose valid side is exercised
  Edge edge = Edge::any;
  std::size_t choice = 0;  // which enum value / first-char class
};

Constraints gather(const Env& env, const Slot& slot, const Draft& d, const spec::Rule* except = nullptr);
// The same, without a copy: the reference lives as long as the Env.
const Constraints& constraints(const Env& env, const Slot& slot, const Draft& d, const spec::Rule* except = nullptr);
// The same for a slot whose index entry the caller has already looked up
// (env.index->find(slot.path)).
const Constraints& constraints(const Env& env, const spec::Index::Entry* entry, const Slot& slot, const Draft& d,
                               const spec::Rule* except = nullptr);
bool satisfies(const Constraints& c, const nlohmann::json& v);
bool rule_ok(const spec::Rule& r, const Constraints& c, const nlohmann::json& v);
std::optional<nlohmann::json> make_valid(const Env& env, const Constraints& c, Rng& rng, const Hint& hint = {});
// A string of exactly `n` units from the allowed characters (first-char rules kept).
std::optional<std::string> build_string(const Constraints& c, Rng& rng, std::size_t n, bool multibyte);

// Every character the generators try, ASCII and a few multi-byte ones.
const std::vector<std::string>& universe();
// The characters of `universe()` in the RE2 class body `cls`.
const std::vector<std::string>& members_of(const std::string& cls);
const CharsRef& chars_of(const std::string& cls);  // members_of as Chars
bool in_class(const std::string& cls, const std::string& s);  // RE2 full match of [cls]*
bool is_text_slot(const Env& env, std::string_view path);
// A rule on one parameter's value (type, length, range, enum, characters, ...).
bool is_value_kind(spec::RuleKind k);
// A string matching a simple regular expression (pattern.cc).
std::string sample_pattern(const std::string& pattern, Rng& rng);
// The same with the last (high) or the first (low) of every choice: the last
// alternative, the last member of a class, the most repeats ("GMT-12:00" for
// "GMT[+-]((0[0-9]|1[01]):[0-5][0-9]|12:00)"). Draws nothing.
std::string extreme_pattern(const std::string& pattern, bool high);

}  // namespace conform::gen
