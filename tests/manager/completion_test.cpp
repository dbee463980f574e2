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
  s.versions = [](const std::string& tool) {  // installed, as `installed` has them
    if (tool == "hello") return std::vector<std::string>{"2.0.0", "1.1.0"};
    return tool == "node" ? std::vector<std::string>{"20.11.1"} : std::vector<std::string>{};
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

// install/latest/ls-remote over a source whose remote list counts its callers:
// the network (behind `remote`) is asked only for a version, never for a name.
struct RemoteCompletionCase {
  int remote_calls = 0;
  CliCommand cli() {
    CliCommand root{"rtx", "", {}, {}, {}};
    root.subcommands.push_back(CliCommand{"install", "", {}, {{"tool@spec", "", false, true, WordKind::ToolSpec}}, {}});
    root.subcommands.push_back(
        CliCommand{"latest", "", {}, {{"tool[@prefix]", "", true, false, WordKind::ToolPrefix}}, {}});
    root.subcommands.push_back(
        CliCommand{"ls-remote",
                   "",
                   {},
                   {{"tool", "", true, false, WordKind::Tool}, {"prefix", "", false, false, WordKind::RemoteVersion}},
                   {}});
    return root;
  }
  Completion run(const std::vector<std::string>& typed) {
    WordSource s = source();
    s.remote = [this](const std::string& tool) {
      ++remote_calls;
      return tool == "node" ? std::vector<std::string>{"20.9.0", "18.19.1", "20.10.0", "21.0.0-rc.1", "20.11.1"}
                            : std::vector<std::string>{};
    };
    return complete(cli(), typed, s);
  }
};

TEST(Completion, RemoteVersionsAfterToolAtNewestFirstWithTheInstalledOnes) {
  RemoteCompletionCase r;
  EXPECT_EQ(r.run({"install", "no"}).words, (std::vector<std::string>{"node", "node@20.11.1"}));
  EXPECT_EQ(r.run({"install", ""}).ordered, false);
  EXPECT_EQ(r.remote_calls, 0) << "a tool name never waits for the network";

  Completion c = r.run({"install", "node@"});
  EXPECT_TRUE(c.ordered);
  EXPECT_EQ(c.words, (std::vector<std::string>{"node@21.0.0-rc.1", "node@20.11.1", "node@20.10.0", "node@20.9.0",
                                               "node@18.19.1"}))
      << "installed 20.11.1 once, among the remote ones";
  EXPECT_EQ(r.run({"install", "node@20."}).words,
            (std::vector<std::string>{"node@20.11.1", "node@20.10.0", "node@20.9.0"}));
  EXPECT_EQ(r.run({"install", "hello@2"}).words, std::vector<std::string>{"hello@2.0.0"});  // installed only
  EXPECT_EQ(r.run({"latest", "node@18"}).words, std::vector<std::string>{"node@18.19.1"});
  EXPECT_EQ(r.run({"latest", "no"}).words, std::vector<std::string>{"node"});
}

TEST(Completion, LsRemotesPrefixIsARemoteVersionOfItsTool) {
  RemoteCompletionCase r;
  Completion c = r.run({"ls-remote", "node", "2"});
  EXPECT_TRUE(c.ordered);
  EXPECT_EQ(c.words, (std::vector<std::string>{"21.0.0-rc.1", "20.11.1", "20.10.0", "20.9.0"}));
  EXPECT_EQ(r.run({"ls-remote", "nothing", ""}).words, std::vector<std::string>{});
}

TEST(Completion, AnNpmScopeIsNotAVersionSeparator) {
  RemoteCompletionCase r;
  r.run({"install", "npm:@sco"});
  EXPECT_EQ(r.remote_calls, 0);
  r.run({"install", "npm:@scope/pkg@"});
  EXPECT_EQ(r.remote_calls, 1);
}

TEST(Completion, NothingForAnUnknownCommandOrNoWords) {
  EXPECT_EQ(words({"frobnicate", ""}), std::vector<std::string>{});
  EXPECT_EQ(words({}), std::vector<std::string>{});
}

}  // namespace
