// Shared set-up of the install tests: a store in a temp dir, the sample asdf
// plugin (examples/asdf-hello) and helpers to see what an install left behind.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "fs_helpers.hpp"
#include "manager/backends/asdf_plugin.hpp"
#include "manager/store/install_transaction.hpp"
#include "resolver/store_layout.hpp"
#include "tests/support/scoped_env.hpp"
#include "tests/support/temp_dir.hpp"

namespace rtx::test {

inline const backends::PluginTimeouts kTestTimeouts{std::chrono::seconds(20), std::chrono::seconds(20),
                                                    std::chrono::seconds(20)};

inline store::InstallOptions make_options(const ScopedTempDir& tmp) {
  store::InstallOptions o;
  o.shim_binary = tmp / "bin/rtx-shim";
  o.download_root = tmp / "cache/plugin-downloads";
  return o;
}

struct InstallFixture : ::testing::Test {
  ScopedTempDir tmp;
  resolver::StoreLayout layout{tmp / "data"};
  store::InstallOptions options = make_options(tmp);
  // The sample plugin's knobs must not leak in from the environment.
  ScopedEnv no_fail{"HELLO_FAIL_INSTALL", nullptr};
  ScopedEnv no_wait{"HELLO_INSTALL_SECONDS", nullptr};

  backends::AsdfPlugin hello() const { return backends::AsdfPlugin("hello", hello_plugin_dir(), kTestTimeouts); }

  Expected<store::InstallOutcome> install(backends::Backend& backend, const std::string& version, bool force = false,
                                          const std::string& tool = "hello") {
    store::InstallOptions o = options;
    o.force = force;
    return store::install_version(layout, backend, tool, version, o);
  }
  Expected<store::InstallOutcome> install_hello(const std::string& version, bool force = false) {
    auto backend = hello();
    return install(backend, version, force);
  }

  std::vector<std::string> store_files(const std::string& tool = "hello") const {
    return list_dir(layout.store_dir(tool));
  }
  // installs/<tool>/: every name and its link target.
  std::map<std::string, std::string> installs(const std::string& tool = "hello") const {
    std::map<std::string, std::string> out;
    for (const auto& n : list_dir(layout.installs_dir(tool))) out[n] = link_target(layout.pointer_path(tool, n));
    return out;
  }
  // A writable plugin folder: a copy of the sample with some scripts replaced.
  std::string plugin_copy(const std::string& name) {
    std::string dir = tmp / ("plugins-src/" + name);
    make_dirs(tmp / "plugins-src");
    copy_tree(hello_plugin_dir(), dir);
    return dir;
  }
};

inline std::string base_name(const std::string& path) { return path.substr(path.rfind('/') + 1); }

}  // namespace rtx::test
