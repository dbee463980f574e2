#include "resolver/printable.hpp"

namespace rtx::resolver {

bool has_control_chars(std::string_view text) {
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return true;
  }
  return false;
}

std::string printable(std::string_view text, std::size_t max) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() < max ? text.size() : max);
  std::size_t i = 0;
  for (; i < text.size() && out.size() < max; ++i) {
    auto u = static_cast<unsigned char>(text[i]);
    if (u == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(text[i + 1]) <= 0x9f) {  // a C1 control, as UTF-8
      u = static_cast<unsigned char>(text[++i]);
    } else if (u >= 0x20 && u != 0x7f) {
      out += text[i];
      continue;
    }
    switch (u) {
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case 0x1b:
        out += "\\e";
        break;
      default:
        out += "\\x";
        out += kHex[u >> 4];
        out += kHex[u & 15];
    }
  }
  if (i < text.size()) out += "…(+" + std::to_string(text.size() - i) + " bytes)";
  return out;
}

}  // namespace rtx::resolver
