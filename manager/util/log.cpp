#include "manager/util/log.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>

#include "resolver/printable.hpp"

namespace rtx::util {
namespace {

// Set once by main before any thread starts; read-only afterwards.
LogLevel g_log_level = LogLevel::info;
bool g_log_color = false;
std::atomic<LogLineSink> g_log_sink{nullptr};  // set from any thread (the first download's)

std::string ascii_lowered(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

// As RTX_AUTO_INSTALL: set, non-empty and not 0/false/no/off.
bool env_flag_on(const char* value) {
  if (!value || !*value) return false;
  std::string v = ascii_lowered(value);
  return !(v == "0" || v == "false" || v == "no" || v == "off");
}

enum class ColorChoice { automatic, always, never };

std::optional<ColorChoice> parse_color_choice(std::string_view text) {
  std::string v = ascii_lowered(text);
  if (v == "auto" || v == "1" || v == "true") return ColorChoice::automatic;  // MISE_COLOR=1: the default
  if (v == "always") return ColorChoice::always;
  if (v == "never" || v == "0" || v == "false") return ColorChoice::never;
  return std::nullopt;
}

// The colour of a level's mark, or null for none (info).
const char* level_color(LogLevel level) {
  switch (level) {
    case LogLevel::error:
      return "\033[31m";
    case LogLevel::warn:
      return "\033[33m";
    case LogLevel::info:
      return nullptr;
    case LogLevel::debug:
      return "\033[35m";
    case LogLevel::trace:
      return "\033[34m";
  }
  return nullptr;
}

void log_write_all(const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(STDERR_FILENO, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // stderr gone: nothing better to do with the line
    done += std::size_t(n);
  }
}

void log_at(LogLevel level, std::string_view message) {
  if (level != LogLevel::error && !log_enabled(level)) return;
  std::string line = format_log_line(level, message, g_log_color);
  if (LogLineSink sink = g_log_sink.load())
    sink(line);
  else
    log_write_all(line);
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view text) {
  std::string v = ascii_lowered(text);
  if (v == "error") return LogLevel::error;
  if (v == "warn" || v == "warning") return LogLevel::warn;
  if (v == "info") return LogLevel::info;
  if (v == "debug") return LogLevel::debug;
  if (v == "trace") return LogLevel::trace;
  return std::nullopt;
}

LogSettings log_settings(int verbose, bool quiet, const EnvLookup& env, bool stderr_terminal) {
  LogSettings out;
  if (const char* text = env("RTX_LOG_LEVEL"); text && *text) {
    if (auto level = parse_log_level(text))
      out.level = *level;
    else
      out.problems.push_back("RTX_LOG_LEVEL='" + resolver::printable(text, 80) +
                             "' is not a log level: use error, warn, info, debug or trace (using info)");
  }
  if (verbose == 0 && env_flag_on(env("RTX_VERBOSE"))) verbose = 1;
  quiet = quiet || env_flag_on(env("RTX_QUIET"));
  // As mise: -v only ever raises the level, and wins over -q.
  if (verbose > 0) {
    LogLevel floor = verbose > 1 ? LogLevel::trace : LogLevel::debug;
    if (out.level < floor) out.level = floor;
  } else if (quiet) {
    out.level = LogLevel::error;
  }

  ColorChoice choice = ColorChoice::automatic;
  if (const char* text = env("RTX_COLOR"); text && *text) {
    if (auto c = parse_color_choice(text))
      choice = *c;
    else
      out.problems.push_back("RTX_COLOR='" + resolver::printable(text, 80) +
                             "' is not a colour choice: use always, never or auto (using auto)");
  }
  auto set = [&](const char* name) {
    const char* v = env(name);
    return v && *v;
  };
  if (choice != ColorChoice::automatic)
    out.color = choice == ColorChoice::always;
  else if (set("NO_COLOR"))
    out.color = false;
  else if (set("CLICOLOR_FORCE") && std::string_view(env("CLICOLOR_FORCE")) != "0")
    out.color = true;
  else if ((set("CLICOLOR") && std::string_view(env("CLICOLOR")) == "0") ||
           (set("TERM") && std::string_view(env("TERM")) == "dumb"))
    out.color = false;
  else
    out.color = stderr_terminal;
  return out;
}

void set_log_settings(const LogSettings& settings) {
  g_log_level = settings.level;
  g_log_color = settings.color;
}

void configure_logging(int verbose, bool quiet) {
  LogSettings settings = log_settings(
      verbose, quiet, [](const char* name) { return std::getenv(name); }, ::isatty(STDERR_FILENO) == 1);
  set_log_settings(settings);
  for (const auto& line : settings.problems) log_warn(line);
}

LogLevel log_level() { return g_log_level; }
bool log_enabled(LogLevel level) { return level <= g_log_level; }
bool log_color() { return g_log_color; }

std::string log_prefix(LogLevel level, bool color) {
  const char* tag = level == LogLevel::debug ? "debug:" : level == LogLevel::trace ? "trace:" : nullptr;
  const char* paint = color ? level_color(level) : nullptr;
  std::string out;
  if (tag) {
    out = "rtx: ";
    if (paint) out += paint;
    out += tag;
    if (paint) out += "\033[0m";
    return out + " ";
  }
  if (paint) return std::string(paint) + "rtx:\033[0m ";
  return "rtx: ";
}

std::string format_log_line(LogLevel level, std::string_view message, bool color) {
  return log_prefix(level, color) + resolver::printable(message) + "\n";
}

void set_log_line_sink(LogLineSink sink) { g_log_sink.store(sink); }

void log_error(std::string_view message) { log_at(LogLevel::error, message); }
void log_warn(std::string_view message) { log_at(LogLevel::warn, message); }
void log_info(std::string_view message) { log_at(LogLevel::info, message); }
void log_debug(std::string_view message) { log_at(LogLevel::debug, message); }
void log_trace(std::string_view message) { log_at(LogLevel::trace, message); }

}  // namespace rtx::util
