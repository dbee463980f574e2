// The pin an ancestor shim exports (DESIGN.md §5): RTX_PIN_<TOOL> =
// "<request>\t<build path>". A pin is a hint, never a reason to fail.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rtx::resolver {

struct Pin {
  std::string request;     // Request::joined()
  std::string entry_path;  // store/<tool>/<version>-<build>
};

std::string pin_env_var(std::string_view tool);
std::string encode_pin(const Pin& pin);
std::optional<Pin> decode_pin(std::string_view value);

}  // namespace rtx::resolver
