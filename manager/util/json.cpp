// Boost.JSON, compiled here once (its header-only form: no libboost_json.so
// for rtx to load), and the helpers of json.hpp.
#include "manager/util/json.hpp"

#include <boost/json/src.hpp>
#include <cstdio>

namespace rtx::util {
namespace {

// The length of the UTF-8 sequence a byte starts; 0 when it cannot start one.
std::size_t utf8_length(unsigned char c) {
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c < 0xE0) return 2;
  if (c >= 0xE0 && c < 0xF0) return 3;
  if (c >= 0xF0 && c < 0xF5) return 4;
  return 0;
}

}  // namespace

std::string utf8_clean(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    unsigned char c = at(0);
    std::size_t len = utf8_length(c);
    bool ok = len > 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) ok = (at(k) & 0xC0) == 0x80;
    if (ok && len == 3) ok = !(c == 0xE0 && at(1) < 0xA0) && !(c == 0xED && at(1) >= 0xA0);  // overlong, surrogate
    if (ok && len == 4) ok = !(c == 0xF0 && at(1) < 0x90) && !(c == 0xF4 && at(1) >= 0x90);  // overlong, > U+10FFFF
    if (ok) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

boost::json::string json_text(std::string_view s) { return boost::json::string(utf8_clean(s)); }

void print_json(const boost::json::value& v) {
  std::string out = boost::json::serialize(v);
  out += '\n';
  std::fwrite(out.data(), 1, out.size(), stdout);
}

}  // namespace rtx::util
