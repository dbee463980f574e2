// rtx-shim: what every file in shims/ is (DESIGN.md §5).
// argv[0] → tools (shims/.index) → request (§4) → pin/lease (§5) → execve by
// store path. No Boost, no iostreams, no exceptions, no locale, no NSS; static.
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "resolver/acquire.hpp"
#include "resolver/build_meta.hpp"
#include "resolver/config_read.hpp"
#include "resolver/file_io.hpp"
#include "resolver/handoff.hpp"
#include "resolver/printable.hpp"
#include "resolver/request.hpp"
#include "resolver/roots.hpp"
#include "resolver/shim_index.hpp"
#include "resolver/system_tool.hpp"

using namespace rtx::resolver;

namespace {

// Exit statuses (docs/exit-codes.md).
constexpr int kNotInstalled = 127;  // not configured, not installed, command missing
constexpr int kCannotRun = 126;     // bad config or environment, exec failed

void say(const std::string& line) {
  std::string out = printable(line) + "\n";
  (void)!::write(STDERR_FILENO, out.data(), out.size());
}

[[noreturn]] void fail(int status, const std::string& line) {
  say(line);
  ::_exit(status);
}

std::string current_dir() {
  std::string dir(256, '\0');  // on the heap: a fresh stack page costs more
  while (!::getcwd(dir.data(), dir.size())) {
    if (errno != ERANGE || dir.size() >= 65536) {
      const char* pwd = std::getenv("PWD");
      return pwd ? pwd : "/";
    }
    dir.resize(dir.size() * 2);
  }
  dir.resize(std::strlen(dir.c_str()));
  return dir;
}

void apply_build_env(const BuildMeta& meta) {
  for (const auto& [key, value] : meta.env) ::setenv(key.c_str(), value.c_str(), 1);
  if (!meta.path_prepend.empty()) {
    std::string path;
    for (const auto& p : meta.path_prepend) path += p + ":";
    const char* old = std::getenv("PATH");
    path += old ? old : "";
    ::setenv("PATH", path.c_str(), 1);
  }
}

// Auto-install (DESIGN.md §4): a configured version that is missing is handed
// to `rtx __auto-install` (exec, not a child), which installs it under the
// install lock, progress on stderr, then execs this shim again to run the
// command pinned. RTX_AUTO_INSTALLED marks that second run so a version the
// install did not produce fails instead of looping.
bool auto_install_wanted(const Roots& roots, const std::string& tool, const std::string& auto_installed) {
  if (tool == auto_installed) return false;
  ConfigRead global = read_config(roots.config + "/config.toml", {});
  return auto_install_enabled(global.access == ConfigAccess::Read ? global.text : std::string());
}

// The rtx beside the real rtx-shim, or empty when there is none.
std::string rtx_beside_shim() {
  std::string self = read_link("/proc/self/exe");
  std::string rtx = self.substr(0, self.rfind('/') + 1) + "rtx";
  return self.empty() || ::access(rtx.c_str(), X_OK) != 0 ? std::string() : rtx;
}

void exec_auto_install(const StoreLayout& layout, const std::string& command, const std::string& tool,
                       const Request& request, char** argv) {
  std::string rtx = rtx_beside_shim();
  if (rtx.empty()) return;  // no rtx beside the shim: say "not installed"
  std::string shim = layout.shims_dir() + "/" + command;
  std::vector<char*> args{const_cast<char*>(rtx.c_str()),  const_cast<char*>("__auto-install"),
                          const_cast<char*>(tool.c_str()), const_cast<char*>(request.specs.front().text.c_str()),
                          const_cast<char*>("--"),         shim.data()};
  for (char** a = argv + 1; *a; ++a) args.push_back(*a);
  args.push_back(nullptr);
  ::execv(rtx.c_str(), args.data());
}

// An asdf plugin's legacy file whose bin/parse-legacy-file answer is not
// cached (DESIGN.md §4): the shim runs no plugin script, so it hands over to
// `rtx __parse-legacy-file TOOL -- SHIM ARGS…` (exec, not a child), which
// resolves as the shim does but runs the script, caches the answer, and execs
// this shim again with the answer in RTX_LEGACY_ANSWER. A run that was handed
// an answer and still misses (the file changed meanwhile) fails instead of
// looping.
[[noreturn]] void exec_legacy_parse(const StoreLayout& layout, const std::string& command, const LegacyAnswer& miss,
                                    bool handed, const std::string& error, char** argv) {
  std::string rtx = rtx_beside_shim();
  if (handed || rtx.empty())
    fail(kCannotRun, "rtx: " + error +
                         (handed ? " (the file changed while rtx read it: run the command again)"
                                 : " (no rtx beside the shim to run it)"));
  std::string shim = layout.shims_dir() + "/" + command;
  std::vector<char*> args{const_cast<char*>(rtx.c_str()), const_cast<char*>("__parse-legacy-file"),
                          const_cast<char*>(miss.tool.c_str()), const_cast<char*>("--"), shim.data()};
  for (char** a = argv + 1; *a; ++a) args.push_back(*a);
  args.push_back(nullptr);
  ::execv(rtx.c_str(), args.data());
  fail(kCannotRun, "rtx: " + error + " (cannot run " + rtx + ": " + std::strerror(errno) + ")");
}

[[noreturn]] void exec(const std::string& exe, char** argv) {
  argv[0] = const_cast<char*>(exe.c_str());
  ::execv(exe.c_str(), argv);
  fail(kCannotRun, "rtx: cannot run " + exe + ": " + std::strerror(errno) + ": check the file or reinstall the tool");
}

// Runs the next `command` on PATH outside the shims dir, or fails with 127 and
// the line `message()` builds.
template <typename Message>
[[noreturn]] void exec_system_command(const StoreLayout& layout, const std::string& command, char** argv,
                                      Message message) {
  const char* path = std::getenv("PATH");
  std::string exe = find_system_command(command, path ? path : "", layout.shims_dir());
  if (exe.empty()) fail(kNotInstalled, message());
  exec(exe, argv);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 1) fail(kCannotRun, "rtx-shim: started without argv[0]");
  std::string command = argv[0];
  command = command.substr(command.rfind('/') + 1);
  if (command == "rtx-shim") {  // `rtx-shim CMD ARGS…` behaves like the shim named CMD
    if (argc < 2)
      fail(kCannotRun, "rtx-shim: this is the shim every file in shims/ links to: run a shim, or rtx-shim CMD ARGS");
    command = argv[1];
    ++argv;
  }
  if (command.empty() || command.find('/') != std::string::npos)
    fail(kCannotRun, "rtx-shim: '" + command + "' is not a command name: give a name without '/'");

