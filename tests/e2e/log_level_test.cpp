// -q, -v, RTX_LOG_LEVEL and colour (issue 9 item 8; manager/util/log.hpp):
// what rtx says on stderr follows the level, errors always; stdout and --json
// are the same bytes at every level; colour only on a terminal or when forced,
// never with NO_COLOR.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness.hpp"

namespace rtx::e2e {
namespace {

bool log_test_has_escape(const std::string& text) { return text.find('\033') != std::string::npos; }

std::size_t log_test_count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

class LogLevel : public ::testing::Test {
 protected:
  void SetUp() override {
    world.link_sample_plugin();
    world.set_env("HELLO_VERSIONS", "1.0.0 1.1.0 2.0.0");
    project = world.make_project("app", ".tool-versions", "hello 1\n");
  }
  // A plugin whose build ships bin/rtx: the reshim refuses that name with a warning.
  void link_selfish_plugin() {
    std::string dir = world.write_plugin(
        "selfish", {{"list-all", "echo 1.0.0"},
                    {"install",
                     "mkdir -p \"$ASDF_INSTALL_PATH/bin\"; for c in selfish rtx; do printf '#!/bin/sh\\n' > "
                     "\"$ASDF_INSTALL_PATH/bin/$c\"; chmod +x \"$ASDF_INSTALL_PATH/bin/$c\"; done"}});
    ASSERT_EQ(world.rtx({"plugins", "link", "selfish", dir}).status, 0);
  }
  World world;
  std::string project;
};

// A plugin's own output goes too (as mise -q), unless its script fails: then
// it comes before rtx's error line, which would otherwise lack the reason.
TEST_F(LogLevel, QuietSilencesNotesWarningsAndScriptsButNotErrors) {
  Output before = world.rtx({"install", "hello@1.0.0"});
  ASSERT_EQ(before.status, 0) << before.err;
  EXPECT_NE(before.err.find("rtx: installed hello 1.0.0 in "), std::string::npos) << before.err;

  Output quiet = world.rtx({"-q", "install", "hello@1.1.0"});
  ASSERT_EQ(quiet.status, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");
  Output after = world.rtx({"install", "--quiet", "hello@2.0.0"});  // the flag after the subcommand
  ASSERT_EQ(after.status, 0) << after.err;
  EXPECT_EQ(after.err, "");

  link_selfish_plugin();
  Output warned = world.rtx({"install", "selfish@1.0.0", "-q"});
  ASSERT_EQ(warned.status, 0) << warned.err;
  EXPECT_EQ(warned.err, "");

  Output failed = world.rtx({"-q", "install", "hello@7"});
  EXPECT_EQ(failed.status, 1);
  EXPECT_EQ(log_test_count_of(failed.err, "\n"), 1u) << failed.err;
  EXPECT_NE(failed.err.find("rtx: no version of hello matches '7'"), std::string::npos) << failed.err;

  world.set_env("HELLO_VERSIONS", "1.0.0 1.1.0 2.0.0 3.0.0");
  world.set_env("HELLO_FAIL_INSTALL", "1");
  Output broken = world.rtx({"-q", "install", "hello@3.0.0"});
  EXPECT_EQ(broken.status, 1);
  auto reason = broken.err.find("hello: build failed (HELLO_FAIL_INSTALL=1)\n");
  auto error = broken.err.find("rtx: ");
  EXPECT_NE(reason, std::string::npos) << broken.err;
  EXPECT_LT(reason, error) << broken.err;
  EXPECT_EQ(broken.err.find("downloaded hello"), std::string::npos) << broken.err;  // the download step succeeded
}

TEST_F(LogLevel, VerboseShowsDebugLinesAndTwiceTraceLines) {
  Output plain = world.rtx({"current"}, project);
  EXPECT_EQ(plain.err.find("debug:"), std::string::npos) << plain.err;

  Output v = world.rtx({"-v", "current"}, project);
  EXPECT_NE(v.err.find("rtx: debug: config " + project + "/.tool-versions\n"), std::string::npos) << v.err;
  EXPECT_NE(v.err.find("rtx: debug: rtx "), std::string::npos) << v.err;  // version and arguments
  EXPECT_EQ(v.err.find("trace:"), std::string::npos) << v.err;

  Output install = world.rtx({"install", "hello@1.0.0", "--verbose"});
  ASSERT_EQ(install.status, 0) << install.err;
  EXPECT_NE(install.err.find("rtx: debug: running "), std::string::npos) << install.err;  // the plugin's scripts
  EXPECT_NE(install.err.find("rtx: installed hello 1.0.0"), std::string::npos) << install.err;
  EXPECT_EQ(install.err.find("trace:"), std::string::npos) << install.err;

  Output vv = world.rtx({"-vv", "install", "hello@1.1.0"});
  ASSERT_EQ(vv.status, 0) << vv.err;
  EXPECT_NE(vv.err.find("rtx: trace: locked "), std::string::npos) << vv.err;
}

TEST_F(LogLevel, TheVariableSetsTheLevelAndTheFlagsWin) {
  world.set_env("RTX_LOG_LEVEL", "debug");
  EXPECT_NE(world.rtx({"current"}, project).err.find("rtx: debug: config "), std::string::npos);
  Output quiet = world.rtx({"-q", "install", "hello@1.0.0"});
  ASSERT_EQ(quiet.status, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");

  world.set_env("RTX_LOG_LEVEL", "error");
  Output errors_only = world.rtx({"install", "hello@1.1.0"});
  ASSERT_EQ(errors_only.status, 0) << errors_only.err;
  EXPECT_EQ(errors_only.err, "");
  EXPECT_NE(world.rtx({"-v", "current"}, project).err.find("rtx: debug: config "), std::string::npos);

  world.set_env("RTX_LOG_LEVEL", "warn");
  link_selfish_plugin();
  Output warned = world.rtx({"install", "selfish@1.0.0"});
  ASSERT_EQ(warned.status, 0) << warned.err;
  EXPECT_EQ(warned.err.rfind("rtx: not making a shim for 'rtx' in " + world.data() + "/store/selfish/1.0.0-", 0), 0u)
      << warned.err;
  EXPECT_EQ(log_test_count_of(warned.err, "\n"), 1u) << warned.err;  // the warning alone: no notes
}

TEST_F(LogLevel, ABadValueIsOneWarningAndTheDefault) {
  world.set_env("RTX_LOG_LEVEL", "loud");
  Output o = world.rtx({"install", "hello@1.0.0"});
  ASSERT_EQ(o.status, 0) << o.err;
  const std::string warning =
      "rtx: RTX_LOG_LEVEL='loud' is not a log level: use error, warn, info, debug or trace (using info)\n";
  EXPECT_EQ(o.err.rfind(warning, 0), 0u) << o.err;  // first, before anything else
  EXPECT_EQ(log_test_count_of(o.err, "RTX_LOG_LEVEL"), 1u) << o.err;
  EXPECT_NE(o.err.find("rtx: installed hello 1.0.0"), std::string::npos) << o.err;  // info, the default
  EXPECT_EQ(o.err.find("debug:"), std::string::npos) << o.err;
  EXPECT_EQ(world.rtx({"-q", "current"}, project).err, "");  // a warning too: -q hides it
}

TEST_F(LogLevel, StdoutIsTheSameAtEveryLevel) {
  ASSERT_EQ(world.rtx({"install", "hello@1.0.0"}).status, 0);
  const std::vector<std::vector<std::string>> commands = {{"current"},      {"current", "--json"},  {"ls"},
                                                          {"ls", "--json"}, {"outdated", "--json"}, {"which", "hello"}};
  for (const auto& command : commands) {
    world.unset_env("RTX_LOG_LEVEL");
    world.unset_env("CLICOLOR_FORCE");
    Output reference = world.rtx(command, project);
    ASSERT_EQ(reference.status, 0) << command[0] << ": " << reference.err;
    ASSERT_FALSE(reference.out.empty()) << command[0];
    for (const char* flag : {"-q", "-v", "-vv"}) {
      std::vector<std::string> args{flag};
      args.insert(args.end(), command.begin(), command.end());
      Output o = world.rtx(args, project);
      EXPECT_EQ(o.status, 0) << flag << " " << command[0];
      EXPECT_EQ(o.out, reference.out) << flag << " " << command[0];
    }
    for (const char* level : {"error", "warn", "trace"}) {
      world.set_env("RTX_LOG_LEVEL", level);
      EXPECT_EQ(world.rtx(command, project).out, reference.out) << level << " " << command[0];
    }
    world.unset_env("RTX_LOG_LEVEL");
    world.set_env("CLICOLOR_FORCE", "1");
    Output forced = world.rtx(command, project);
    EXPECT_EQ(forced.out, reference.out) << "CLICOLOR_FORCE " << command[0];
    EXPECT_FALSE(log_test_has_escape(forced.out)) << command[0];
  }
}

TEST_F(LogLevel, NoColourOffATerminal) {
  link_selfish_plugin();
  Output warned = world.rtx({"install", "selfish@1.0.0"});
  ASSERT_EQ(warned.status, 0) << warned.err;
  EXPECT_NE(warned.err.find("rtx: not making a shim for 'rtx'"), std::string::npos) << warned.err;
  EXPECT_FALSE(log_test_has_escape(warned.err)) << warned.err;
  Output failed = world.rtx({"-v", "install", "hello@7"});
  EXPECT_EQ(failed.status, 1);
  EXPECT_FALSE(log_test_has_escape(failed.err)) << failed.err;
}

TEST_F(LogLevel, ClicolorForcePaintsErrorsWarningsAndDebugMarks) {
  world.set_env("CLICOLOR_FORCE", "1");
  Output failed = world.rtx({"install", "hello@7"});
  EXPECT_EQ(failed.status, 1);
  EXPECT_EQ(failed.err.rfind("\033[31mrtx:\033[0m no version of hello matches '7'", 0), 0u) << failed.err;

  world.set_env("RTX_LOG_LEVEL", "loud");  // its warning is yellow
  Output warned = world.rtx({"-v", "current"}, project);
  EXPECT_EQ(warned.err.rfind("\033[33mrtx:\033[0m RTX_LOG_LEVEL='loud'", 0), 0u) << warned.err;
  EXPECT_NE(warned.err.find("rtx: \033[35mdebug:\033[0m config "), std::string::npos) << warned.err;

  world.set_env("NO_COLOR", "1");  // wins over CLICOLOR_FORCE
  EXPECT_FALSE(log_test_has_escape(world.rtx({"install", "hello@7"}).err));
  world.unset_env("NO_COLOR");
  world.set_env("RTX_COLOR", "never");
  EXPECT_FALSE(log_test_has_escape(world.rtx({"install", "hello@7"}).err));
}

// Through a real terminal (script(1) gives rtx a pty): coloured by default,
// plain with NO_COLOR.
TEST_F(LogLevel, OnATerminalColouredUnlessNoColor) {
  world.set_env("TERM", "xterm");
  const std::string run = "script -qec 'rtx install hello@7' /dev/null";
  Output tty = world.sh(run);
  EXPECT_NE(tty.out.find("\033[31mrtx:\033[0m no version of hello"), std::string::npos) << tty.out << tty.err;
  world.set_env("NO_COLOR", "1");
  Output plain = world.sh(run);
  EXPECT_NE(plain.out.find("rtx: no version of hello"), std::string::npos) << plain.out << plain.err;
  EXPECT_FALSE(log_test_has_escape(plain.out)) << plain.out;
}

}  // namespace
}  // namespace rtx::e2e
