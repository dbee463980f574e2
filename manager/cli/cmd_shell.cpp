// rtx activate / deactivate / completion, and `rtx __complete`, which the
// completion scripts run on each TAB (manager/shell/).
#include <dirent.h>
#include <fmt/core.h>

#include <algorithm>
#include <cstdio>

#include "manager/backends/plugins.hpp"
#include "manager/backends/registry.hpp"
#include "manager/backends/remote_versions_refresh.hpp"
#include "manager/cli/commands.hpp"
#include "manager/shell/activation.hpp"
#include "manager/store/entries.hpp"
#include "resolver/file_io.hpp"
#include "resolver/version.hpp"

namespace rtx::cli {
namespace {

Expected<shell::Shell> shell_named(const std::string& name) {
  shell::Shell s{};
  if (!shell::parse_shell(name, s)) return make_error("unknown shell '" + name + "': rtx supports bash, zsh and fish");
  return s;
}

int print(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  return kExitOk;
}

std::vector<std::string> installed(const Context& ctx, const std::string& only_tool) {
  std::vector<std::string> out;
  for (const auto& tool : store::list_tools(ctx.layout)) {
    if (!only_tool.empty() && tool != only_tool) continue;
    auto entries = store::list_entries(ctx.layout, tool);
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return resolver::compare_versions(a.version, b.version) > 0; });
    for (const auto& e : entries)
      if (e.state == resolver::EntryState::Ready) out.push_back(only_tool.empty() ? tool + "@" + e.version : e.version);
  }
  return out;
}

shell::WordSource word_source(const Context& ctx) {
  shell::WordSource source;
  source.tools = [&ctx] {
    std::vector<std::string> out = store::list_tools(ctx.layout);
    for (const auto& p : backends::list_plugins(ctx.layout)) out.push_back(p.name);
    for (auto& name : backends::registry_names()) out.push_back(std::move(name));
    return out;
  };
  source.installed = [&ctx] { return installed(ctx, ""); };
  source.versions = [&ctx](const std::string& tool) { return installed(ctx, tool.substr(0, tool.find('@'))); };
  source.remote = [&ctx](const std::string& tool) {
    return backends::remote_versions_for_tab(ctx.backend_env(), tool);
  };
  source.commands = [&ctx] {
    std::vector<std::string> out;
    if (DIR* d = ::opendir(ctx.layout.shims_dir().c_str())) {
      while (dirent* e = ::readdir(d))
        if (e->d_name[0] != '.') out.emplace_back(e->d_name);
      ::closedir(d);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  return source;
}

}  // namespace

int cmd_activate(Context& ctx, const std::string& shell_name) {
  auto s = shell_named(shell_name);
  if (!s) return fail(s.error(), 2);
  return print(shell::activate_script(*s, ctx.layout.shims_dir(), ctx.rtx_binary));
}

int cmd_deactivate(Context& ctx, const std::string& shell_name) {
  auto s = shell_named(shell_name);
  if (!s) return fail(s.error(), 2);
  return print(shell::deactivate_script(*s, ctx.layout.shims_dir()));
}

int cmd_completion(const std::string& shell_name) {
  auto s = shell_named(shell_name);
  if (!s) return fail(s.error(), 2);
  return print(shell::completion_script(*s));
}

int cmd_rc_line(const std::string& shell_name) {
  auto s = shell_named(shell_name);
  if (!s) return fail(s.error(), 2);
  std::string self = front_binary();  // `rtx`, even when run as rtx-manager
  if (self.empty()) return fail("cannot read /proc/self/exe: is /proc mounted?");
  return print(shell::rc_line(*s, self) + "\n");
}

int cmd_complete(Context& ctx, const shell::CliCommand& cli, const std::vector<std::string>& words) {
  shell::Completion c = shell::complete(cli, words, word_source(ctx));
  if (c.files) return print("__files__\n");
  std::string out = c.ordered && !c.words.empty() ? "__ordered__\n" : "";
  for (const auto& w : c.words) out += w + "\n";
  return print(out);
}

}  // namespace rtx::cli
