// Completion's logic (manager/shell/completion.hpp) over a small CLI: which
// words are offered where, from which source, and only those that continue
// the word being typed.
#include "manager/shell/completion.hpp"

#include <gtest/gtest.h>

using namespace rtx::shell;

namespace {

CliCommand cli() {
  CliCommand root{"rtx", "", {{{"-h", "--help"}, "Print this help", false, WordKind::None}}, {}, {}};
  root.subcommands.push_back(CliCommand{"install",
                                        "Install tool versions",
                                        {{{"-f", "--force"}, "Build again", false, WordKind::None}},
                                        {{"tool@spec", "", false, true, WordKind::ToolSpec}},
                                        {}});
  root.subcommands.push_back(
      CliCommand{"uninstall", "Retire", {}, {{"tool@version", "", true, false, WordKind::Installed}}, {}});
  root.subcommands.push_back(CliCommand{"rollback",
                                        "Bring back",
                                        {{{"--to"}, "The version", true, WordKind::Version}},
                                        {{"tool", "", true, false, WordKind::Tool}},
                                        {}});
  root.subcommands.push_back(CliCommand{"exec", "Run", {}, {{"tool@spec", "", false, true, WordKind::ToolSpec}}, {}});
  CliCommand plugins{"plugins", "Manage plugins", {}, {}, {}};
  plugins.subcommands.push_back(
      CliCommand{"link",
                 "Use a folder",
                 {},
                 {{"name", "", true, false, WordKind::Tool}, {"dir", "", true, false, WordKind::Path}},
                 {}});
  plugins.subcommands.push_back(CliCommand{"ls", "List", {}, {}, {}});
  root.subcommands.push_back(plugins);
  return root;
}

WordSource source() {
  WordSource s;
  s.tools = [] { return std::vector<std::string>{"hello", "node", "hello"}; };
  s.installed = [] { return std::vector<std::string>{"hello@2.0.0", "hello@1.1.0", "node@20.11.1"}; };
  s.commands = [] { return std::vector<std::string>{"hello", "node", "npm"}; };
  s.versions = [](const std::string& tool) {
    return tool == "hello" ? std::vector<std::string>{"2.0.0", "1.1.0"} : std::vector<std::string>{};
  };
  return s;
}

std::vector<std::string> words(const std::vector<std::string>& typed) { return complete(cli(), typed, source()).words; }

TEST(Completion, SubcommandsWithTheirHelpContinuingTheTypedWord) {
  EXPECT_EQ(words({"in"}), std::vector<std::string>{"install\tInstall tool versions"});
  EXPECT_EQ(words({""}).size(), 5u);
  EXPECT_EQ(words({"plugins", "l"}), (std::vector<std::string>{"link\tUse a folder", "ls\tList"}));
}

TEST(Completion, FlagsOfTheCommandBeingTyped) {
  EXPECT_EQ(words({"install", "--"}), std::vector<std::string>{"--force\tBuild again"});
  EXPECT_EQ(words({"--h"}), std::vector<std::string>{"--help\tPrint this help"});
}

TEST(Completion, ToolSpecsAreToolsThenInstalledBuildsEachOnce) {
  EXPECT_EQ(words({"install", ""}),
            (std::vector<std::string>{"hello", "node", "hello@2.0.0", "hello@1.1.0", "node@20.11.1"}));
  EXPECT_EQ(words({"install", "node@"}), std::vector<std::string>{"node@20.11.1"});
  // Several tools at once: the positional repeats; flags in between do not count.
  EXPECT_EQ(words({"install", "-f", "node", "hello@2"}), std::vector<std::string>{"hello@2.0.0"});
}

TEST(Completion, UninstallOffersInstalledBuildsOnlyAndOnlyOnce) {
  EXPECT_EQ(words({"uninstall", "hel"}), (std::vector<std::string>{"hello@2.0.0", "hello@1.1.0"}));
  EXPECT_EQ(words({"uninstall", "hello@2.0.0", ""}), std::vector<std::string>{});
}

TEST(Completion, AnOptionsValueComesFromItsKind) {
  EXPECT_EQ(words({"rollback", "hello", "--to", ""}), (std::vector<std::string>{"2.0.0", "1.1.0"}));
  EXPECT_EQ(words({"rollback", "--to", "1.1.0", "he"}), std::vector<std::string>{"hello"});
}

TEST(Completion, PathsAndTheCommandAfterDashDashAreTheShellsFiles) {
  EXPECT_TRUE(complete(cli(), {"plugins", "link", "hello", ""}, source()).files);
  EXPECT_TRUE(complete(cli(), {"exec", "node@20", "--", "no"}, source()).files);
  EXPECT_FALSE(complete(cli(), {"plugins", "link", ""}, source()).files);
}

TEST(Completion, NothingForAnUnknownCommandOrNoWords) {
  EXPECT_EQ(words({"frobnicate", ""}), std::vector<std::string>{});
  EXPECT_EQ(words({}), std::vector<std::string>{});
}

}  // namespace
