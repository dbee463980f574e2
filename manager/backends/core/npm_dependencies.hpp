// An npm package's dependencies, installed into its own node_modules as npm
// lays out a global install (docs/decisions.md, "npm dependencies"):
//
//   <prefix>/                     the package itself (its tarball)
//   <prefix>/node_modules/a       a dependency, hoisted as high as it can go
//   <prefix>/node_modules/a/node_modules/b   nested only where another b
//                                 is already visible and does not satisfy a's range
//
// Breadth first: each "dependencies" and "optionalDependencies" entry is
// resolved from the registry (npm semver ranges, dist-tags, "npm:" aliases);
// when node's lookup from the dependent already finds a satisfying copy
// (bundled, or placed before) nothing is fetched. Every tarball is verified
// against its dist.integrity. Optional dependencies whose os/cpu exclude this
// machine are skipped, and any optional one that fails is skipped with a note.
// No lifecycle scripts run (as `npm install --ignore-scripts`); peer
// dependencies are not installed.
#pragma once

#include <string>

#include "manager/backends/core/npm_registry_client.hpp"
#include "resolver/expected.hpp"

namespace rtx::backends::core {

// Installs the dependencies of the package extracted at `prefix` (its
// package.json); `label` ("npm:eslint 9.1.0") starts the chains in errors.
// Returns how many packages were placed.
Expected<int> install_npm_dependencies(NpmRegistryClient& client, const std::string& prefix, const std::string& label);

}  // namespace rtx::backends::core