  // Set only for the run an auto-install hands back to; never passed on.
  std::string auto_installed;
  if (const char* marker = std::getenv("RTX_AUTO_INSTALLED")) {
    auto_installed = marker;
    ::unsetenv("RTX_AUTO_INSTALLED");
  }
  // Set only for the run `rtx __parse-legacy-file` hands back to; never passed on.
  std::string legacy_answers;
  const bool legacy_handed = std::getenv("RTX_LEGACY_ANSWER") != nullptr;
  if (legacy_handed) {
    legacy_answers = std::getenv("RTX_LEGACY_ANSWER");
    ::unsetenv("RTX_LEGACY_ANSWER");
  }

  auto roots = roots_from_env();
  if (!roots) fail(kCannotRun, "rtx: " + roots.error());
  StoreLayout layout{roots->data};

  std::vector<std::string> tools;
  if (int err = tools_for_command_in_file(layout.shim_index(), command, tools); err)
    fail(kNotInstalled, "rtx: cannot read " + layout.shim_index() + " (" + std::strerror(err) + "): run 'rtx reshim'");
  if (tools.empty())  // a shim left from an uninstalled tool: not rtx's command any more
    exec_system_command(layout, command, argv, [&] {
      return "rtx: no installed tool provides '" + command + "' (" + layout.shim_index() +
             ") and none is on PATH: install the tool, then run 'rtx reshim'";
    });

  std::string cwd = current_dir();
  RequestFinder finder(*roots, cwd);
  if (legacy_handed) finder.add_legacy_answers(legacy_answers);
  for (const std::string& tool : tools) {
    auto request = finder.find(tool);
    if (!request && finder.legacy_miss())
      exec_legacy_parse(layout, command, *finder.legacy_miss(), legacy_handed, request.error(), argv);
    if (!request) fail(kCannotRun, "rtx: " + request.error());
    if (request->tool.empty()) continue;  // this tool is not configured here; another may be

    Acquired build;
    bool found = acquire_build(layout, *request, build);
    if (!build.warning.empty()) say(build.warning);
    if (!found && auto_install_wanted(*roots, tool, auto_installed))
      exec_auto_install(layout, command, tool, *request, argv);
    if (!found)
      fail(kNotInstalled, "rtx: " + tool + " " + request->joined() + " (asked by " + request->source +
                              ") is not installed, in " + cwd + ": run 'rtx install " + tool + "@" +
                              request->specs.front().text + "'");

    if (build.version == "system")
      exec_system_command(layout, command, argv, [&] {
        return "rtx: " + tool + " is set to 'system' (" + request->source + ") but no '" + command +
               "' is on PATH outside " + layout.shims_dir() + ", in " + cwd +
               ": install it on the system or pick a version with 'rtx use'";
      });

    BuildMeta meta = load_build_meta(build.entry_path);
    std::string exe = find_command(build.entry_path, meta, command);
    if (exe.empty())
      fail(kNotInstalled, "rtx: " + tool + " " + build.version + " (" + build.entry_path + ") has no command '" +
                              command + "', in " + cwd + ": pick a version that has it with 'rtx use'");
    apply_build_env(meta);
    hand_off_build(*request, build);
    exec(exe, argv);
  }

  // No source names any tool that provides this command: it is not rtx's to
  // answer, so the system's command of that name runs (DESIGN.md §4 "Not
  // configured"), as `ls` would without rtx.
  exec_system_command(layout, command, argv, [&] {
    std::string names;
    for (const auto& t : tools) names += (names.empty() ? "" : ", ") + t;
    return "rtx: no version of " + names + " is configured for " + cwd + " and no other '" + command +
           "' is on PATH: run 'rtx use " + tools.front() + "@<version>' or set " + version_env_var(tools.front());
  });
}
