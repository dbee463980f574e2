// The `rtx` CLI: argument parsing only (the one CLI11 unit); the work is in
// the cmd_*.cpp files. Exceptions end here, as one line and a non-zero exit.
#include <sys/stat.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <exception>

#include "manager/cli/commands.hpp"
#include "manager/cli/install_jobs.hpp"
#include "manager/config/tracked_configs.hpp"
#include "manager/shell/cli_model.hpp"
#include "manager/shell/man_page.hpp"
#include "manager/store/recovery.hpp"
#include "manager/util/log.hpp"
#include "manager/util/process_runner.hpp"
#include "manager/util/root_safety.hpp"
#include "resolver/config_file.hpp"
#include "resolver/version.hpp"

using namespace rtx::cli;

namespace {

struct Args {
  std::vector<std::string> tool_specs;
  std::vector<std::string> command;
  std::string one;
  std::string two;
  std::optional<std::string> opt_tool;
  std::optional<std::string> opt_prefix;
  bool json = false;
  bool force = false;
  bool global = false;
  bool dry_run = false;
  bool wait = false;
  bool pin = false;
  bool fuzzy = false;
  bool bump = false;
  bool locked = false;
  bool from_lock = false;  // mirror export
  std::vector<std::string> platforms;
  std::optional<std::string> jobs;  // install -j
  int verbose = 0;                  // how many -v
  bool quiet = false;
  bool offline = false;
};

// Tool names and versions from the command line are checked before anything
// touches the filesystem: `rtx ls-remote ''`, `rollback --to ../x` (DESIGN.md §4).
rtx::Status check_names(const Args& a, const std::vector<std::string>& tools) {
  for (const auto& t : tools)
    if (auto st = rtx::resolver::validate_tool_name(t); !st) return st;
  if (a.opt_tool)
    if (auto st = rtx::resolver::validate_tool_name(*a.opt_tool); !st) return st;
  return rtx::ok_status();
}

// The parser as plain data, for completion and the man page (cli_model.hpp).
// Hidden commands (group "") are left out.
rtx::shell::CliCommand describe(const CLI::App& app) {
  rtx::shell::CliCommand c;
  c.name = app.get_name();
  c.help = app.get_description();
  for (const CLI::Option* o : app.get_options()) {
    if (!o->nonpositional()) {
      c.positionals.push_back(rtx::shell::CliPositional{o->get_name(), o->get_description(), o->get_required(),
                                                        o->get_items_expected_max() > 1,
                                                        rtx::shell::word_kind(o->get_name())});
      continue;
    }
    rtx::shell::CliOption opt;
    for (const auto& n : o->get_snames()) opt.names.push_back("-" + n);
    for (const auto& n : o->get_lnames()) opt.names.push_back("--" + n);
    opt.help = o->get_description();
    opt.takes_value = o->get_items_expected_max() > 0;  // a flag expects none
    if (opt.takes_value && !o->get_lnames().empty()) opt.value = rtx::shell::word_kind("--" + o->get_lnames().front());
    c.options.push_back(std::move(opt));
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); }))
    c.subcommands.push_back(describe(*sub));
  return c;
}

