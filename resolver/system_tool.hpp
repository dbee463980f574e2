// The `system` spec: the next executable of that name on PATH outside the shims dir.
#pragma once

#include <string>
#include <string_view>

namespace rtx::resolver {

// Empty when none. Skips the shims dir and any file that is the shim binary itself.
std::string find_system_command(std::string_view command, std::string_view path_env, const std::string& shims_dir);

}  // namespace rtx::resolver
