// The npm packages an installed npm tool is made of (manager/backends/core/npm.hpp
// lays it out): the package at the prefix, and every package under its
// node_modules folders, nested ones included. Dependencies a package bundles
// (its package.json "bundleDependencies"/"bundledDependencies") came inside
// its own tarball, not from the registry, and are left out with everything
// under them.
#pragma once

#include <string>
#include <vector>

#include "resolver/expected.hpp"

namespace rtx::mirror {

struct NpmTreePackage {
  std::string name;     // from its package.json: "cowsay", "@scope/name" (an alias folder holds the real name)
  std::string version;  // likewise
  std::string dir;      // the folder holding its package.json
  std::string package_json;
};

// Each (name, version) once, the prefix's package first. A package.json that
// is missing, not JSON, or names no valid package and version is an error
// naming it.
Expected<std::vector<NpmTreePackage>> npm_tree_packages(const std::string& prefix);

}  // namespace rtx::mirror
