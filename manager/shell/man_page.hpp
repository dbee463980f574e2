// rtx(1), generated from the CLI's own description (cli_model.hpp) by the
// hidden `rtx __man`; the build writes it and `cmake --install` installs it,
// so a command's help is written once, in main.cpp.
#pragma once

#include <string>

#include "manager/shell/cli_model.hpp"

namespace rtx::shell {

// The page in man(7) roff; `version` as `rtx --version` prints it.
std::string man_page(const CliCommand& root, const std::string& version);

}  // namespace rtx::shell
