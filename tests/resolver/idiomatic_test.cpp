// Idiomatic version files (DESIGN.md §4): how each is read, that they count
// only for enabled tools, and where they rank.
#include "resolver/idiomatic.hpp"

#include <gtest/gtest.h>

#include "fs_helpers.hpp"
#include "resolver/request.hpp"
#include "tests/support/scoped_env.hpp"
#include "tests/support/temp_dir.hpp"

namespace rtx::resolver {
namespace {

const IdiomaticFile& file_named(std::string_view name) {
  for (const auto& f : kIdiomaticFiles)
    if (f.name == name) return f;
  throw std::runtime_error("no idiomatic file " + std::string(name));
}

// The specs `text` asks for as idiomatic file `name` (empty: none).
std::vector<std::string> specs(std::string_view name, std::string_view text) {
  auto parsed = parse_idiomatic("/p/" + std::string(name), file_named(name), text);
  if (!parsed) return {"error: " + parsed.error()};
  if (parsed->tools.empty()) return {};
  EXPECT_EQ(parsed->tools[0].tool, file_named(name).tool);
  return parsed->tools[0].specs;
}

using V = std::vector<std::string>;

TEST(Idiomatic, NvmrcAndNodeVersionAsNvmReadsThem) {
  EXPECT_EQ(specs(".nvmrc", "v20\n"), V{"20"});
  EXPECT_EQ(specs(".nvmrc", "20.11.1"), V{"20.11.1"});
  EXPECT_EQ(specs(".nvmrc", "lts/*\n"), V{"lts"});
  EXPECT_EQ(specs(".nvmrc", "lts/iron\n"), V{"lts-iron"});
  EXPECT_EQ(specs(".nvmrc", "node\n"), V{"latest"});
  EXPECT_EQ(specs(".node-version", "\xEF\xBB\xBF# pinned\r\n  v18.19.0  \r\n"), V{"18.19.0"});
  EXPECT_EQ(specs(".nvmrc", "\n# nothing\n"), V{});
}

TEST(Idiomatic, PythonVersionLinesAreFallbacks) {
  EXPECT_EQ(specs(".python-version", "3.12.1\n3.11\n# old\nsystem\n"), (V{"3.12.1", "3.11", "system"}));
}

TEST(Idiomatic, RubyGoAndRustPrefixesAndChannels) {
  EXPECT_EQ(specs(".ruby-version", "ruby-3.3.0\n"), V{"3.3.0"});
  EXPECT_EQ(specs(".go-version", "go1.22.1\n"), V{"1.22.1"});
  EXPECT_EQ(specs("rust-toolchain", "1.82.0\n"), V{"1.82.0"});
  EXPECT_EQ(specs("rust-toolchain", "stable\n"), V{"latest"});
  EXPECT_EQ(specs("rust-toolchain.toml", "[toolchain]\nchannel = \"1.80.1\"\ncomponents = [\"clippy\"]\n"),
            V{"1.80.1"});
  EXPECT_EQ(specs("rust-toolchain", "[toolchain]\nchannel = \"stable\"\n"), V{"latest"});
  EXPECT_EQ(specs("rust-toolchain.toml", "[toolchain]\nprofile = \"minimal\"\n"), V{});
}

TEST(Idiomatic, BadFilesAreOneErrorNamingTheLine) {
  EXPECT_EQ(specs(".nvmrc", "\n20 18\n"),
            V{"error: /p/.nvmrc:2: '20 18' is not one version: write one version per line"});
  auto channel = specs("rust-toolchain.toml", "[toolchain]\nchannel = 182\n");
  EXPECT_EQ(channel[0].rfind("error: /p/rust-toolchain.toml:2: [toolchain] channel must be a string", 0), 0u)
      << channel[0];
  EXPECT_EQ(specs(".ruby-version", "ruby-\n"),
            V{"error: /p/.ruby-version:1: 'ruby-' names no version: write one, e.g. 1.2.3"});
  EXPECT_EQ(specs(".go-version", "\ngo\n"), V{"error: /p/.go-version:2: 'go' names no version: write one, e.g. 1.2.3"});
  auto broken = specs("rust-toolchain.toml", "[toolchain\n");
  EXPECT_EQ(broken[0].rfind("error: /p/rust-toolchain.toml:1: invalid TOML", 0), 0u) << broken[0];
}

TEST(Idiomatic, EnabledToolsFromTheEnvironmentOrTheGlobalSettings) {
  {
    test::ScopedEnv env("RTX_IDIOMATIC_VERSION_FILE_ENABLE_TOOLS", "node, python,,");
    EXPECT_EQ(idiomatic_tools("[settings]\nidiomatic_version_file_enable_tools = [\"ruby\"]\n"), (V{"node", "python"}));
  }
  test::ScopedEnv env("RTX_IDIOMATIC_VERSION_FILE_ENABLE_TOOLS", nullptr);
  EXPECT_EQ(idiomatic_tools("[settings]\nidiomatic_version_file_enable_tools = [\"ruby\", \"go\"]\n"),
            (V{"ruby", "go"}));
  EXPECT_EQ(idiomatic_tools(""), V{});
  EXPECT_EQ(idiomatic_tools("[settings\n"), V{});
}

// <tmp>/home (global config), <tmp>/work/proj/sub (cwd).
class IdiomaticFinder : public ::testing::Test {
 protected:
  IdiomaticFinder() {
    roots_.home = tmp_ / "home";
    roots_.config = tmp_ / "home/.config/rtx";
    roots_.data = tmp_ / "data";
    test::make_dirs(cwd());
    test::make_dirs(roots_.config);
  }
  std::string proj() const { return tmp_ / "work/proj"; }
  std::string cwd() const { return tmp_ / "work/proj/sub"; }
  void enable(const std::string& tools) {
    test::write_file(roots_.config + "/config.toml",
                     "[settings]\nidiomatic_version_file_enable_tools = " + tools + "\n");
  }
  // "<spec> from <source>", or "none".
  std::string found(const char* tool) {
    auto r = RequestFinder(roots_, cwd()).find(tool);
    if (!r) return "error: " + r.error();
    if (r->tool.empty()) return "none";
    return r->joined() + " from " + r->source;
  }

