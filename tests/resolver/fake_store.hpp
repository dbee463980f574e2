// A store built by hand exactly as DESIGN.md §2 lays it out, for the read side:
//   store/<tool>/<version>-<build>/        prefix (with bin/)
//   store/<tool>/<version>-<build>.state   one word
//   store/<tool>/<version>-<build>.lease   empty
//   installs/<tool>/<version> -> ../../store/<tool>/<version>-<build>
//   installs/<tool>/<prefix>  -> <version>
#pragma once

#include <fcntl.h>
#include <sys/file.h>

#include <string>

#include "fs_helpers.hpp"
#include "resolver/store_layout.hpp"
#include "resolver/unique_fd.hpp"
#include "tests/support/temp_dir.hpp"

namespace rtx::test {

class FakeStore {
 public:
  FakeStore() { layout_.data = tmp_ / "data"; }

  const resolver::StoreLayout& layout() const { return layout_; }
  std::string data() const { return layout_.data; }

  // A build entry with its state file and empty lease; returns its entry path.
  std::string add_build(const std::string& tool, const std::string& version, const std::string& build,
                        const std::string& state) {
    std::string path = layout_.entry_path(tool, version + "-" + build);
    make_dirs(path + "/bin");
    write_file(resolver::lease_path(path), "");
    set_state(path, state);
    return path;
  }

  // add_build plus the version pointer installs/<tool>/<version>.
  std::string install(const std::string& tool, const std::string& version, const std::string& build,
                      const std::string& state = "READY") {
    std::string path = add_build(tool, version, build, state);
    point(tool, version, version + "-" + build);
    return path;
  }

  static void set_state(const std::string& entry_path, const std::string& state) {
    write_file(resolver::state_path(entry_path), state);
  }

  void point(const std::string& tool, const std::string& version, const std::string& entry) {
    make_symlink(resolver::StoreLayout::pointer_target(tool, entry), layout_.pointer_path(tool, version));
  }

  void fuzzy(const std::string& tool, const std::string& name, const std::string& version) {
    make_symlink(version, layout_.pointer_path(tool, name));
  }

  void tool_lock_file(const std::string& tool) { write_file(layout_.tool_lock(tool), ""); }

 private:
  ScopedTempDir tmp_;
  resolver::StoreLayout layout_;
};

// Another open file description of a lease, as a second process (a reaper) would have.
inline UniqueFd open_lease(const std::string& entry_path) {
  return UniqueFd(::open(resolver::lease_path(entry_path).c_str(), O_RDONLY | O_CLOEXEC));
}

// True when LOCK_EX|LOCK_NB succeeds through a fresh open of the lease (then released).
inline bool can_lock_exclusive(const std::string& entry_path, int* err = nullptr) {
  UniqueFd fd = open_lease(entry_path);
  if (!fd.valid()) return false;
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0) return true;
  if (err) *err = errno;
  return false;
}

}  // namespace rtx::test
