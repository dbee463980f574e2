// The pin an ancestor shim exports (DESIGN.md §5):
//   RTX_PIN_<TOOL> = "<tool>\t<request>\t<build path>".
// A pin is a hint, never a reason to fail, and it is trusted only as far as it
// can be checked (check_pin): anyone who can set an environment variable can
// write one.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "resolver/request.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::resolver {

struct Pin {
  std::string tool;        // the tool the pin was made for ("a-b" and "a_b" share a variable)
  std::string request;     // Request::joined()
  std::string entry_path;  // $RTX_DATA_DIR/store/<tool>/<version>-<build>
};

std::string pin_env_var(std::string_view tool);
std::string encode_pin(const Pin& pin);
std::optional<Pin> decode_pin(std::string_view value);

// Why `pin` must not be used for `request`, or an empty string when it may:
// its build path is `layout`'s store entry of the pin's own tool (no "..", no
// symlink on the way from store/), its tool and request are the request's, and
// the entry's version satisfies the request (an alias spec such as node's
// "lts": the build records that alias in its .meta).
std::string pin_mismatch(const StoreLayout& layout, const Request& request, const Pin& pin);

}  // namespace rtx::resolver
