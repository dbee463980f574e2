// rtx.toml, .mise.toml, config.toml: resolver::parse_config in its TOML form.
#include "fuzz/config_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rtx::fuzz::check_config(rtx::fuzz::as_text(data, size), rtx::resolver::ConfigFormat::Toml);
  return 0;
}