int run(int argc, char** argv) {
  CLI::App app{"rtx: toolchain versions that never break what is running", "rtx"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "rtx " RTX_VERSION);
  Args a;
  // Global flags, before the subcommands: they inherit fallthrough, so
  // `rtx -q install` and `rtx install -q` both work (util/log.hpp).
  app.fallthrough();
  app.add_flag("-v,--verbose", a.verbose, "Say more on stderr: -v debug lines, -vv trace (RTX_LOG_LEVEL)");
  app.add_flag("-q,--quiet", a.quiet, "Say only errors on stderr (RTX_QUIET=1)");
  app.add_flag("--offline", a.offline,
               "No network at all: versions and downloads come from the cache, or fail saying what to fetch "
               "(RTX_OFFLINE=1)");
  std::function<int(Context&)> action;
  std::function<int()> standalone;        // a command that needs no roots (completion, __man)
  std::vector<std::string> tool_args;     // names to validate before running
  std::vector<std::string> version_args;  // likewise, versions
  bool recover = true;
  bool check_roots = true;  // doctor reports unsafe roots instead of refusing them

  auto* install = app.add_subcommand("install", "Install tool versions (no argument: everything the config asks for)");
  install->add_option("tool@spec", a.tool_specs, "e.g. node@20, python@3.12.1, hello@latest");
  install->add_flag("-f,--force", a.force, "Build again even if the version is installed (the old build is retired)");
  install->add_flag("--locked", a.locked,
                    "Install exactly what the lock beside each config says (rtx.lock or mise.lock); fail on anything "
                    "missing or different (also RTX_LOCKED=1)");
  install->add_option("-j,--jobs", a.jobs,
                      "Install up to N tools at once; versions of one tool one after another (default: the number "
                      "of cores; RTX_JOBS)");
  install->callback([&] {
    auto jobs = install_jobs_setting(a.jobs, std::getenv("RTX_JOBS"));
    if (!jobs) {
      standalone = [error = jobs.error()] { return fail(error, 2); };  // before anything is touched
      return;
    }
    action = [&, n = *jobs](Context& c) { return cmd_install(c, a.tool_specs, a.force, a.locked, n); };
  });

  auto* lock = app.add_subcommand("lock", "Write rtx.lock: the exact version and per-platform artifact of each tool");
  lock->add_option("tool", a.tool_specs, "Tools to lock (default: every tool the project's configs ask for)");
  lock->add_option("-p,--platform", a.platforms,
                   "Platforms to lock, e.g. linux-x64,macos-arm64 (default: the lock's, else linux-x64, "
                   "linux-arm64, macos-x64, macos-arm64)");
  lock->callback([&] {
    tool_args = a.tool_specs;
    action = [&](Context& c) { return cmd_lock(c, a.tool_specs, a.platforms); };
  });

  auto* mirror = app.add_subcommand("mirror", "A fleet serves itself: upstream layouts any static web server serves");
  mirror->require_subcommand(1);
  auto* mexport = mirror->add_subcommand(
      "export", "Write what is installed (or what the lock names) into DIR as node, go, python, rust and npm mirrors");
  mexport->add_option("dir", a.one, "The folder to write (created when missing; exporting again adds versions)")
      ->required();
  mexport->add_flag("--from-lock", a.from_lock,
                    "Export every artifact the project's lock records (every platform), fetching what the download "
                    "cache lacks");
  mexport->callback([&] { action = [&](Context& c) { return cmd_mirror_export(c, a.one, a.from_lock); }; });

  auto* uninstall = app.add_subcommand("uninstall", "Retire an installed version; removed once no process uses it");
  uninstall->add_option("tool@version", a.one)->required();
  uninstall->callback([&] { action = [&](Context& c) { return cmd_uninstall(c, a.one); }; });

  auto* ls = app.add_subcommand("ls", "List installed builds and their states");
  ls->add_option("tool", a.opt_tool);
  ls->add_flag("--json", a.json, "JSON array for scripts");
  ls->callback([&] { action = [&](Context& c) { return cmd_ls(c, a.opt_tool, a.json); }; });

  auto* ls_remote = app.add_subcommand("ls-remote", "List versions available to install");
  ls_remote->add_option("tool", a.one)->required();
  ls_remote->add_option("prefix", a.opt_prefix);
  ls_remote->add_flag("--json", a.json, "JSON array for scripts");
  ls_remote->callback([&] {
    tool_args = {a.one};
    action = [&](Context& c) { return cmd_ls_remote(c, a.one, a.opt_prefix, a.json); };
  });

  auto* current = app.add_subcommand("current", "Show the version each configured tool resolves to here");
  current->add_option("tool", a.opt_tool);
  current->add_flag("--json", a.json, "JSON array for scripts");
  current->callback([&] { action = [&](Context& c) { return cmd_current(c, a.opt_tool, a.json); }; });

  auto* which = app.add_subcommand("which", "Show the executable a shim would run here");
  which->add_option("command", a.one)->required();
  which->callback([&] { action = [&](Context& c) { return cmd_which(c, a.one); }; });

  auto* where = app.add_subcommand("where", "Show the install prefix of a tool version");
  where->add_option("tool[@spec]", a.one)->required();
  where->callback([&] { action = [&](Context& c) { return cmd_where(c, a.one); }; });

  auto* exec = app.add_subcommand("exec", "Run a command with tool versions pinned, as a shim would");
  exec->add_option("tool@spec", a.tool_specs, "Tools to put first on PATH (default: the configured ones)");
  exec->footer("Usage: rtx exec [tool@spec…] -- COMMAND [ARGS…]");
  exec->callback([&] {
    recover = false;  // exec is on the hot path of scripts
    action = [&](Context& c) { return cmd_exec(c, a.tool_specs, a.command); };
  });

  auto* use = app.add_subcommand("use", "Install a version and record it in rtx.toml (or the global config)");
  use->add_option("tool@spec", a.tool_specs, "One or more, e.g. node@20 python@3.12")->required();
  use->add_flag("-g,--global", a.global, "Write $RTX_CONFIG_DIR/config.toml");
  use->add_flag("--pin", a.pin, "Write the exact version installed (node@20 writes 20.11.1), not the spec as typed");
  use->add_flag("--fuzzy", a.fuzzy, "Write the major of the version installed (node@20.11 writes 20)");
  use->callback([&] { action = [&](Context& c) { return cmd_use(c, a.tool_specs, a.global, a.pin, a.fuzzy); }; });

  auto* reshim = app.add_subcommand("reshim", "Rewrite shims/ and shims/.index from the installed builds");
  reshim->callback([&] { action = [&](Context& c) { return cmd_reshim(c); }; });

  auto* upgrade = app.add_subcommand("upgrade", "Install the newest version each fuzzy request allows, side by side");
  upgrade->add_option("tool", a.tool_specs, "Tools to upgrade (default: every tool configured here)");
  upgrade->add_flag("--dry-run", a.dry_run, "Only say what would be upgraded");
  upgrade->add_flag("-f,--force", a.force, "Also take versions a rollback held back");
  upgrade->add_flag("--bump", a.bump,
                    "Take the newest version, even past the spec, and rewrite the spec in its config at the same "
                    "precision (20 -> 22, 20.11 -> 22.3)");
  upgrade->callback([&] {
    tool_args = a.tool_specs;
    action = [&](Context& c) { return cmd_upgrade(c, a.tool_specs, a.dry_run, a.force, a.bump); };
  });

  auto* outdated = app.add_subcommand("outdated", "Configured tools with a newer version their request allows");
  outdated->add_option("tool", a.tool_specs, "Tools to check (default: every tool configured here)");
  outdated->add_flag("--json", a.json, "JSON array for scripts");
  outdated->callback([&] {
    tool_args = a.tool_specs;
    action = [&](Context& c) { return cmd_outdated(c, a.tool_specs, a.json); };
  });

  auto* latest = app.add_subcommand("latest", "Print the newest remote version of a tool, or of a prefix");
  latest->add_option("tool[@prefix]", a.one, "e.g. node, node@20")->required();
  latest->callback([&] { action = [&](Context& c) { return cmd_latest(c, a.one); }; });

  auto* rollback = app.add_subcommand("rollback", "Bring back the build the last upgrade replaced");
  rollback->add_option("tool", a.one)->required();
  rollback->add_option("--to", a.opt_prefix, "The version to go back to (default: the most recent replaced build)");
  rollback->callback([&] {
    tool_args = {a.one};
    if (a.opt_prefix) version_args = {*a.opt_prefix};
    action = [&](Context& c) { return cmd_rollback(c, a.one, a.opt_prefix); };
  });

  auto* gc = app.add_subcommand("gc", "Remove retired builds no process uses any more");
  gc->add_flag("--dry-run", a.dry_run, "Only say what would be removed");
  gc->add_flag("--wait", a.wait, "Wait here until builds in use are free, then remove them");
  gc->callback([&] { action = [&](Context& c) { return cmd_gc(c, a.dry_run, a.wait); }; });

  auto* ps = app.add_subcommand("ps", "Live processes holding a build, and pending removals");
  ps->add_option("tool", a.opt_tool);
  ps->add_flag("--json", a.json, "JSON array for scripts");
  ps->callback([&] { action = [&](Context& c) { return cmd_ps(c, a.opt_tool, a.json); }; });

  // The detached waiter of a deferred reap (DESIGN.md §7); not for people.
  auto* reap_wait = app.add_subcommand("__reap-wait", "");
  reap_wait->group("");
  reap_wait->add_option("builds", a.command, "TOOL ENTRY pairs: one waiter for many builds")->required();
  reap_wait->callback([&] {
    recover = false;
    if (a.command.size() % 2) throw CLI::ValidationError("__reap-wait", "TOOL ENTRY pairs expected");
    for (std::size_t i = 0; i < a.command.size(); i += 2) {
      tool_args.push_back(a.command[i]);
      version_args.push_back(a.command[i + 1]);
    }
    action = [&](Context& c) { return cmd_reap_wait(c, a.command); };
  });

  // What a shim execs for an asdf legacy file it cannot parse itself (DESIGN.md §4); not for people.
  auto* parse_legacy = app.add_subcommand("__parse-legacy-file", "");
  parse_legacy->group("");
  parse_legacy->add_option("tool", a.one)->required();
  parse_legacy->callback([&] {
    recover = false;  // changes nothing in the store: the shim's hand-over stays short
    tool_args = {a.one};
    action = [&](Context& c) { return cmd_parse_legacy_file(c, a.one, a.command); };
  });

  // What a shim execs for a configured but missing version (DESIGN.md §4); not for people.
  auto* auto_install = app.add_subcommand("__auto-install", "");
  auto_install->group("");
  auto_install->add_option("tool", a.one)->required();
  auto_install->add_option("spec", a.two)->required();
  auto_install->callback([&] {
    tool_args = {a.one};
    action = [&](Context& c) { return cmd_auto_install(c, a.one, a.two, a.command); };
  });

  // What the activated shell's command-not-found hook runs (docs/decisions.md); not for people.
  auto* not_found = app.add_subcommand("__not-found", "");
  not_found->group("");
  not_found->add_option("command", a.one)->required();
  not_found->callback([&] { action = [&](Context& c) { return cmd_not_found(c, a.one); }; });

  auto* doctor = app.add_subcommand("doctor", "Repair what a crash left behind and check the setup");
  doctor->add_flag("--json", a.json, "JSON object for scripts: ok, findings, repaired");
  doctor->footer("Each finding is a problem (exit 1), a warning or a note, with its fix.");
  doctor->callback([&] {
    recover = false;  // doctor runs recovery itself and reports it
    check_roots = false;
    action = [&](Context& c) { return cmd_doctor(c, a.json); };
  });

  auto* activate = app.add_subcommand("activate", "Print shell code that puts rtx's shims first on PATH");
  activate->add_option("shell", a.one, "bash, zsh or fish")->required();
  activate->footer(
      "In ~/.bashrc: eval \"$(rtx activate bash)\"   ~/.zshrc: eval \"$(rtx activate zsh)\"\n"
      "~/.config/fish/config.fish: rtx activate fish | source");
  activate->callback([&] {
    recover = false;  // runs as every shell starts
    action = [&](Context& c) { return cmd_activate(c, a.one); };
  });
  auto* deactivate = app.add_subcommand("deactivate", "Print shell code that undoes 'rtx activate'");
  deactivate->add_option("shell", a.one, "bash, zsh or fish")->required();
  deactivate->callback([&] {
    recover = false;
    action = [&](Context& c) { return cmd_deactivate(c, a.one); };
  });
  auto* completion = app.add_subcommand("completion", "Print the shell completion script (rtx activate loads it)");
  completion->add_option("shell", a.one, "bash, zsh or fish")->required();
  completion->callback([&] { standalone = [&] { return cmd_completion(a.one); }; });
  // The line scripts/install.sh tells a new user to add to their rc file; not for people.
  auto* rc_line = app.add_subcommand("__rc-line", "");
  rc_line->group("");
  rc_line->add_option("shell", a.one)->required();
  rc_line->callback([&] { standalone = [&] { return cmd_rc_line(a.one); }; });
  // rtx(1), generated from this parser (the build installs it); not for people.
  auto* man = app.add_subcommand("__man", "");
  man->group("");
  man->callback([&] {
    standalone = [&] {
      std::string page = rtx::shell::man_page(describe(app), "rtx " RTX_VERSION);
      std::fwrite(page.data(), 1, page.size(), stdout);
      return 0;
    };
  });

  auto* plugins = app.add_subcommand("plugins", "Manage asdf plugins");
  plugins->require_subcommand(1);
  auto* link = plugins->add_subcommand("link", "Use a local folder as the plugin NAME");
  link->add_option("name", a.one)->required();
  link->add_option("dir", a.two)->required();
  link->callback([&] {
    tool_args = {a.one};
    action = [&](Context& c) { return cmd_plugins_link(c, a.one, a.two); };
  });
  auto* padd = plugins->add_subcommand("add", "Clone an asdf plugin from git (URL optional for registry names)");
  padd->add_option("name", a.one)->required();
  padd->add_option("git_url", a.two);
  padd->add_option("--ref", a.opt_prefix, "A tag, branch or commit to check out");
  padd->callback([&] {
    tool_args = {a.one};
    action = [&](Context& c) { return cmd_plugins_add(c, a.one, a.two, a.opt_prefix); };
  });
  auto* pupdate = plugins->add_subcommand("update", "Fetch git plugins (default: all) and move to their ref");
  pupdate->add_option("name", a.tool_specs);
  pupdate->callback([&] {
    tool_args = a.tool_specs;
    action = [&](Context& c) { return cmd_plugins_update(c, a.tool_specs); };
  });
  auto* premove = plugins->add_subcommand("remove", "Remove a plugin (installed versions stay)");
  premove->add_option("name", a.one)->required();
  premove->callback([&] {
    tool_args = {a.one};
    action = [&](Context& c) { return cmd_plugins_remove(c, a.one); };
  });
  auto* pls = plugins->add_subcommand("ls", "List plugins");
  pls->add_flag("--json", a.json, "JSON array for scripts");
  pls->callback([&] { action = [&](Context& c) { return cmd_plugins_ls(c, a.json); }; });

  // `rtx __complete -- WORD…`, what completion scripts run on each TAB: the
  // words are the command line being typed, never parsed as rtx's arguments.
  std::vector<std::string> raw(argv + 1, argv + argc);
  if (raw.size() >= 2 && raw[0] == "__complete" && raw[1] == "--") {
    auto ctx = make_context();
    if (!ctx) return fail(ctx.error());
    return cmd_complete(*ctx, describe(app), std::vector<std::string>(raw.begin() + 2, raw.end()));
  }

  // `rtx exec node@20 -- node -v`: everything after "--" is the command.
  auto dashdash = std::find(raw.begin(), raw.end(), "--");
  if (!raw.empty() && (raw[0] == "exec" || raw[0] == "__auto-install" || raw[0] == "__parse-legacy-file") &&
      dashdash != raw.end()) {
    a.command.assign(dashdash + 1, raw.end());
    raw.erase(dashdash, raw.end());
    std::reverse(raw.begin(), raw.end());
    try {
      app.parse(raw);
    } catch (const CLI::ParseError& e) {
      return app.exit(e);
    }
  } else {
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      int status = app.exit(e);
      return status == 0 ? 0 : 2;
    }
  }

  // One setting for the whole command and every process it starts (plugin
  // scripts, a shim's `rtx __auto-install`): net/offline.hpp reads it.
  if (a.offline) ::setenv("RTX_OFFLINE", "1", 1);
  rtx::util::configure_logging(a.verbose, a.quiet);
  if (rtx::util::log_enabled(rtx::util::LogLevel::debug)) {
    std::string line = "rtx " RTX_VERSION ":";
    for (int i = 0; i < argc; ++i) line += std::string(" ") + argv[i];
    rtx::util::log_debug(line);
  }
  if (standalone) return standalone();
  if (auto st = check_names(a, tool_args); !st) return fail(st.error(), 2);
  for (const auto& v : version_args)
    if (auto st = rtx::resolver::validate_version(v); !st) return fail(st.error(), 2);
  // Nothing rtx writes is group- or world-writable, whatever umask it inherits (DESIGN.md §2).
  ::umask(::umask(0) | 022);
  auto ctx = make_context();
  if (!ctx) return fail(ctx.error());
  if (check_roots)
    if (auto st = rtx::util::check_roots(ctx->roots); !st) return fail(st.error());
  rtx::util::install_interrupt_handlers();
  if (recover) rtx::store::recover_store(ctx->layout, ctx->shim_binary, ctx->roots.state, ctx->download_root());
  int status = action(*ctx);
  // Tracking is what keeps a config's build from being retired by upgrades
  // (DESIGN.md §7): a failure is worth one line, not the command's status.
  if (auto tracked = rtx::config::track_configs(ctx->roots.state, *ctx->configs_read); !tracked)
    rtx::util::log_warn("cannot record the configs this command read: " + tracked.error());
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rtx: internal error: %s: please report it with the command you ran\n", e.what());
    return 70;
  }
}
