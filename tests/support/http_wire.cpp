#include "tests/support/http_wire.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace rtx::test {

const char* reason_phrase(int status) {
  static constexpr struct {
    int status;
    const char* text;
  } kPhrases[] = {
      {200, "OK"},
      {206, "Partial Content"},
      {301, "Moved Permanently"},
      {302, "Found"},
      {303, "See Other"},
      {307, "Temporary Redirect"},
      {308, "Permanent Redirect"},
      {400, "Bad Request"},
      {401, "Unauthorized"},
      {403, "Forbidden"},
      {404, "Not Found"},
      {410, "Gone"},
      {416, "Range Not Satisfiable"},
      {429, "Too Many Requests"},
      {500, "Internal Server Error"},
      {502, "Bad Gateway"},
      {503, "Service Unavailable"},
      {504, "Gateway Timeout"},
  };
  for (const auto& p : kPhrases)
    if (p.status == status) return p.text;
  return "Status";
}

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

std::string path_of(const std::string& target) {
  std::string rest = target;
  if (auto scheme = rest.find("://"); scheme != std::string::npos && rest[0] != '/') {
    auto slash = rest.find('/', scheme + 3);
    rest = slash == std::string::npos ? "/" : rest.substr(slash);
  }
  return rest.substr(0, rest.find('?'));
}

Range parse_range(const std::string& header, std::size_t size) {
  Range r;
  if (header.rfind("bytes=", 0) != 0 || header.find(',') != std::string::npos) return r;  // ignored: 200
  std::string spec = header.substr(6);
  auto dash = spec.find('-');
  if (dash == std::string::npos) return r;
  std::string a = trim(spec.substr(0, dash)), b = trim(spec.substr(dash + 1));
  try {
    r.requested = true;
    if (a.empty()) {  // suffix: the last n bytes
      std::size_t n = std::stoull(b);
      if (n == 0 || size == 0) return r.satisfiable = false, r;
      r.first = size - std::min(n, size);
      r.last = size - 1;
      return r;
    }
    r.first = std::stoull(a);
    r.last = b.empty() ? size - 1 : std::min<std::size_t>(std::stoull(b), size - 1);
    if (r.first >= size || r.last < r.first) r.satisfiable = false;
  } catch (const std::exception&) {
    r = Range{};  // malformed: ignored, the whole body is sent
  }
  return r;
}

bool parse_request_head(std::string_view head, HttpRequest& req) {
  auto line_end = head.find("\r\n");
  std::string_view request_line = head.substr(0, line_end);
  auto sp1 = request_line.find(' ');
  auto sp2 = request_line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return false;
  req.method = std::string(request_line.substr(0, sp1));
  req.target = std::string(request_line.substr(sp1 + 1, sp2 - sp1 - 1));
  req.path = path_of(req.target);
  std::size_t pos = line_end == std::string_view::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    auto end = head.find("\r\n", pos);
    if (end == std::string_view::npos) end = head.size();
    std::string_view line = head.substr(pos, end - pos);
    if (auto colon = line.find(':'); colon != std::string_view::npos)
      req.headers[lower(std::string(line.substr(0, colon)))] = trim(line.substr(colon + 1));
    pos = end + 2;
  }
  return true;
}

}  // namespace rtx::test
