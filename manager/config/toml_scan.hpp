// A byte-exact map of a TOML text for the editor (DESIGN.md §10): where each
// table header and each key/value sits, so an edit can replace one value's bytes
// and leave every other byte alone. It reads text toml++ has already accepted;
// it checks only what it needs to find its way.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "resolver/expected.hpp"

namespace rtx::config::toml_scan {

struct KeyValue {
  std::vector<std::string> table;  // the path of the header above it ({} in the root table)
  bool in_array_table = false;     // under a [[header]]
  std::vector<std::string> key;    // the dotted key, unquoted
  std::size_t line_begin = 0;      // where its line starts (indentation before key_begin)
  std::size_t key_begin = 0;
  std::size_t value_begin = 0;  // the value's bytes: [value_begin, value_end)
  std::size_t value_end = 0;
  std::size_t line_end = 0;  // just past the newline ending the value's last line (or the text's end)
};

struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

struct Header {
  std::vector<std::string> path;
  bool array = false;  // [[path]]
  std::size_t begin = 0;
  std::size_t line_end = 0;
};

struct Document {
  std::vector<Header> headers;
  std::vector<KeyValue> entries;  // in file order
};

// Errors read "line N: <what>" (the caller adds the file).
Expected<Document> scan(std::string_view text);

// The key/values of the inline table `{ … }` whose '{' is at `brace`
// (`table` is left empty; line_begin/line_end are not set).
Expected<std::vector<KeyValue>> scan_inline_table(std::string_view text, std::size_t brace);

// Where each value of the array whose '[' is at `bracket` sits, in order.
Expected<std::vector<Span>> scan_array(std::string_view text, std::size_t bracket);

}  // namespace rtx::config::toml_scan
