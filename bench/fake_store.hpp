// A throw-away RTX_DATA_DIR laid out as DESIGN.md §2, plus a deep project and
// a global config, shared by the benchmarks. Bench-only code: it may throw.
#pragma once

#include <string>
#include <vector>

namespace rtx::bench {

struct FakeStoreOptions {
  std::string tool = "faketool";
  std::string command = "fakecmd";
  int versions = 20;          // 1.0.0 … 1.<versions-1>.0, all READY
  int depth = 8;              // project directory levels; only the top one has a config
  std::string spec = "1";     // the prefix spec in the top .tool-versions
  int index_commands = 1;     // lines in shims/.index: the command's, half the fillers before it, half after
  std::string target_binary;  // copied as every build's bin/<command>; empty: a tiny sh script
  std::string shim_binary;    // rtx-shim to link as shims/<command>; empty: no shim
};

class FakeStore {
 public:
  // Creates the tree under `root` (made if missing) or, when empty, under a
  // fresh mkdtemp dir in /tmp that the destructor removes.
  explicit FakeStore(FakeStoreOptions options, std::string root = {});
  ~FakeStore();
  FakeStore(const FakeStore&) = delete;
  FakeStore& operator=(const FakeStore&) = delete;

  const FakeStoreOptions& options() const { return options_; }
  const std::string& root() const { return root_; }
  std::string data_dir() const { return root_ + "/data"; }
  std::string config_dir() const { return root_ + "/config"; }
  std::string cache_dir() const { return root_ + "/cache"; }
  std::string state_dir() const { return root_ + "/state"; }
  std::string home_dir() const { return root_ + "/home"; }
  // The deepest project directory: the cwd of every resolution.
  const std::string& project_leaf() const { return project_leaf_; }
  // The build the request resolves to (the newest version) and its command.
  std::string best_entry_path() const;
  std::string best_command_path() const;
  std::string shim_path() const { return data_dir() + "/shims/" + options_.command; }
  const std::string& shim_link_kind() const { return shim_link_kind_; }

  // NAME=VALUE strings for RTX_*_DIR and HOME.
  std::vector<std::string> env() const;
  // Exports env() into this process, and drops any RTX_<TOOL>_VERSION / pin.
  void export_env() const;

 private:
  FakeStoreOptions options_;
  std::string root_;
  std::string project_leaf_;
  std::string shim_link_kind_;
  bool owned_ = false;
};

std::string entry_name(int minor);  // "1.<minor>.0-b<minor>c0ffee"

// A benchmark's root: `root` created and made canonical, or, when empty, a
// fresh mkdtemp dir "<tmpl_prefix>XXXXXX" that the caller owns and removes.
std::string make_bench_root(const std::string& root, const std::string& tmpl_prefix, bool& owned);

}  // namespace rtx::bench
