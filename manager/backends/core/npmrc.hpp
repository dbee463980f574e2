// Where npm packages come from (DESIGN.md §8): the registry of the user's npm
// configuration, found as `npm config get registry` finds it, never a host of
// our own. First match wins:
//   1. the environment: npm_config_<key>, any case (NPM_CONFIG_REGISTRY);
//   2. the project's .npmrc: in the nearest folder from cwd upward holding a
//      package.json or node_modules (npm's local prefix), else in cwd;
//   3. the user's .npmrc: $NPM_CONFIG_USERCONFIG, else $HOME/.npmrc;
//   4. npm's own default, https://registry.npmjs.org/.
// For a scoped package (@scope/name) the key "@scope:registry" is looked up
// through all layers before "registry", as npm does.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "resolver/expected.hpp"

namespace rtx::backends::core {

struct NpmRegistry {
  std::string url;     // without a trailing '/': "https://registry.npmjs.org"
  std::string source;  // for messages: "NPM_CONFIG_REGISTRY", "/home/u/.npmrc", "npm's default"
};

// The registry for `package` ("prettier", "@scope/name"). Errors: an .npmrc
// that exists but cannot be read, a value naming an unset ${VARIABLE}, or a
// registry that is not an http(s) URL.
Expected<NpmRegistry> npm_registry(std::string_view package);

// The value of `key` in the text of an .npmrc (ini: "key = value", ';' and
// '#' comments, quotes around the value, ${VAR} expanded from the
// environment); nullopt when the file does not set it.
Expected<std::optional<std::string>> npmrc_value(std::string_view text, std::string_view key, const std::string& path);

}  // namespace rtx::backends::core
