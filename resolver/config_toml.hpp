// The TOML config forms (.rtx.toml, rtx.toml, .mise.toml, mise.toml,
// config.toml), parsed with toml++ compiled in header-only mode without exceptions.
#pragma once

#include <string>
#include <string_view>

#include "resolver/config_file.hpp"

namespace rtx::resolver {

// `[tools]` with `node = "20"`, `python = ["3.11", "3.10"]` or `go = { version = "1.22" }`.
Expected<ConfigFile> parse_toml_config(std::string path, std::string_view text);

}  // namespace rtx::resolver
