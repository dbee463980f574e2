// What the read-only commands (current, which, ls, ps) need, and nothing
// heavy: both `rtx` (the static front, manager/query/front_main.cpp) and the
// full manager (rtx-manager, whose cli::Context extends this) run them, so
// their output is the same code's (docs/decisions.md "A light front binary").
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "manager/util/log.hpp"
#include "resolver/acquire.hpp"
#include "resolver/expected.hpp"
#include "resolver/request.hpp"
#include "resolver/roots.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::cli {

void note(const std::string& line);  // a status line on stderr (info: hidden by -q)

struct QueryContext {
  resolver::Roots roots;
  resolver::StoreLayout layout;
  std::string cwd;
  // Config files this command read: recorded as tracked configs at its end.
  std::shared_ptr<std::vector<std::string>> configs_read = std::make_shared<std::vector<std::string>>();
  // Runs an asdf plugin's bin/parse-legacy-file (DESIGN.md §4): the manager's
  // runs the script; the front's hands the whole command to the manager.
  resolver::RequestFinder::LegacyParser legacy_parser;
  // Called once before a command writes stdout: the front lets the stderr
  // lines it held back (in case it hands over) out first, in their order.
  std::function<void()> before_output;

  resolver::RequestFinder finder() const {
    resolver::RequestFinder f(roots, cwd);
    f.on_config_read([read = configs_read](const std::string& path) {
      util::log_debug("config " + path);
      read->push_back(path);
    });
    f.on_warning([](const std::string& line) { util::log_warn(line); });
    if (legacy_parser) f.on_legacy_parse(legacy_parser);
    return f;
  }
  void start_output() const {
    if (before_output) before_output();
  }
};

// The roots from the environment, the store layout and the working directory.
Expected<QueryContext> make_query_context();

// The executable people run as `rtx`: the front beside rtx-manager when this
// is rtx-manager, else this executable itself (for detached helpers and the
// activation lines, which must name `rtx`).
std::string front_binary();

// Exit statuses (docs/exit-codes.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitCannotRun = 126;  // a malformed config on the way, exec failed
inline constexpr int kExitNotInstalled = 127;

// Prints "rtx: <message>" on stderr and returns kExitError (or `status`).
int fail(const std::string& message, int status = kExitError);

// The installed version a request resolves to (lease taken and released).
std::optional<resolver::Candidate> installed_match(const QueryContext& ctx, const resolver::Request& request);

}  // namespace rtx::cli
