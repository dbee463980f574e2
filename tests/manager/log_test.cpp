// Log levels and the colour decision (manager/util/log.hpp), from flags and a
// made-up environment: no process-wide state is read.
#include "manager/util/log.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <string>

#include "manager/net/progress.hpp"

namespace rtx::util {
namespace {

struct LogTestEnv {
  std::map<std::string, std::string> vars;
  EnvLookup lookup() const {
    return [this](const char* name) -> const char* {
      auto it = vars.find(name);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
  }
};

LogLevel log_test_level(int verbose, bool quiet, const LogTestEnv& env) {
  return log_settings(verbose, quiet, env.lookup(), false).level;
}

bool log_test_color(const LogTestEnv& env, bool terminal) {
  return log_settings(0, false, env.lookup(), terminal).color;
}

TEST(LogLevels, ParsesTheFiveNamesInAnyCase) {
  EXPECT_EQ(parse_log_level("error"), LogLevel::error);
  EXPECT_EQ(parse_log_level("warn"), LogLevel::warn);
  EXPECT_EQ(parse_log_level("WARNING"), LogLevel::warn);
  EXPECT_EQ(parse_log_level("Info"), LogLevel::info);
  EXPECT_EQ(parse_log_level("debug"), LogLevel::debug);
  EXPECT_EQ(parse_log_level("TRACE"), LogLevel::trace);
  EXPECT_EQ(parse_log_level(""), std::nullopt);
  EXPECT_EQ(parse_log_level("verbose"), std::nullopt);
  EXPECT_EQ(parse_log_level("debug "), std::nullopt);
}

TEST(LogLevels, DefaultIsInfoAndTheVariableSetsIt) {
  EXPECT_EQ(log_test_level(0, false, {}), LogLevel::info);
  EXPECT_EQ(log_test_level(0, false, {{{"RTX_LOG_LEVEL", "warn"}}}), LogLevel::warn);
  EXPECT_EQ(log_test_level(0, false, {{{"RTX_LOG_LEVEL", "trace"}}}), LogLevel::trace);
  EXPECT_EQ(log_test_level(0, false, {{{"RTX_LOG_LEVEL", ""}}}), LogLevel::info);
}

TEST(LogLevels, ABadValueIsOneProblemNamingTheVariableAndTheValidValues) {
  LogTestEnv env{{{"RTX_LOG_LEVEL", "loud\x1b[31m"}}};
  LogSettings s = log_settings(0, false, env.lookup(), false);
  EXPECT_EQ(s.level, LogLevel::info);
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_EQ(s.problems[0],
            "RTX_LOG_LEVEL='loud\\e[31m' is not a log level: use error, warn, info, debug or trace (using info)");
  EXPECT_TRUE(log_settings(0, false, LogTestEnv{{{"RTX_LOG_LEVEL", "debug"}}}.lookup(), false).problems.empty());
}

TEST(LogLevels, FlagsWinOverTheVariable) {
  LogTestEnv debug{{{"RTX_LOG_LEVEL", "debug"}}};
  EXPECT_EQ(log_test_level(0, true, debug), LogLevel::error);  // -q
  LogTestEnv error{{{"RTX_LOG_LEVEL", "error"}}};
  EXPECT_EQ(log_test_level(1, false, error), LogLevel::debug);  // -v
  EXPECT_EQ(log_test_level(2, false, error), LogLevel::trace);  // -vv
  EXPECT_EQ(log_test_level(3, false, {}), LogLevel::trace);
}

TEST(LogLevels, VerboseOnlyRaisesAndWinsOverQuietAsMise) {
  EXPECT_EQ(log_test_level(1, false, {{{"RTX_LOG_LEVEL", "trace"}}}), LogLevel::trace);
  EXPECT_EQ(log_test_level(1, true, {}), LogLevel::debug);
  EXPECT_EQ(log_test_level(0, true, {{{"RTX_VERBOSE", "1"}}}), LogLevel::debug);
}

TEST(LogLevels, QuietAndVerboseVariables) {
  EXPECT_EQ(log_test_level(0, false, {{{"RTX_QUIET", "1"}, {"RTX_LOG_LEVEL", "debug"}}}), LogLevel::error);
  EXPECT_EQ(log_test_level(0, false, {{{"RTX_QUIET", "0"}}}), LogLevel::info);
  EXPECT_EQ(log_test_level(0, false, {{{"RTX_QUIET", "false"}}}), LogLevel::info);
  EXPECT_EQ(log_test_level(0, false, {{{"RTX_VERBOSE", "yes"}}}), LogLevel::debug);
  EXPECT_EQ(log_test_level(0, false, {{{"RTX_VERBOSE", ""}}}), LogLevel::info);
}

TEST(LogLevels, FilteringFollowsTheLevelInForce) {
  LogSettings quiet;
  quiet.level = LogLevel::error;
  set_log_settings(quiet);
  EXPECT_TRUE(log_enabled(LogLevel::error));
  EXPECT_FALSE(log_enabled(LogLevel::warn));
  EXPECT_FALSE(log_enabled(LogLevel::info));
  LogSettings debug;
  debug.level = LogLevel::debug;
  set_log_settings(debug);
  EXPECT_TRUE(log_enabled(LogLevel::info));
  EXPECT_TRUE(log_enabled(LogLevel::debug));
  EXPECT_FALSE(log_enabled(LogLevel::trace));
  set_log_settings(LogSettings{});
  EXPECT_EQ(log_level(), LogLevel::info);
  EXPECT_FALSE(log_enabled(LogLevel::debug));
}

TEST(LogColour, OnlyOnATerminal) {
  EXPECT_TRUE(log_test_color({}, true));
  EXPECT_FALSE(log_test_color({}, false));
}

TEST(LogColour, NoColorWithAnyNonEmptyValueTurnsItOff) {
  EXPECT_FALSE(log_test_color({{{"NO_COLOR", "1"}}}, true));
  EXPECT_FALSE(log_test_color({{{"NO_COLOR", "0"}}}, true));  // any value, as no-color.org
  EXPECT_TRUE(log_test_color({{{"NO_COLOR", ""}}}, true));
  EXPECT_FALSE(log_test_color({{{"NO_COLOR", "1"}, {"CLICOLOR_FORCE", "1"}}}, true));
}

TEST(LogColour, ClicolorForceTurnsItOnOffATerminal) {
  EXPECT_TRUE(log_test_color({{{"CLICOLOR_FORCE", "1"}}}, false));
  EXPECT_FALSE(log_test_color({{{"CLICOLOR_FORCE", "0"}}}, false));
  EXPECT_FALSE(log_test_color({{{"CLICOLOR_FORCE", ""}}}, false));
}

TEST(LogColour, ClicolorZeroAndDumbTerminalsTurnItOff) {
  EXPECT_FALSE(log_test_color({{{"CLICOLOR", "0"}}}, true));
  EXPECT_TRUE(log_test_color({{{"CLICOLOR", "1"}}}, true));
  EXPECT_FALSE(log_test_color({{{"TERM", "dumb"}}}, true));
  EXPECT_TRUE(log_test_color({{{"TERM", "xterm-256color"}}}, true));
}

TEST(LogColour, RtxColorWinsOverEverything) {
  EXPECT_TRUE(log_test_color({{{"RTX_COLOR", "always"}, {"NO_COLOR", "1"}}}, false));
  EXPECT_FALSE(log_test_color({{{"RTX_COLOR", "never"}, {"CLICOLOR_FORCE", "1"}}}, true));
  EXPECT_FALSE(log_test_color({{{"RTX_COLOR", "0"}}}, true));  // MISE_COLOR=0 carried over
  EXPECT_FALSE(log_test_color({{{"RTX_COLOR", "auto"}}}, false));
  EXPECT_TRUE(log_test_color({{{"RTX_COLOR", "auto"}}}, true));
  LogSettings bad = log_settings(0, false, LogTestEnv{{{"RTX_COLOR", "rainbow"}}}.lookup(), true);
  EXPECT_TRUE(bad.color);
  ASSERT_EQ(bad.problems.size(), 1u);
  EXPECT_EQ(bad.problems[0], "RTX_COLOR='rainbow' is not a colour choice: use always, never or auto (using auto)");
}

TEST(LogFormat, PlainLinesKeepTheirTextAndEscapeControlCharacters) {
  EXPECT_EQ(format_log_line(LogLevel::error, "no such tool", false), "rtx: no such tool\n");
  EXPECT_EQ(format_log_line(LogLevel::warn, "ignoring x", false), "rtx: ignoring x\n");
  EXPECT_EQ(format_log_line(LogLevel::info, "installed", false), "rtx: installed\n");
  EXPECT_EQ(format_log_line(LogLevel::debug, "config /p", false), "rtx: debug: config /p\n");
  EXPECT_EQ(format_log_line(LogLevel::trace, "locked /l", false), "rtx: trace: locked /l\n");
  EXPECT_EQ(format_log_line(LogLevel::info, "a\nb\x1b", false), "rtx: a\\nb\\e\n");
}

TEST(LogFormat, ColourPaintsTheMarkNeverTheMessage) {
  EXPECT_EQ(format_log_line(LogLevel::error, "bad \x1b[0m", true), "\033[31mrtx:\033[0m bad \\e[0m\n");
  EXPECT_EQ(format_log_line(LogLevel::warn, "w", true), "\033[33mrtx:\033[0m w\n");
  EXPECT_EQ(format_log_line(LogLevel::info, "i", true), "rtx: i\n");
  EXPECT_EQ(format_log_line(LogLevel::debug, "d", true), "rtx: \033[35mdebug:\033[0m d\n");
}

// What a download says (net/progress.hpp) follows the level too: with -q no
// summary and no retry notice.
std::string log_test_meter_output(LogLevel level) {
  LogSettings settings;
  settings.level = level;
  set_log_settings(settings);
  std::FILE* file = std::tmpfile();
  {
    net::ProgressMeter meter(::fileno(file), "https://example.test/a.tgz", "a.tgz");
    meter.note("download of https://example.test/a.tgz: reset; retrying in 1.0 s");
    meter.finish(2048, 2048);
  }
  std::string out(4096, '\0');
  out.resize(::pread(::fileno(file), out.data(), out.size(), 0));
  std::fclose(file);
  set_log_settings(LogSettings{});
  return out;
}

TEST(LogLevels, DownloadLinesFollowTheLevel) {
  EXPECT_EQ(log_test_meter_output(LogLevel::error), "");
  std::string warn = log_test_meter_output(LogLevel::warn);
  EXPECT_EQ(warn, "rtx: download of https://example.test/a.tgz: reset; retrying in 1.0 s\n");
  std::string info = log_test_meter_output(LogLevel::info);
  EXPECT_EQ(info.rfind(warn + "downloaded https://example.test/a.tgz: 2.0 KiB in ", 0), 0u) << info;
}

}  // namespace
}  // namespace rtx::util
