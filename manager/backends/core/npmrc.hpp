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
//
// Credentials are npm's per-registry keys in the .npmrc files (never the
// environment alone: a value may say ${NPM_TOKEN}): for the registry's
// "nerf dart" //host[:port]/path/ and then each parent path up to //host/,
// "<dart>:_authToken" (Bearer), else "<dart>:_auth" (Basic, base64 of
// user:password), else "<dart>:username" with "<dart>:_password" (base64).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "resolver/expected.hpp"

namespace rtx::backends::core {

struct NpmRegistry {
  std::string url;            // without a trailing '/': "https://registry.npmjs.org"
  std::string source;         // for messages: "NPM_CONFIG_REGISTRY", "/home/u/.npmrc", "npm's default"
  std::string authorization;  // "Bearer <token>" or "Basic <base64>"; empty without credentials
  std::string auth_source;    // for messages: "//host/:_authToken in /home/u/.npmrc"
};

// The extra request headers for `url`, fetched for `registry`: its
// Authorization only when `url` is on the registry's host and port (npm's
// rule), so a tarball served elsewhere never sees the token.
std::vector<std::string> npm_request_headers(const NpmRegistry& registry, std::string_view url);

// The registry for `package` ("prettier", "@scope/name"). Errors: an .npmrc
// that exists but cannot be read, a value naming an unset ${VARIABLE}, or a
// registry that is not an http(s) URL.
Expected<NpmRegistry> npm_registry(std::string_view package);

// The value of `key` in the text of an .npmrc (ini: "key = value", ';' and
// '#' comments, quotes around the value, ${VAR} expanded from the
// environment); nullopt when the file does not set it.
Expected<std::optional<std::string>> npmrc_value(std::string_view text, std::string_view key, const std::string& path);

}  // namespace rtx::backends::core
