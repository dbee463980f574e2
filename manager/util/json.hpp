// Output for scripts (`--json`): values built as boost::json objects and
// written by Boost.JSON, never by hand. Text rtx did not make (paths, command
// lines, versions from a registry) is bytes; json_text makes it valid UTF-8.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

namespace rtx::util {

// Invalid UTF-8 sequences (bytes of another encoding, a cut sequence, an
// overlong form, a surrogate) become U+FFFD; everything else is kept.
std::string utf8_clean(std::string_view s);

// A JSON string holding `s` cleaned as above.
boost::json::string json_text(std::string_view s);

// Writes `v` and a newline to stdout, as one write.
void print_json(const boost::json::value& v);

}  // namespace rtx::util
