// The backends built into rtx (DESIGN.md §8): core tools in their upstream
// formats (node, python, rust, go) and npm packages ("npm:<package>").
#pragma once

#include <memory>
#include <string>

#include "manager/backends/backend.hpp"
#include "manager/backends/backend_env.hpp"

namespace rtx::backends::core {

// nullptr when `tool` is not a core tool nor "npm:<package>".
std::unique_ptr<Backend> make_core_backend(const BackendEnv& env, const std::string& tool);

}  // namespace rtx::backends::core
