#include "resolver/pin.hpp"

#include "resolver/request.hpp"

namespace rtx::resolver {

std::string pin_env_var(std::string_view tool) {
  std::string var = version_env_var(tool);  // RTX_<TOOL>_VERSION
  return "RTX_PIN_" + var.substr(4, var.size() - 4 - 8);
}

std::string encode_pin(const Pin& pin) { return pin.request + "\t" + pin.entry_path; }

std::optional<Pin> decode_pin(std::string_view value) {
  std::size_t tab = value.find('\t');
  if (tab == std::string_view::npos || tab + 1 >= value.size() || value[tab + 1] != '/') return std::nullopt;
  return Pin{std::string(value.substr(0, tab)), std::string(value.substr(tab + 1))};
}

}  // namespace rtx::resolver
