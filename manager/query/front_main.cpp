// `rtx`, the front (DESIGN.md §1, docs/decisions.md "A light front binary"):
// a static executable that starts in well under a millisecond and answers
// `--version`, current, which, ls and ps itself, through the very functions
// the full manager runs (manager/query/). Everything else, and every case
// those commands cannot finish without the manager's heavy parts (crash
// recovery to do, an asdf legacy file to parse, roots it would refuse, a
// command line it does not fully understand), is handed to rtx-manager beside
// it with the same argv: the manager then does exactly what it always did.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string_view>

#include "manager/config/tracked_configs.hpp"
#include "manager/query/front_args.hpp"
#include "manager/query/query_commands.hpp"
#include "manager/query/recovery_check.hpp"
#include "manager/util/fs.hpp"
#include "manager/util/log.hpp"
#include "manager/util/plugin_downloads.hpp"
#include "manager/util/root_safety.hpp"
#include "resolver/config_file.hpp"
#include "resolver/file_io.hpp"

using namespace rtx;
using namespace rtx::cli;

namespace {

// stderr lines held back until the command's answer is certain to be the
// front's: a hand-over drops them, and the manager says them again.
std::string g_front_held;
bool g_front_holding = false;

void front_hold_line(std::string_view line) { g_front_held.append(line); }

void front_release_lines() {
  if (!g_front_holding) return;
  g_front_holding = false;
  util::set_log_line_sink(nullptr);
  std::size_t done = 0;
  while (done < g_front_held.size()) {
    ssize_t n = ::write(STDERR_FILENO, g_front_held.data() + done, g_front_held.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += std::size_t(n);
  }
  g_front_held.clear();
}

// execs rtx-manager with argv as it came; returns only on failure.
int hand_over(char** argv) {
  g_front_holding = false;
  g_front_held.clear();
  util::set_log_line_sink(nullptr);
  std::string manager = util::self_dir() + "/rtx-manager";
  ::execv(manager.c_str(), argv);
  return fail("cannot run the rtx manager " + manager + ": " + std::strerror(errno) +
                  ": it is installed beside rtx; reinstall rtx",
              kExitCannotRun);
}

int front_run(int argc, char** argv) {
  auto args = query::parse_front_args(std::vector<std::string>(argv + 1, argv + argc));
  if (!args) return hand_over(argv);
  if (args->command == query::FrontCommand::version) {
    std::fputs("rtx " RTX_VERSION "\n", stdout);
    return kExitOk;
  }
  // What the manager checks or repairs before any command, checked first: when
  // anything is to be said or done, the manager says and does it. The tool of
  // current, ls and ps is checked before anything else (exit 2, main.cpp's check_names).
  if (args->operand && args->command != query::FrontCommand::which && !resolver::validate_tool_name(*args->operand))
    return hand_over(argv);
  auto ctx = make_query_context();
  if (!ctx || !util::check_roots(ctx->roots)) return hand_over(argv);
  if (query::needs_recovery(ctx->layout, util::plugin_download_root(ctx->roots.cache, ctx->roots.data)))
    return hand_over(argv);

  g_front_holding = true;
  util::set_log_line_sink(front_hold_line);
  if (args->offline) ::setenv("RTX_OFFLINE", "1", 1);
  util::configure_logging(args->verbose, args->quiet);
  if (util::log_enabled(util::LogLevel::debug)) {
    std::string line = "rtx " RTX_VERSION ":";
    for (int i = 0; i < argc; ++i) line += std::string(" ") + argv[i];
    util::log_debug(line);
  }
  // Nothing rtx writes is group- or world-writable, whatever umask it inherits (DESIGN.md §2).
  ::umask(::umask(0) | 022);
  // An asdf legacy file whose answer is not cached: only the manager runs plugin scripts.
  bool legacy_parse_needed = false;
  ctx->legacy_parser = [&](const resolver::LegacyAnswer&) -> Expected<std::string> {
    legacy_parse_needed = true;
    return make_error("the manager parses this legacy file");
  };
  ctx->before_output = front_release_lines;
  int status = kExitOk;
  switch (args->command) {
    case query::FrontCommand::current:
      status = cmd_current(*ctx, args->operand, args->json);
      break;
    case query::FrontCommand::which:
      status = cmd_which(*ctx, *args->operand);
      break;
    case query::FrontCommand::ls:
      status = cmd_ls(*ctx, args->operand, args->json);
      break;
    case query::FrontCommand::ps:
      status = cmd_ps(*ctx, args->operand, args->json);
      break;
    case query::FrontCommand::version:
      break;
  }
  if (legacy_parse_needed) return hand_over(argv);
  front_release_lines();
  // Tracking keeps a config's build from being retired by upgrades (DESIGN.md §7).
  if (auto tracked = config::track_configs(ctx->roots.state, *ctx->configs_read); !tracked)
    util::log_warn("cannot record the configs this command read: " + tracked.error());
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return front_run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rtx: internal error: %s: please report it with the command you ran\n", e.what());
    return 70;
  }
}
