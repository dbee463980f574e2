// The realistic setup of issue 11 for the shim benchmarks, built through the
// real binaries: a fresh $HOME under /tmp with rtx's default roots in it
// (~/.local/share/rtx, ~/.config/rtx, …: no RTX_*_DIR set, as for a user), an
// asdf-style plugin in a local dir linked with `rtx plugins link`, one version
// of its tool installed with `rtx install` (so its .meta is written by rtx),
// `rtx reshim`, a project whose .tool-versions is 6 directories above the cwd,
// ~/.tool-versions and ~/.config/rtx/config.toml naming other tools, and a
// 45-variable environment with the names and lengths of a login shell's.
// Bench-only code: it throws on any failure.
#pragma once

#include <string>
#include <vector>

namespace rtx::bench {

struct RealisticOptions {
  std::string rtx;            // the rtx binary that installs
  std::string shim_binary;    // rtx-shim the shims link to (RTX_SHIM_BINARY for reshim)
  std::string target_binary;  // what the plugin installs as bin/<command>
  std::string tool = "benchtool";
  std::string command = "benchcmd";
  std::string version = "1.2.0";  // installed, and the exact spec of the project
  int depth = 6;                  // the cwd is this many directories below the project's config
};

class RealisticSetup {
 public:
  // Under `root` (made if missing, left in place) or, when empty, a fresh
  // mkdtemp dir in /tmp that the destructor removes.
  explicit RealisticSetup(RealisticOptions options, std::string root = {});
  ~RealisticSetup();
  RealisticSetup(const RealisticSetup&) = delete;
  RealisticSetup& operator=(const RealisticSetup&) = delete;

  const RealisticOptions& options() const { return options_; }
  const std::string& root() const { return root_; }
  std::string home() const { return root_ + "/home"; }
  std::string data_dir() const { return home() + "/.local/share/rtx"; }
  const std::string& leaf() const { return leaf_; }         // the cwd of every run
  const std::string& entry_path() const { return entry_; }  // the installed build
  std::string command_path() const { return entry_ + "/bin/" + options_.command; }
  std::string shim_path() const { return data_dir() + "/shims/" + options_.command; }
  const std::vector<std::string>& env() const { return env_; }  // 45 NAME=VALUE

 private:
  void write_plugin() const;
  void run_rtx(const std::vector<std::string>& args) const;

  RealisticOptions options_;
  std::string root_;
  std::string leaf_;
  std::string entry_;
  std::vector<std::string> env_;
  bool owned_ = false;
};

// A login shell's environment for `home`, `cwd` and a PATH that starts with
// `shims_dir`: 45 variables (HOME, USER, PATH with 8 entries, LANG, 12 LC_*,
// TERM, SHELL, XDG_*, SSH_*, LS_COLORS, …), no RTX_* variable.
std::vector<std::string> login_shell_env(const std::string& home, const std::string& cwd, const std::string& shims_dir);

}  // namespace rtx::bench
