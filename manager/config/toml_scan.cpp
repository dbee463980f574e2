#include "manager/config/toml_scan.hpp"

#include <cstdint>

namespace rtx::config::toml_scan {
namespace {

bool is_bare_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

// A position in the text and the few lexical steps the editor needs. Each
// step returns false where the text is not what it expects.
class Cursor {
 public:
  Cursor(std::string_view text, std::size_t pos) : t_(text), p_(pos) {}

  std::size_t pos() const { return p_; }
  bool at_end() const { return p_ >= t_.size(); }
  void advance() { ++p_; }
  char peek(std::size_t ahead = 0) const { return p_ + ahead < t_.size() ? t_[p_ + ahead] : '\0'; }
  bool starts(std::string_view s) const { return t_.substr(p_, s.size()) == s; }

  int line() const {
    int n = 1;
    for (std::size_t i = 0; i < p_ && i < t_.size(); ++i) n += t_[i] == '\n';
    return n;
  }

  void skip_ws() {
    while (peek() == ' ' || peek() == '\t') ++p_;
  }
  bool at_newline() const { return peek() == '\n' || (peek() == '\r' && peek(1) == '\n'); }
  void skip_comment() {
    if (peek() != '#') return;
    while (!at_end() && !at_newline()) ++p_;
  }
  // Past the end of this line: only whitespace and a comment may remain on it.
  bool end_line() {
    skip_ws();
    skip_comment();
    if (at_end()) return true;
    if (!at_newline()) return false;
    p_ += peek() == '\r' ? 2 : 1;
    return true;
  }
  // Whitespace, newlines and comments, as allowed inside an array.
  void skip_blank() {
    for (;;) {
      skip_ws();
      skip_comment();
      if (!at_newline()) return;
      p_ += peek() == '\r' ? 2 : 1;
    }
  }

  // key = simple-key *( ws '.' ws simple-key )
  bool key(std::vector<std::string>& out) {
    for (;;) {
      skip_ws();
      std::string part;
      if (peek() == '"') {
        if (!basic_string(&part)) return false;
      } else if (peek() == '\'') {
        if (!literal_string(&part)) return false;
      } else {
        std::size_t b = p_;
        while (is_bare_key_char(peek())) ++p_;
        if (p_ == b) return false;
        part = std::string(t_.substr(b, p_ - b));
      }
      out.push_back(std::move(part));
      skip_ws();
      if (peek() != '.') return true;
      ++p_;
    }
  }

  bool value() {
    if (starts("\"\"\"")) return multiline('"');
    if (starts("'''")) return multiline('\'');
    if (peek() == '"') return basic_string(nullptr);
    if (peek() == '\'') return literal_string(nullptr);
    if (peek() == '[') return array();
    if (peek() == '{') return inline_table(nullptr);
    return scalar();
  }

  bool array_items(std::vector<Span>& out) { return array(&out); }

  // `{ k = v, … }`; records the key/values when `out` is given.
  bool inline_table(std::vector<KeyValue>* out) {
    ++p_;
    skip_blank();
    if (peek() == '}') return ++p_, true;
    for (;;) {
      skip_blank();
      KeyValue kv;
      kv.key_begin = p_;
      if (!key(kv.key)) return false;
      if (peek() != '=') return false;
      ++p_;
      skip_ws();
      kv.value_begin = p_;
      if (!value()) return false;
      kv.value_end = p_;
      if (out) out->push_back(std::move(kv));
      skip_blank();
      if (peek() == ',') {
        ++p_;
        continue;
      }
      if (peek() != '}') return false;
      ++p_;
      return true;
    }
  }

 private:
  bool basic_string(std::string* out) {
    ++p_;
    while (!at_end() && peek() != '"') {
      if (peek() == '\n') return false;
      if (peek() != '\\') {
        if (out) *out += peek();
        ++p_;
        continue;
      }
      char e = peek(1);
      p_ += 2;
      if (!out) continue;
      switch (e) {
        case 'b':
          *out += '\b';
          break;
        case 't':
          *out += '\t';
          break;
        case 'n':
          *out += '\n';
          break;
        case 'f':
          *out += '\f';
          break;
        case 'r':
          *out += '\r';
          break;
        case 'e':
          *out += '\x1b';
          break;
        case 'u':
        case 'U': {
          std::size_t digits = e == 'u' ? 4 : 8;
          std::uint32_t cp = 0;
          for (std::size_t i = 0; i < digits; ++i, ++p_) {
            char h = peek();
            int v = h >= '0' && h <= '9'   ? h - '0'
                    : h >= 'a' && h <= 'f' ? h - 'a' + 10
                    : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                           : -1;
            if (v < 0) return false;
            cp = cp * 16 + std::uint32_t(v);
          }
          append_utf8(*out, cp);
          break;
        }
        default:
          *out += e;
      }
    }
    if (at_end()) return false;
    ++p_;
    return true;
  }

