// What rtx says on stderr, by level, and whether it is coloured (issue 9 item
// 8; docs/decisions.md "Log levels and colour"). Command output meant for
// scripts (stdout: tables, versions, --json) never goes through here: a script
// reads the same bytes at every level.
//
//   util::log_info("installing node 20.11.1");  // rtx: installing node 20.11.1
//   util::log_warn("ignoring /p/rtx.toml: …");  // rtx: ignoring …   ("rtx:" yellow)
//   util::log_debug("config /p/rtx.toml");      // rtx: debug: config /p/rtx.toml   (-v)
//   util::log_error("no version of node …");    // rtx: no version …  ("rtx:" red; always shown)
//
// Levels, least to most: error < warn < info < debug < trace; the default is
// info. As mise: -q/--quiet (or RTX_QUIET=1) shows errors only, -v (or
// RTX_VERBOSE=1) at least debug, -vv at least trace, and any of them wins over
// RTX_LOG_LEVEL; -v wins over -q. Each message goes through
// resolver::printable, so outside text cannot drive the terminal.
//
// Colour, first rule that applies: RTX_COLOR=always|never; NO_COLOR set and
// non-empty (no-color.org): never; CLICOLOR_FORCE set, non-empty and not "0":
// always; CLICOLOR=0 or TERM=dumb: never; otherwise only when stderr is a
// terminal. Only the "rtx:" of errors and warnings and the level word of
// debug/trace lines are coloured, never the message.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtx::util {

enum class LogLevel { error, warn, info, debug, trace };

// "error", "warn" (or "warning"), "info", "debug", "trace", any case.
std::optional<LogLevel> parse_log_level(std::string_view text);

// Reads one environment variable (std::getenv by default; a map in tests).
using EnvLookup = std::function<const char*(const char*)>;

struct LogSettings {
  LogLevel level = LogLevel::info;
  bool color = false;
  // Bad RTX_LOG_LEVEL / RTX_COLOR values, one line each, for the caller to
  // print at warn level once the settings are in force.
  std::vector<std::string> problems;
};

// The settings from the flags (verbose: how many -v; quiet: -q) and the
// environment. stderr_terminal: is fd 2 a terminal.
LogSettings log_settings(int verbose, bool quiet, const EnvLookup& env, bool stderr_terminal);

// Reads the environment and isatty(2), puts the result in force and prints
// its problems as warnings. Until it is called: info, no colour.
void configure_logging(int verbose, bool quiet);
void set_log_settings(const LogSettings& settings);  // in force, problems not printed

LogLevel log_level();
bool log_enabled(LogLevel level);
bool log_color();  // colour on stderr

// "rtx: " (or "rtx: debug: ", "rtx: trace: "), coloured when `color`.
std::string log_prefix(LogLevel level, bool color);
// The whole line with its newline; the message through resolver::printable.
std::string format_log_line(LogLevel level, std::string_view message, bool color);

// Where log lines go instead of a write(2) to stderr: the board of download
// rows (net/progress_board.hpp) sets itself here when it is made, so a line
// printed while rows are live lands above them. Null (the default): each line
// is one write(2) to stderr, so lines from several threads never mix.
using LogLineSink = void (*)(std::string_view line);
void set_log_line_sink(LogLineSink sink);

// One line on stderr when the level is enabled; errors always.
void log_error(std::string_view message);
void log_warn(std::string_view message);
void log_info(std::string_view message);
void log_debug(std::string_view message);
void log_trace(std::string_view message);

}  // namespace rtx::util
