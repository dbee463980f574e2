// One function per `rtx` command; main.cpp (the only CLI11 unit) parses the
// arguments and calls these. Each returns the exit status.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "manager/cli/context.hpp"
#include "manager/query/query_commands.hpp"  // ls, current, which, ps
#include "manager/shell/cli_model.hpp"

namespace rtx::cli {

// locked: install exactly what each config's lock says (lock_session.hpp).
// jobs: tools installed at once (-j; install_jobs.hpp), 1: one after another.
int cmd_install(Context& ctx, const std::vector<std::string>& tool_specs, bool force, bool locked, unsigned jobs);
// platforms: "linux-x64,macos-arm64" items (darwin-* accepted); none: the lock's, else all four.
int cmd_lock(Context& ctx, const std::vector<std::string>& tools, const std::vector<std::string>& platforms);
// dir: the folder written (mirror/export.hpp); from_lock: what the project's locks name, else what is installed.
int cmd_mirror_export(Context& ctx, const std::string& dir, bool from_lock);
int cmd_uninstall(Context& ctx, const std::string& tool_version);
int cmd_ls_remote(Context& ctx, const std::string& tool, const std::optional<std::string>& prefix, bool json);
int cmd_where(Context& ctx, const std::string& tool_spec);
int cmd_exec(Context& ctx, const std::vector<std::string>& tool_specs, const std::vector<std::string>& command);
// pin: write the exact version installed; fuzzy: its major (config/spec_rewrite.hpp).
int cmd_use(Context& ctx, const std::vector<std::string>& tool_specs, bool global, bool pin, bool fuzzy);
int cmd_reshim(Context& ctx);
int cmd_gc(Context& ctx, bool dry_run, bool wait);
int cmd_reap_wait(Context& ctx, const std::vector<std::string>& tool_entry_pairs);  // TOOL ENTRY [TOOL ENTRY…]
// bump: the newest version overall, written into the config at the spec's precision.
int cmd_upgrade(Context& ctx, const std::vector<std::string>& tools, bool dry_run, bool force, bool bump);
int cmd_rollback(Context& ctx, const std::string& tool, const std::optional<std::string>& to);
int cmd_plugins_link(Context& ctx, const std::string& name, const std::string& dir);
int cmd_plugins_ls(Context& ctx, bool json);
int cmd_plugins_add(Context& ctx, const std::string& name, const std::string& url,
                    const std::optional<std::string>& ref);
int cmd_plugins_update(Context& ctx, const std::vector<std::string>& names);
int cmd_plugins_remove(Context& ctx, const std::string& name);
int cmd_doctor(Context& ctx, bool json);
int cmd_outdated(Context& ctx, const std::vector<std::string>& tools, bool json);
int cmd_latest(Context& ctx, const std::string& tool_spec);
int cmd_auto_install(Context& ctx, const std::string& tool, const std::string& spec,
                     const std::vector<std::string>& command);
// What a shim execs for an asdf legacy file whose parse-legacy-file answer is not cached.
int cmd_parse_legacy_file(Context& ctx, const std::string& tool, const std::vector<std::string>& command);
int cmd_not_found(Context& ctx, const std::string& command);
int cmd_activate(Context& ctx, const std::string& shell);
int cmd_deactivate(Context& ctx, const std::string& shell);
int cmd_completion(const std::string& shell);
int cmd_rc_line(const std::string& shell);
int cmd_complete(Context& ctx, const shell::CliCommand& cli, const std::vector<std::string>& words);

}  // namespace rtx::cli