  bool literal_string(std::string* out) {
    ++p_;
    std::size_t b = p_;
    while (!at_end() && peek() != '\'' && peek() != '\n') ++p_;
    if (peek() != '\'') return false;
    if (out) *out = std::string(t_.substr(b, p_ - b));
    ++p_;
    return true;
  }

  // """…""" or '''…''': up to two more quotes may end the content.
  bool multiline(char q) {
    const std::string delim(3, q);
    p_ += 3;
    while (!at_end()) {
      if (q == '"' && peek() == '\\') {
        p_ += 2;
        continue;
      }
      if (starts(delim)) {
        p_ += 3;
        for (int extra = 0; extra < 2 && peek() == q; ++extra) ++p_;
        return true;
      }
      ++p_;
    }
    return false;
  }

  // `[ v, … ]`; records where each value's bytes are when `out` is given.
  bool array(std::vector<Span>* out = nullptr) {
    ++p_;
    for (;;) {
      skip_blank();
      if (peek() == ']') return ++p_, true;
      std::size_t b = p_;
      if (!value()) return false;
      if (out) out->push_back(Span{b, p_});
      skip_blank();
      if (peek() == ',') {
        ++p_;
        continue;
      }
      if (peek() != ']') return false;
      ++p_;
      return true;
    }
  }

  // Numbers, booleans, dates and times; a date may be followed by " 07:32:00".
  bool scalar() {
    std::size_t b = p_;
    auto stop = [&](char c) {
      return c == '\0' || c == ' ' || c == '\t' || c == ',' || c == ']' || c == '}' || c == '#' || c == '\n' ||
             c == '\r';
    };
    while (!stop(peek())) ++p_;
    bool date = p_ - b == 10 && t_[b + 4] == '-' && t_[b + 7] == '-';
    if (date && peek() == ' ' && peek(1) >= '0' && peek(1) <= '9') {
      ++p_;
      while (!stop(peek())) ++p_;
    }
    return p_ > b;
  }

  std::string_view t_;
  std::size_t p_;
};

Error error_at(const Cursor& c, const std::string& what) {
  return make_error("line " + std::to_string(c.line()) + ": " + what);
}

}  // namespace

Expected<Document> scan(std::string_view text) {
  Document doc;
  std::size_t start = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  Cursor c(text, start);
  std::vector<std::string> table;
  bool array_table = false;
  for (;;) {
    std::size_t line_begin = c.pos();
    c.skip_ws();
    if (c.at_end()) break;
    if (c.peek() == '#' || c.at_newline()) {
      if (!c.end_line()) return error_at(c, "unexpected text after a comment");
      continue;
    }
    if (c.peek() == '[') {
      Header h;
      h.begin = c.pos();
      h.array = c.peek(1) == '[';
      for (int i = 0; i < (h.array ? 2 : 1); ++i) c.advance();
      if (!c.key(h.path)) return error_at(c, "cannot read this table header");
      for (int i = 0; i < (h.array ? 2 : 1); ++i) {
        if (c.peek() != ']') return error_at(c, "cannot read this table header");
        c.advance();
      }
      if (!c.end_line()) return error_at(c, "unexpected text after a table header");
      h.line_end = c.pos();
      table = h.path;
      array_table = h.array;
      doc.headers.push_back(std::move(h));
      continue;
    }
    KeyValue kv;
    kv.table = table;
    kv.in_array_table = array_table;
    kv.line_begin = line_begin;
    kv.key_begin = c.pos();
    if (!c.key(kv.key) || c.peek() != '=') return error_at(c, "cannot read this key");
    c.advance();
    c.skip_ws();
    kv.value_begin = c.pos();
    if (!c.value()) return error_at(c, "cannot read this value");
    kv.value_end = c.pos();
    if (!c.end_line()) return error_at(c, "unexpected text after a value");
    kv.line_end = c.pos();
    doc.entries.push_back(std::move(kv));
  }
  return doc;
}

Expected<std::vector<KeyValue>> scan_inline_table(std::string_view text, std::size_t brace) {
  Cursor c(text, brace);
  std::vector<KeyValue> out;
  if (c.peek() != '{' || !c.inline_table(&out)) return error_at(c, "cannot read this inline table");
  return out;
}

Expected<std::vector<Span>> scan_array(std::string_view text, std::size_t bracket) {
  Cursor c(text, bracket);
  std::vector<Span> out;
  if (c.peek() != '[' || !c.array_items(out)) return error_at(c, "cannot read this array");
  return out;
}

}  // namespace rtx::config::toml_scan
