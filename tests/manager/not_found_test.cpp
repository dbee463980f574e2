// The command-not-found hook's choice (manager/shell/not_found.hpp): which
// configured tools to install so that a command typed on a fresh machine
// exists, and only those; and the rc line scripts/install.sh prints.
#include "manager/shell/not_found.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "manager/shell/activation.hpp"

using namespace rtx;
using namespace rtx::shell;

namespace {

resolver::Request request(const std::string& tool, const std::string& spec, const std::string& source = "rtx.toml") {
  auto parsed = resolver::parse_spec(spec);
  EXPECT_TRUE(parsed.ok()) << spec;
  return resolver::Request{tool, {*parsed}, source, 1};
}

std::vector<std::string> tools(const std::vector<resolver::Request>& requests) {
  std::vector<std::string> out;
  for (const auto& r : requests) out.push_back(r.tool);
  return out;
}

auto none_installed = [](const resolver::Request&) { return false; };

TEST(NotFound, ACoreToolProvidesItsNameAndItsCompanions) {
  for (const char* cmd : {"node", "npm", "npx", "corepack"}) EXPECT_TRUE(would_provide("node", cmd)) << cmd;
  for (const char* cmd : {"python", "python3", "pip", "pip3"}) EXPECT_TRUE(would_provide("python", cmd)) << cmd;
  for (const char* cmd : {"go", "gofmt"}) EXPECT_TRUE(would_provide("go", cmd)) << cmd;
  for (const char* cmd : {"cargo", "rustc", "rustfmt"}) EXPECT_TRUE(would_provide("rust", cmd)) << cmd;
  EXPECT_FALSE(would_provide("node", "python3"));
  EXPECT_FALSE(would_provide("node", "nod"));
  EXPECT_FALSE(would_provide("node", ""));
}

TEST(NotFound, AnyOtherToolProvidesItsOwnNameAndAnNpmPackageItsBaseName) {
  EXPECT_TRUE(would_provide("hello", "hello"));
  EXPECT_FALSE(would_provide("hello", "hell"));
  EXPECT_TRUE(would_provide("npm:prettier", "prettier"));
  EXPECT_TRUE(would_provide("npm:@biomejs/biome", "biome"));
  EXPECT_FALSE(would_provide("npm:@biomejs/biome", "@biomejs/biome"));
  EXPECT_TRUE(would_provide("typescript", "tsc"));
}

TEST(NotFound, ProvidersOfACompanionAreItsTools) {
  EXPECT_EQ(providers_of("npm"), std::vector<std::string_view>{"node"});
  EXPECT_EQ(providers_of("pip3"), std::vector<std::string_view>{"python"});
  EXPECT_TRUE(providers_of("node").empty()) << "a tool's own name is looked up as that tool";
  EXPECT_TRUE(providers_of("ls").empty());
}

TEST(NotFound, OnlyAMissingToolThatProvidesTheCommandIsInstalled) {
  std::vector<resolver::Request> here{request("python", "3.12"), request("node", "20", ".nvmrc"),
                                      request("go", "1.22")};
  EXPECT_EQ(tools(missing_providers(here, "npm", none_installed)), std::vector<std::string>{"node"});
  EXPECT_EQ(tools(missing_providers(here, "node", none_installed)), std::vector<std::string>{"node"});
  EXPECT_TRUE(missing_providers(here, "sl", none_installed).empty()) << "a typo installs nothing";
  EXPECT_TRUE(missing_providers(here, "ruby", none_installed).empty()) << "ruby is not configured here";
}

TEST(NotFound, AnInstalledToolIsNotInstalledAgain) {
  std::vector<resolver::Request> here{request("node", "20")};
  auto installed = [](const resolver::Request& r) { return r.tool == "node"; };
  EXPECT_TRUE(missing_providers(here, "node", installed).empty())
      << "node is there: a 'corepack' it lacks is the shell's 'not found'";
}

TEST(NotFound, SystemIsNeverInstalled) {
  std::vector<resolver::Request> here{request("node", "system")};
  EXPECT_TRUE(missing_providers(here, "node", none_installed).empty());
}

TEST(NotFound, EveryMissingProviderIsInstalledInConfigOrder) {
  std::vector<resolver::Request> here{request("npm:prettier", "3"), request("prettier", "3")};
  EXPECT_EQ(tools(missing_providers(here, "prettier", none_installed)),
            (std::vector<std::string>{"npm:prettier", "prettier"}));
}

TEST(RcLine, NamesTheRtxThatPrintedItQuotedForItsShell) {
  EXPECT_EQ(rc_line(Shell::Bash, "/home/a b/.local/bin/rtx"),
            "eval \"$('/home/a b/.local/bin/rtx' activate bash)\"  # ~/.bashrc");
  EXPECT_EQ(rc_line(Shell::Zsh, "/opt/rtx"), "eval \"$('/opt/rtx' activate zsh)\"  # ~/.zshrc");
  EXPECT_EQ(rc_line(Shell::Fish, "/it's/rtx"), "'/it\\'s/rtx' activate fish | source  # ~/.config/fish/config.fish");
}

}  // namespace
