#include "resolver/toml_guard.hpp"

namespace rtx::resolver {

int toml_non_ascii_line(std::string_view text) {
  enum class In { Code, Comment, Basic, Literal, MultiBasic, MultiLiteral };
  In in = In::Code;
  int line = 1;
  // The last non-blank character in code: a string may start only where TOML
  // allows one (after = [ , { . or first on a line). Elsewhere (`131"é…`)
  // toml++ would scan on through what we took for a string.
  char prev = '\n';
  std::size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  auto triple = [&](char q) { return text.substr(i, 3) == std::string(3, q); };
  // After a closing """ or ''', up to two more quotes still belong to the string.
  auto close_triple = [&](char q) {
    i += 3;
    for (int extra = 0; extra < 2 && i < text.size() && text[i] == q; ++extra) ++i;
    in = In::Code;
  };
  while (i < text.size()) {
    char c = text[i];
    if (c == '\n') ++line;
    switch (in) {
      case In::Code:
        if (static_cast<unsigned char>(c) >= 0x80) return line;
        if (c == '#') {
          in = In::Comment;
        } else if (c == '"' || c == '\'') {
          if (std::string_view("=[,{.\n").find(prev) == std::string_view::npos) return line;
          prev = c;
          bool multi = triple(c);
          in = c == '"' ? (multi ? In::MultiBasic : In::Basic) : (multi ? In::MultiLiteral : In::Literal);
          i += multi ? 3 : 1;
          continue;
        }
        if (c == '\n' || (c != ' ' && c != '\t' && c != '\r')) prev = c;
        break;
      case In::Comment:
        if (c == '\n') {
          in = In::Code;
          prev = '\n';
        }
        break;
      case In::Basic:
      case In::Literal:
        if (c == '\\' && in == In::Basic && i + 1 < text.size() && text[i + 1] != '\n') {
          i += 2;
          continue;
        }
        if (c == '\n' || (c == '"' && in == In::Basic) || (c == '\'' && in == In::Literal)) {
          in = In::Code;
          prev = c;
        }
        break;
      case In::MultiBasic:
        if (c == '\\' && i + 1 < text.size() && text[i + 1] != '\n') {
          i += 2;
          continue;
        }
        if (c == '"' && triple('"')) {
          close_triple('"');
          continue;
        }
        break;
      case In::MultiLiteral:
        if (c == '\'' && triple('\'')) {
          close_triple('\'');
          continue;
        }
        break;
    }
    ++i;
  }
  return 0;
}

std::string toml_text_problem(std::string_view text, std::string_view source) {
  int line = toml_non_ascii_line(text);
  if (line == 0) return {};
  return std::string(source) + ":" + std::to_string(line) +
         ": invalid TOML: a non-ASCII character outside a string or comment, or a quote where no string can start "
         "(quote the key or value that holds it)";
}

}  // namespace rtx::resolver