  test::ScopedEnv no_env_{"RTX_IDIOMATIC_VERSION_FILE_ENABLE_TOOLS", nullptr};
  test::ScopedTempDir tmp_;
  Roots roots_;
};

TEST_F(IdiomaticFinder, CountOnlyForEnabledTools) {
  test::write_file(proj() + "/.nvmrc", "v20\n");
  EXPECT_EQ(found("node"), "none");
  enable("[\"node\"]");
  EXPECT_EQ(found("node"), "20 from " + proj() + "/.nvmrc");
  test::ScopedEnv env("RTX_IDIOMATIC_VERSION_FILE_ENABLE_TOOLS", "python");
  EXPECT_EQ(found("node"), "none");
}

TEST_F(IdiomaticFinder, RankAfterTheSameDirectorysConfigsBeforeOuterOnesAndTheGlobal) {
  enable("[\"node\", \"python\"]");
  test::write_file(proj() + "/.nvmrc", "18\n");
  test::write_file(proj() + "/.tool-versions", "node 20\n");
  EXPECT_EQ(found("node"), "20 from " + proj() + "/.tool-versions");
  // Nearer directory wins even against an rtx.toml further up.
  test::write_file(cwd() + "/.node-version", "v21.1.0\n");
  EXPECT_EQ(found("node"), "21.1.0 from " + cwd() + "/.node-version");
  // Beats the global config, which names python too.
  test::write_file(
      roots_.config + "/config.toml",
      "[settings]\nidiomatic_version_file_enable_tools = [\"node\", \"python\"]\n[tools]\npython = \"3.10\"\n");
  EXPECT_EQ(found("python"), "3.10 from " + roots_.config + "/config.toml");
  test::write_file(proj() + "/.python-version", "3.12\n3.11\n");
  EXPECT_EQ(found("python"), "3.12 3.11 from " + proj() + "/.python-version");
  // .nvmrc before .node-version in one directory.
  test::write_file(cwd() + "/.nvmrc", "lts/iron\n");
  EXPECT_EQ(found("node"), "lts-iron from " + cwd() + "/.nvmrc");
}

TEST_F(IdiomaticFinder, ABadIdiomaticFileIsAnErrorOnlyWhenEnabled) {
  test::write_file(proj() + "/.nvmrc", "20 18\n");
  EXPECT_EQ(found("node"), "none");
  enable("[\"node\"]");
  EXPECT_EQ(found("node"), "error: " + proj() + "/.nvmrc:1: '20 18' is not one version: write one version per line");
}

}  // namespace
}  // namespace rtx::resolver
