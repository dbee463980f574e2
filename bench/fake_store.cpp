#include "bench/fake_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include "resolver/pin.hpp"
#include "resolver/request.hpp"
#include "resolver/store_layout.hpp"

namespace fs = std::filesystem;

namespace rtx::bench {
namespace {

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string version_of(int minor) { return "1." + std::to_string(minor) + ".0"; }

}  // namespace

std::string make_bench_root(const std::string& root, const std::string& tmpl_prefix, bool& owned) {
  owned = false;
  if (!root.empty()) {
    fs::create_directories(root);
    return fs::canonical(root).string();
  }
  std::string tmpl = tmpl_prefix + "XXXXXX";
  if (!::mkdtemp(tmpl.data())) throw std::system_error(errno, std::generic_category(), "mkdtemp");
  owned = true;
  return tmpl;
}

std::string entry_name(int minor) { return version_of(minor) + "-b" + std::to_string(minor) + "c0ffee"; }

FakeStore::FakeStore(FakeStoreOptions options, std::string root) : options_(std::move(options)) {
  root_ = make_bench_root(root, "/tmp/rtx-bench-", owned_);

  const std::string& tool = options_.tool;
  const std::string& cmd = options_.command;
  resolver::StoreLayout layout{data_dir()};
  for (const char* d : {"/store", "/installs", "/shims", "/plugins", "/locks"}) fs::create_directories(data_dir() + d);
  fs::create_directories(layout.store_dir(tool));
  fs::create_directories(layout.installs_dir(tool));
  for (const auto& d : {config_dir(), cache_dir(), state_dir(), home_dir()}) fs::create_directories(d);

  // store/<tool>/<version>-<build>/bin/<cmd>, .state READY, empty .lease, and the pointer.
  for (int minor = 0; minor < options_.versions; ++minor) {
    std::string entry = layout.entry_path(tool, entry_name(minor));
    fs::create_directories(entry + "/bin");
    std::string exe = entry + "/bin/" + cmd;
    if (options_.target_binary.empty())
      write_text(exe, "#!/bin/sh\nexit 0\n");
    else if (std::error_code ec; fs::create_hard_link(options_.target_binary, exe, ec), ec)
      // A hard link when it can: 1,000 copies of a static binary would be ~800 MB.
      fs::copy_file(options_.target_binary, exe, fs::copy_options::overwrite_existing);
    fs::permissions(exe, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
                             fs::perms::others_exec);
    write_text(resolver::state_path(entry), "READY\n");
    write_text(resolver::lease_path(entry), "");
    fs::create_symlink(resolver::StoreLayout::pointer_target(tool, entry_name(minor)),
                       layout.pointer_path(tool, version_of(minor)));
  }
  // Fuzzy conveniences: "1" and "latest" name the newest version.
  if (options_.versions > 0) {
    fs::create_symlink(version_of(options_.versions - 1), layout.pointer_path(tool, "1"));
    fs::create_symlink(version_of(options_.versions - 1), layout.pointer_path(tool, "latest"));
  }
  write_text(layout.tool_lock(tool), "");
  // Sorted as `rtx reshim` writes it; fillers "cmd-a-N" sort before "fakecmd", "tool-z-N" after.
  std::string index;
  int fillers = std::max(0, options_.index_commands - 1);
  for (int i = 0; i < fillers / 2; ++i) index += "cmd-a-" + std::to_string(100000 + i) + "\tothertool\n";
  index += cmd + "\t" + tool + "\n";
  for (int i = fillers / 2; i < fillers; ++i) index += "tool-z-" + std::to_string(100000 + i) + "\tothertool\n";
  write_text(layout.shim_index(), index);

  if (!options_.shim_binary.empty()) {
    // A hard link as `rtx reshim` makes when it can, else a symlink.
    std::error_code ec;
    fs::create_hard_link(options_.shim_binary, shim_path(), ec);
    shim_link_kind_ = "hard link";
    if (ec) {
      fs::create_symlink(fs::absolute(options_.shim_binary), shim_path());
      shim_link_kind_ = "symlink";
    }
  }

  // The project: only the top level names the tool, so the walk visits every level.
  std::string dir = root_ + "/project";
  fs::create_directories(dir);
  write_text(dir + "/.tool-versions", "# bench project\n" + tool + " " + options_.spec + "\n");
  for (int level = 2; level <= options_.depth; ++level) dir += "/level" + std::to_string(level);
  fs::create_directories(dir);
  project_leaf_ = dir;

  // The global config names another tool only: it is never the answer here.
  write_text(config_dir() + "/config.toml", "[tools]\nothertool = \"2\"\n");
}

FakeStore::~FakeStore() {
  if (!owned_) return;
  std::error_code ec;
  fs::remove_all(root_, ec);
}

std::string FakeStore::best_entry_path() const {
  return resolver::StoreLayout{data_dir()}.entry_path(options_.tool, entry_name(options_.versions - 1));
}

std::string FakeStore::best_command_path() const { return best_entry_path() + "/bin/" + options_.command; }

std::vector<std::string> FakeStore::env() const {
  return {"RTX_DATA_DIR=" + data_dir(), "RTX_CONFIG_DIR=" + config_dir(), "RTX_CACHE_DIR=" + cache_dir(),
          "RTX_STATE_DIR=" + state_dir(), "HOME=" + home_dir()};
}

void FakeStore::export_env() const {
  for (const std::string& kv : env()) {
    std::size_t eq = kv.find('=');
    ::setenv(kv.substr(0, eq).c_str(), kv.substr(eq + 1).c_str(), 1);
  }
  ::unsetenv(resolver::version_env_var(options_.tool).c_str());
  ::unsetenv(resolver::pin_env_var(options_.tool).c_str());
}

}  // namespace rtx::bench
