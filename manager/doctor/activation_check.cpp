// Check (3) of `rtx doctor`: the rc file of the user's shell activates rtx
// (issue 9 item 2), and the line to add when it does not.
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>

#include "manager/doctor/checks.hpp"
#include "manager/doctor/path_util.hpp"
#include "manager/shell/activation.hpp"
#include "resolver/file_io.hpp"

namespace rtx::doctor {
namespace {

std::string fish_config_dir(const ShellEnv& env) {
  return (env.xdg_config_home.empty() ? env.home + "/.config" : env.xdg_config_home) + "/fish";
}

// Every file the shell reads at start that could hold the activation; the
// rc file first. A login-only file counts too: what matters is that it is there.
std::vector<std::string> startup_files(shell::Shell sh, const ShellEnv& env) {
  if (sh == shell::Shell::Bash) {
    std::vector<std::string> out{rc_file(sh, env)};
    for (const char* f : {"/.bash_profile", "/.bash_login", "/.profile"}) out.push_back(env.home + f);
    return out;
  }
  if (sh == shell::Shell::Zsh) {
    std::string dir = env.zdotdir.empty() ? env.home : env.zdotdir;
    return {rc_file(sh, env), dir + "/.zshenv", dir + "/.zprofile", dir + "/.zlogin"};
  }
  std::vector<std::string> out{rc_file(sh, env)};
  std::string conf_d = fish_config_dir(env) + "/conf.d";
  std::vector<std::string> snippets;
  if (DIR* d = ::opendir(conf_d.c_str())) {
    while (dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name.size() > 5 && name.ends_with(".fish")) snippets.push_back(conf_d + "/" + name);
    }
    ::closedir(d);
  }
  std::sort(snippets.begin(), snippets.end());
  out.insert(out.end(), snippets.begin(), snippets.end());
  return out;
}

// Does the file run `rtx activate` or name shims/ (also as $HOME/…, ${HOME}/…, ~/…)?
bool activates(const std::string& file, const std::string& shims_dir, const std::string& home) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;  // a FIFO would block the read
  std::string text;
  if (resolver::read_file(file, text) != 0) return false;
  if (text.find("rtx activate") != std::string::npos || text.find(shims_dir) != std::string::npos) return true;
  if (home.empty() || !shims_dir.starts_with(home + "/")) return false;
  std::string rest = shims_dir.substr(home.size());
  for (const char* h : {"$HOME", "${HOME}", "~"})
    if (text.find(h + rest) != std::string::npos) return true;
  return false;
}

bool needs_quoting(const std::string& path) {
  return path.empty() ||
         path.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._+-@%,=") !=
             std::string::npos;
}

}  // namespace

std::string shell_name(const ShellEnv& env) { return env.shell.substr(env.shell.rfind('/') + 1); }

std::optional<shell::Shell> user_shell(const ShellEnv& env) {
  shell::Shell sh{};
  if (env.shell.empty() || !shell::parse_shell(shell_name(env), sh)) return std::nullopt;
  return sh;
}

std::string rc_file(shell::Shell sh, const ShellEnv& env) {
  switch (sh) {
    case shell::Shell::Bash:
      return env.home + "/.bashrc";
    case shell::Shell::Zsh:
      return (env.zdotdir.empty() ? env.home : env.zdotdir) + "/.zshrc";
    case shell::Shell::Fish:
      return fish_config_dir(env) + "/config.fish";
  }
  return env.home + "/.profile";
}

std::string activation_line(shell::Shell sh, const std::string& rtx_binary) {
  std::string exe = needs_quoting(rtx_binary) ? shell::shell_quote(sh, rtx_binary) : rtx_binary;
  if (sh == shell::Shell::Fish) return exe + " activate fish | source";
  return "eval \"$(" + exe + " activate " + (sh == shell::Shell::Bash ? "bash" : "zsh") + ")\"";
}

std::string put_shims_first(const std::string& shims_dir, const ShellEnv& env, const std::string& rtx_binary) {
  if (auto sh = user_shell(env))
    return "add '" + activation_line(*sh, rtx_binary) + "' as the last line of " + rc_file(*sh, env) +
           " (it puts the shims first on PATH), then open a new shell";
  return "add 'export PATH=\"" + shims_dir +
         ":$PATH\"' as the last line of your shell's startup file, then open a new shell";
}

Findings check_activation(const std::string& shims_dir, const ShellEnv& env, const std::string& rtx_binary) {
  auto sh = user_shell(env);
  if (!sh) return {};  // no $SHELL (cron, CI), or one rtx cannot activate: check "path" says what to do
  for (const auto& file : startup_files(*sh, env))
    if (activates(file, shims_dir, env.home)) return {};
  const std::string rc = rc_file(*sh, env);
  const std::string name = shell_name(env);
  bool on_path = shims_position(path_dirs(env.path), shims_dir).has_value();
  struct stat st {};
  std::string what = ::stat(rc.c_str(), &st) == 0
                         ? rc + " does not activate rtx (no 'rtx activate' or " + shims_dir + " in it)"
                         : rc + " does not exist, so nothing activates rtx";
  what += on_path ? ": this shell has the shims on PATH from elsewhere, new " + name + " shells may not"
                  : ": new " + name + " shells will not find the shims";
  return {{on_path ? Severity::Note : Severity::Warning, "activation", what,
           "add this line to " + rc + ": " + activation_line(*sh, rtx_binary)}};
}

}  // namespace rtx::doctor
