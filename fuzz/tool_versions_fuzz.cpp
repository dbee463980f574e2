// .tool-versions: resolver::parse_config in its line form (BOM, CRLF, comments).
#include "fuzz/config_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rtx::fuzz::check_config(rtx::fuzz::as_text(data, size), rtx::resolver::ConfigFormat::ToolVersions);
  return 0;
}
