// The HTTP/1.1 text the test server reads and writes: request heads, Range
// headers, reason phrases. Internal to tests/support (no sockets here).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "tests/support/http_server.hpp"

namespace rtx::test {

const char* reason_phrase(int status);  // "Not Found"; "Status" for codes without one here
std::string lower(std::string s);
std::string trim(std::string_view s);

// "/a?b" -> "/a"; "http://host:1/a?b" -> "/a" (absolute form, as a proxy gets it).
std::string path_of(const std::string& target);

// The byte range [first, last] a "Range" header asks for within `size` bytes.
// Not requested: no header, a malformed one, or several ranges (then the
// whole body is sent, which RFC 9110 allows).
struct Range {
  bool requested = false;
  bool satisfiable = true;
  std::size_t first = 0, last = 0;
};
Range parse_range(const std::string& header, std::size_t size);

// Fills method, target, path and headers from the text before "\r\n\r\n".
bool parse_request_head(std::string_view head, HttpRequest& req);

}  // namespace rtx::test
