// npm packages as tools (DESIGN.md §8): "npm:<package>" ("npm:prettier",
// "npm:@biomejs/cli-linux-x64"). Versions and dist-tags come from the
// registry's metadata document (<registry>/<package>, scoped names encoded as
// npm does: @scope%2fname); a version installs from its dist.tarball, verified
// against dist.integrity (sha512), extracted without its top folder
// ("package/") into the prefix. The registry is the user's (npmrc.hpp).
//
// Commands: package.json "bin" (a string names one command after the package,
// unscoped; an object names each), else "directories.bin", else the
// executables at the package's top and in bin/ (platform packages such as
// @oven/bun-linux-x64 declare none). Each becomes a relative symlink in
// <prefix>/.rtx-bin, the build's only bin dir, so the shims expose exactly
// the declared commands. Targets outside the prefix are refused.
//
// Dependencies are installed into <prefix>/node_modules as npm lays out a
// global install (npm_dependencies.hpp); no lifecycle script runs.
#pragma once

#include <memory>
#include <string>

#include "manager/backends/backend.hpp"
#include "manager/backends/backend_env.hpp"

namespace rtx::backends::core {

inline constexpr const char* kNpmBinDir = ".rtx-bin";

// The backend for "npm:<package>"; errors about the name come from its calls.
std::unique_ptr<Backend> make_npm_backend(const BackendEnv& env, const std::string& tool);

}  // namespace rtx::backends::core
