// A store in a temp dir with hand-made entries in any state, for the reaper and
// recovery tests (names chosen by the test, so their order is known).
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "fs_helpers.hpp"
#include "manager/store/entries.hpp"
#include "manager/store/pointers.hpp"
#include "resolver/store_layout.hpp"
#include "tests/support/temp_dir.hpp"

namespace rtx::test {

struct StoreFixture : ::testing::Test {
  ScopedTempDir tmp;
  resolver::StoreLayout layout{tmp / "data"};
  std::string shim_binary = tmp / "bin/rtx-shim";

  // store/<tool>/<name>/ with an executable, a data file, a lease and a state.
  std::string make_entry(const std::string& tool, const std::string& name, resolver::EntryState state) {
    std::string path = layout.entry_path(tool, name);
    write_text(path + "/bin/" + tool, "#!/bin/sh\necho " + name + "\n", 0755);
    write_text(path + "/lib/data.bin", std::string(8192, 'd'));
    write_text(resolver::lease_path(path), "");
    EXPECT_TRUE(store::set_state(path, state));
    return path;
  }
  void point(const std::string& tool, const std::string& version, const std::string& name) {
    ASSERT_TRUE(store::set_pointer(layout, tool, version, name));
  }
  bool entry_fully_gone(const std::string& path) const {
    for (const char* s : {"", ".lease", ".state", ".meta"})
      if (path_exists(path + s)) return false;
    return true;
  }
  bool entry_intact(const std::string& path) const {
    return is_dir(path + "/bin") && path_exists(path + "/lib/data.bin") && path_exists(resolver::lease_path(path));
  }
};

}  // namespace rtx::test
