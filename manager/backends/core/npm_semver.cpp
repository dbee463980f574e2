// node-semver's ranges (lib: classes/range.js, classes/comparator.js), strict
// mode, includePrerelease off. A range is first rewritten into plain
// comparators exactly as node-semver rewrites it ("~1.2" becomes
// ">=1.2.0 <1.3.0-0"), then tested comparator by comparator.
#include "manager/backends/core/npm_semver.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace rtx::backends::core {
namespace {

// node-semver's limits: longer strings and larger numbers are not versions.
constexpr std::size_t kMaxLength = 256;
constexpr std::uint64_t kMaxSafeInteger = 9007199254740991;  // Number.MAX_SAFE_INTEGER

struct Version {
  std::uint64_t major = 0, minor = 0, patch = 0;
  std::vector<std::string> prerelease;
};

// A version in a range, where x, X, * or a missing part is a wildcard
// (nullopt). Kept normalized: a wildcard makes every later part one, and a
// prerelease only follows a patch.
struct Partial {
  std::optional<std::uint64_t> major, minor, patch;
  std::vector<std::string> prerelease;
};

enum class Op { Any, Eq, Lt, Le, Gt, Ge };

struct Comparator {
  Op op = Op::Any;
  Version version;
  static Comparator of(Op op, Version version) { return Comparator{op, std::move(version)}; }
};

using ComparatorSet = std::vector<Comparator>;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool all_digits(std::string_view s) { return std::all_of(s.begin(), s.end(), is_digit); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    std::size_t end = s.find(sep, start);
    parts.push_back(s.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (is_space(s[i])) {
      ++i;
      continue;
    }
    std::size_t start = i;
    while (i < s.size() && !is_space(s[i])) ++i;
    out.push_back(s.substr(start, i - start));
  }
  return out;
}

// "0" or digits without a leading zero, up to MAX_SAFE_INTEGER.
std::optional<std::uint64_t> parse_number(std::string_view s) {
  if (s.empty() || s.size() > 16 || !all_digits(s) || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : s) value = value * 10 + static_cast<std::uint64_t>(c - '0');
  if (value > kMaxSafeInteger) return std::nullopt;
  return value;
}

// Dot-separated identifiers of [0-9A-Za-z-]; numeric prerelease identifiers
// may not have a leading zero (build metadata ones may).
std::optional<std::vector<std::string>> parse_identifiers(std::string_view s, bool prerelease) {
  std::vector<std::string> ids;
  for (std::string_view id : split(s, '.')) {
    bool chars_ok = std::all_of(id.begin(), id.end(), [](char c) { return is_digit(c) || is_alpha(c) || c == '-'; });
    if (id.empty() || !chars_ok) return std::nullopt;
    if (prerelease && all_digits(id) && id.size() > 1 && id[0] == '0') return std::nullopt;
    ids.emplace_back(id);
  }
  return ids;
}

// Splits "<dotted>[-prerelease][+build]", checking and dropping the build.
struct Dotted {
  std::vector<std::string_view> parts;
  std::vector<std::string> prerelease;
  bool has_suffix = false;  // a '-' or '+' part was present
};

std::optional<Dotted> parse_dotted(std::string_view s) {
  Dotted d;
  if (std::size_t plus = s.find('+'); plus != std::string_view::npos) {
    if (!parse_identifiers(s.substr(plus + 1), false)) return std::nullopt;
    s = s.substr(0, plus);
    d.has_suffix = true;
  }
  if (std::size_t dash = s.find('-'); dash != std::string_view::npos) {
    auto pre = parse_identifiers(s.substr(dash + 1), true);
    if (!pre) return std::nullopt;
    d.prerelease = std::move(*pre);
    s = s.substr(0, dash);
    d.has_suffix = true;
  }
  d.parts = split(s, '.');
  return d;
}

std::optional<Version> parse_version(std::string_view text) {
  text = trim(text);
  if (text.size() > kMaxLength) return std::nullopt;
  if (!text.empty() && text.front() == '=') text.remove_prefix(1);
  if (!text.empty() && text.front() == 'v') text.remove_prefix(1);
  auto d = parse_dotted(text);
  if (!d || d->parts.size() != 3) return std::nullopt;
  auto major = parse_number(d->parts[0]), minor = parse_number(d->parts[1]), patch = parse_number(d->parts[2]);
  if (!major || !minor || !patch) return std::nullopt;
  return Version{*major, *minor, *patch, std::move(d->prerelease)};
}

// node-semver's XRANGEPLAIN: [v=]* then 1 to 3 parts, each a number or x/X/*;
// a prerelease or build only after a third part.
std::optional<Partial> parse_partial(std::string_view s) {
  while (!s.empty() && (s.front() == 'v' || s.front() == '=')) s.remove_prefix(1);
  auto d = parse_dotted(s);
  if (!d || d->parts.size() > 3 || (d->has_suffix && d->parts.size() < 3)) return std::nullopt;
  std::optional<std::uint64_t> nums[3];
  for (std::size_t i = 0; i < d->parts.size(); ++i) {
    std::string_view part = d->parts[i];
    if (part == "x" || part == "X" || part == "*") continue;
    nums[i] = parse_number(part);
    if (!nums[i]) return std::nullopt;
  }
  Partial p;
  p.major = nums[0];
  if (p.major) p.minor = nums[1];
  if (p.minor) p.patch = nums[2];
  if (p.patch) p.prerelease = std::move(d->prerelease);
  return p;
}

int compare_identifiers(const std::string& a, const std::string& b) {
  bool a_num = all_digits(a), b_num = all_digits(b);
  // Numeric identifiers sort first; having no leading zeros, a longer one is larger.
  if (a_num != b_num) return a_num ? -1 : 1;
  if (a_num && a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

int compare_versions(const Version& a, const Version& b) {
  if (a.major != b.major) return a.major < b.major ? -1 : 1;
  if (a.minor != b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch != b.patch) return a.patch < b.patch ? -1 : 1;
  if (a.prerelease.empty() || b.prerelease.empty())  // a release is above its prereleases
    return a.prerelease.size() == b.prerelease.size() ? 0 : a.prerelease.empty() ? 1 : -1;
  for (std::size_t i = 0; i < a.prerelease.size() && i < b.prerelease.size(); ++i)
    if (int c = compare_identifiers(a.prerelease[i], b.prerelease[i])) return c;
  if (a.prerelease.size() == b.prerelease.size()) return 0;
  return a.prerelease.size() < b.prerelease.size() ? -1 : 1;
}

Version make_version(std::uint64_t major, std::uint64_t minor, std::uint64_t patch,
                     std::vector<std::string> prerelease = {}) {
  return Version{major, minor, patch, std::move(prerelease)};
}

// "<M.m.p-0": below every prerelease of M.m.p, so "<2.0.0-0" excludes 2.0.0-rc.1.
Comparator below(std::uint64_t major, std::uint64_t minor, std::uint64_t patch) {
  return Comparator::of(Op::Lt, make_version(major, minor, patch, {"0"}));
}

Comparator exactly(Op op, const Partial& p) {
  return Comparator::of(op, make_version(*p.major, *p.minor, *p.patch, p.prerelease));
}

// The set a partial stands for alone or after '=': "1" → [1.0.0, 2.0.0-0).
ComparatorSet x_range(const Partial& p) {
  if (!p.major) return {Comparator{}};
  if (!p.minor) return {Comparator::of(Op::Ge, make_version(*p.major, 0, 0)), below(*p.major + 1, 0, 0)};
  if (!p.patch) return {Comparator::of(Op::Ge, make_version(*p.major, *p.minor, 0)), below(*p.major, *p.minor + 1, 0)};
  return {exactly(Op::Eq, p)};
}

// "<1.2" is "<1.2.0-0", ">1.2" is ">=1.3.0", "<=1.2" is "<1.3.0-0".
ComparatorSet compare_x_range(Op op, const Partial& p) {
  if (p.patch) return {exactly(op, p)};
  if (!p.major) return {op == Op::Lt || op == Op::Gt ? below(0, 0, 0) : Comparator{}};  // <0.0.0-0: nothing
  std::uint64_t major = *p.major, minor = p.minor.value_or(0);
  bool next_major = !p.minor;
  switch (op) {
    case Op::Gt:
      return {Comparator::of(Op::Ge, next_major ? make_version(major + 1, 0, 0) : make_version(major, minor + 1, 0))};
    case Op::Le:
      return {next_major ? below(major + 1, 0, 0) : below(major, minor + 1, 0)};
    case Op::Lt:
      return {below(major, minor, 0)};
    default:
      return {Comparator::of(Op::Ge, make_version(major, minor, 0))};
  }
}

// "~1.2.3" → [1.2.3, 1.3.0-0), "~1" → [1.0.0, 2.0.0-0).
ComparatorSet tilde(const Partial& p) {
  if (!p.patch) return x_range(p);
  return {exactly(Op::Ge, p), below(*p.major, *p.minor + 1, 0)};
}

// "^1.2.3" → [1.2.3, 2.0.0-0), "^0.2.3" → [0.2.3, 0.3.0-0), "^0.0.3" → [0.0.3, 0.0.4-0).
ComparatorSet caret(const Partial& p) {
  if (!p.minor) return x_range(p);
  std::uint64_t major = *p.major, minor = *p.minor;
  Comparator lower = Comparator::of(Op::Ge, make_version(major, minor, p.patch.value_or(0), p.prerelease));
  if (major != 0) return {lower, below(major + 1, 0, 0)};
  if (minor != 0 || !p.patch) return {lower, below(0, minor + 1, 0)};
  return {lower, below(0, 0, *p.patch + 1)};
}

// "1.2 - 2.3.4" → [1.2.0, 2.3.4]; a partial upper end includes all it names.
ComparatorSet hyphen(const Partial& from, const Partial& to) {
  ComparatorSet set;
  if (from.patch)
    set.push_back(exactly(Op::Ge, from));
  else if (from.major)
    set.push_back(Comparator::of(Op::Ge, make_version(*from.major, from.minor.value_or(0), 0)));
  if (to.patch)
    set.push_back(exactly(Op::Le, to));
  else if (to.minor)
    set.push_back(below(*to.major, *to.minor + 1, 0));
  else if (to.major)
    set.push_back(below(*to.major + 1, 0, 0));
  return set;
}

bool same_comparator(const Comparator& a, const Comparator& b) {
  return a.op == b.op && (a.op == Op::Any || compare_versions(a.version, b.version) == 0);
}

bool is_null_set(const Comparator& c) {
  return c.op == Op::Lt && compare_versions(c.version, below(0, 0, 0).version) == 0;
}
bool is_any(const ComparatorSet& set) { return set.size() == 1 && set[0].op == Op::Any; }

// As node-semver simplifies a set: ">=0.0.0" is any, duplicates and any go
// when other comparators remain, a "<0.0.0-0" (nothing) is the whole set.
ComparatorSet simplify(const ComparatorSet& set) {
  ComparatorSet out;
  for (Comparator c : set) {
    if (c.op == Op::Ge && compare_versions(c.version, make_version(0, 0, 0)) == 0) c = Comparator{};
    if (is_null_set(c)) return {c};
    if (std::none_of(out.begin(), out.end(), [&](const Comparator& o) { return same_comparator(o, c); }))
      out.push_back(c);
  }
  if (out.size() > 1) std::erase_if(out, [](const Comparator& c) { return c.op == Op::Any; });
  if (out.empty()) out.push_back(Comparator{});
  return out;
}

// The operator at the start of a word, longest first: "~>" is node's "~".
std::pair<std::string_view, std::string_view> split_operator(std::string_view word) {
  for (std::string_view op : {"~>", "~", "^", ">=", "<=", ">", "<", "="})
    if (word.substr(0, op.size()) == op) return {op, word.substr(op.size())};
  return {"", word};
}

ComparatorSet comparators_for(std::string_view op, const Partial& p) {
  if (op == "~" || op == "~>") return tilde(p);
  if (op == "^") return caret(p);
  if (op == ">") return compare_x_range(Op::Gt, p);
  if (op == ">=") return compare_x_range(Op::Ge, p);
  if (op == "<") return compare_x_range(Op::Lt, p);
  if (op == "<=") return compare_x_range(Op::Le, p);
  return x_range(p);  // "=" or none
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// One '||'-separated set: "A - B" alone, or whitespace-separated comparators,
// where an operator may stand apart from its version (">= 1.2", "~ 1").
Expected<ComparatorSet> parse_set(std::string_view text) {
  std::vector<std::string_view> ws = words(text);
  ComparatorSet set;
  if (ws.size() == 3 && ws[1] == "-") {
    auto from = parse_partial(ws[0]), to = parse_partial(ws[2]);
    if (!from || !to) return make_error(quoted(from ? ws[2] : ws[0]) + " is not a version in a hyphen range");
    return simplify(hyphen(*from, *to));
  }
  for (std::size_t i = 0; i < ws.size(); ++i) {
    auto [op, body] = split_operator(ws[i]);
    if (body.empty()) {
      if (i + 1 == ws.size()) return make_error("no version after " + quoted(op));
      body = ws[++i];
    }
    auto p = parse_partial(body);
    if (!p) return make_error(quoted(body) + " is not a version");
    for (Comparator& c : comparators_for(op, *p)) set.push_back(std::move(c));
  }
  return simplify(set);
}

bool test(const Comparator& c, const Version& v) {
  if (c.op == Op::Any) return true;
  int r = compare_versions(v, c.version);
  switch (c.op) {
    case Op::Eq:
      return r == 0;
    case Op::Lt:
      return r < 0;
    case Op::Le:
      return r <= 0;
    case Op::Gt:
      return r > 0;
    case Op::Ge:
      return r >= 0;
    default:
      return true;
  }
}

// A prerelease must also be named by the set with the same major.minor.patch.
// The "-0" upper bounds never qualify: no version below M.m.p-0 is an M.m.p.
bool test_set(const ComparatorSet& set, const Version& v) {
  if (!std::all_of(set.begin(), set.end(), [&](const Comparator& c) { return test(c, v); })) return false;
  if (v.prerelease.empty()) return true;
  return std::any_of(set.begin(), set.end(), [&](const Comparator& c) {
    return c.op != Op::Any && !c.version.prerelease.empty() && c.version.major == v.major &&
           c.version.minor == v.minor && c.version.patch == v.patch;
  });
}

std::string to_string(const Comparator& c) {
  static constexpr std::string_view kOps[] = {"", "", "<", "<=", ">", ">="};
  if (c.op == Op::Any) return "";
  std::string s = std::string(kOps[static_cast<int>(c.op)]) + std::to_string(c.version.major) + "." +
                  std::to_string(c.version.minor) + "." + std::to_string(c.version.patch);
  for (std::size_t i = 0; i < c.version.prerelease.size(); ++i) s += (i == 0 ? "-" : ".") + c.version.prerelease[i];
  return s;
}

}  // namespace

struct NpmRange::Sets {
  std::vector<ComparatorSet> sets;
  bool satisfied_by(const Version& v) const {
    return std::any_of(sets.begin(), sets.end(), [&](const ComparatorSet& s) { return test_set(s, v); });
  }
};

Expected<NpmRange> parse_npm_range(std::string_view text) {
  auto parsed = std::make_shared<NpmRange::Sets>();
  std::vector<ComparatorSet>& sets = parsed->sets;
  std::string_view rest = text;
  for (;;) {
    std::size_t bars = rest.find("||");
    auto set = parse_set(rest.substr(0, bars));
    if (!set) return make_error(quoted(text) + " is not an npm version range (" + set.error() + ")");
    sets.push_back(std::move(*set));
    if (bars == std::string_view::npos) break;
    rest = rest.substr(bars + 2);
  }
  // As node-semver: sets that admit nothing go unless all do; a set that
  // admits anything makes the whole range "*".
  if (sets.size() > 1) {
    ComparatorSet first = sets[0];
    std::erase_if(sets, [](const ComparatorSet& s) { return is_null_set(s[0]); });
    if (sets.empty()) sets.push_back(first);
    if (auto any = std::find_if(sets.begin(), sets.end(), is_any); any != sets.end()) sets = {*any};
  }
  return NpmRange(std::move(parsed));
}

std::string NpmRange::normalized() const {
  std::string out;
  for (const ComparatorSet& set : sets_->sets) {
    if (!out.empty()) out += "||";
    std::string s;
    for (const Comparator& c : set) s += (s.empty() ? "" : " ") + to_string(c);
    out += s;
  }
  return out.empty() ? "*" : out;
}

bool npm_satisfies(const NpmRange& range, std::string_view version) {
  auto v = parse_version(version);
  return v && range.sets_->satisfied_by(*v);
}

std::optional<std::string> npm_max_satisfying(const std::vector<std::string>& versions, const NpmRange& range) {
  const std::string* best = nullptr;
  std::optional<Version> best_version;
  for (const std::string& s : versions) {
    auto v = parse_version(s);
    if (!v || !range.sets_->satisfied_by(*v)) continue;
    if (best_version && compare_versions(*v, *best_version) <= 0) continue;
    best = &s;
    best_version = std::move(v);
  }
  if (!best) return std::nullopt;
  return *best;
}

int npm_compare(std::string_view a, std::string_view b) {
  auto va = parse_version(a), vb = parse_version(b);
  if (!va || !vb) return va ? 1 : vb ? -1 : 0;
  return compare_versions(*va, *vb);
}

}  // namespace rtx::backends::core
