#include "resolver/version.hpp"

#include <cstdint>

namespace rtx::resolver {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_separator(char c) { return c == '.' || c == '-' || c == '_' || c == '+'; }

// One token of a version: a run of digits or a run of letters (or any other
// character, compared as a letter run). Separators end tokens and vanish.
struct Token {
  std::string_view text;
  bool numeric = false;
};

class Tokenizer {
 public:
  explicit Tokenizer(std::string_view s) : s_(s) {
    if (!s_.empty() && (s_[0] == 'v' || s_[0] == 'V') && s_.size() > 1 && is_digit(s_[1])) s_.remove_prefix(1);
  }
  bool next(Token& t) {
    while (pos_ < s_.size() && is_separator(s_[pos_])) ++pos_;
    if (pos_ >= s_.size()) return false;
    std::size_t start = pos_;
    bool numeric = is_digit(s_[pos_]);
    while (pos_ < s_.size() && !is_separator(s_[pos_]) && is_digit(s_[pos_]) == numeric) ++pos_;
    t = Token{s_.substr(start, pos_ - start), numeric};
    return true;
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

// Rank of a prerelease marker; -1 when the word is not one.
int prerelease_rank(std::string_view word) {
  static constexpr std::string_view kMarkers[][3] = {
      {"dev", "snapshot", "nightly"}, {"canary", "next", ""}, {"a", "alpha", ""}, {"b", "beta", ""},
      {"pre", "preview", "m"},        {"c", "rc", ""},
  };
  for (int rank = 0; rank < int(std::size(kMarkers)); ++rank)
    for (std::string_view m : kMarkers[rank])
      if (!m.empty() && iequals(word, m)) return rank;
  return -1;
}

int compare_numeric(std::string_view a, std::string_view b) {
  while (a.size() > 1 && a[0] == '0') a.remove_prefix(1);
  while (b.size() > 1 && b[0] == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// At one position: prerelease words < end of version < other words < numbers,
// a total order (1.0.0-rc1 < 1.0.0 < 1.0.0+build1 < 1.0.0.1).
int compare_words(std::string_view a, std::string_view b) {
  constexpr int kPlainWord = 100;  // above every prerelease marker
  int ra = prerelease_rank(a), rb = prerelease_rank(b);
  if (ra < 0) ra = kPlainWord;
  if (rb < 0) rb = kPlainWord;
  if (ra != rb) return ra < rb ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

Status validate_version(std::string_view version) {
  if (version.empty())
    return make_error("empty version: give a version such as 1.2.3, a prefix such as 1.2, or 'latest'");
  if (version.size() > kMaxVersionLength)
    return make_error("version '" + std::string(version.substr(0, 32)) +
                      "…' is longer than 128 bytes: give a real version");
  for (char c : version) {
    auto u = static_cast<unsigned char>(c);
    if (c == '/' || c == '\\' || u < 0x21 || u == 0x7f)
      return make_error("version '" + std::string(version) +
                        "' contains a slash, whitespace or control character: give a version such as 1.2.3");
  }
  if (version[0] == '.' || version[0] == '-')
    return make_error("version '" + std::string(version) + "' starts with '.' or '-': give a version such as 1.2.3");
  if (version.find("..") != std::string_view::npos)
    return make_error("version '" + std::string(version) + "' contains '..': give a version such as 1.2.3");
  return ok_status();
}

int compare_versions(std::string_view a, std::string_view b) {
  Tokenizer ta(a), tb(b);
  for (;;) {
    Token x, y;
    bool hx = ta.next(x), hy = tb.next(y);
    if (!hx && !hy) return 0;
    // One ran out: a trailing prerelease word makes the longer one smaller
    // (1.2.0rc1 < 1.2.0); anything else makes it larger (1.2 < 1.2.1).
    if (!hx) return (!y.numeric && prerelease_rank(y.text) >= 0) ? 1 : -1;
    if (!hy) return (!x.numeric && prerelease_rank(x.text) >= 0) ? -1 : 1;
    if (x.numeric && y.numeric) {
      if (int c = compare_numeric(x.text, y.text)) return c;
    } else if (x.numeric != y.numeric) {
      // 1.2.0.1 > 1.2.0-rc1: a number outranks a word at the same place.
      return x.numeric ? 1 : -1;
    } else if (int c = compare_words(x.text, y.text)) {
      return c;
    }
  }
}

bool is_prerelease(std::string_view version) {
  Tokenizer t(version);
  Token tok;
  bool seen_number = false;
  while (t.next(tok)) {
    if (tok.numeric) {
      seen_number = true;
    } else if (seen_number && prerelease_rank(tok.text) >= 0) {
      return true;
    }
  }
  return false;
}

}  // namespace rtx::resolver
