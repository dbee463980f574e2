// shims/.index: "<command>\t<tool>[\t<tool>…]" per line.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdio>
#include <string>

#include "fs_helpers.hpp"
#include "resolver/shim_index.hpp"
#include "tests/support/temp_dir.hpp"

namespace rtx::resolver {
namespace {

using Tools = std::vector<std::string>;

const char* const kIndex =
    "node\tnode\n"
    "npm\tnode\n"
    "npx\tnode\tnpm:npx\n"
    "python3\tpython\n"
    "prettier\tnpm:prettier";  // last line without a newline

TEST(ShimIndex, ToolsForCommand) {
  EXPECT_EQ(tools_for_command(kIndex, "node"), Tools{"node"});
  EXPECT_EQ(tools_for_command(kIndex, "npx"), (Tools{"node", "npm:npx"}));
  EXPECT_EQ(tools_for_command(kIndex, "python3"), Tools{"python"});
  EXPECT_EQ(tools_for_command(kIndex, "prettier"), Tools{"npm:prettier"});
}

TEST(ShimIndex, OnlyWholeCommandNamesMatch) {
  EXPECT_TRUE(tools_for_command(kIndex, "python").empty());
  EXPECT_TRUE(tools_for_command(kIndex, "np").empty());
  EXPECT_TRUE(tools_for_command(kIndex, "").empty());
  EXPECT_TRUE(tools_for_command(kIndex, "ruby").empty());
  EXPECT_TRUE(tools_for_command("", "node").empty());
}

TEST(ShimIndex, EmptyFieldsAreSkipped) {
  EXPECT_EQ(tools_for_command("go\tgo\t\tgolang\t\n", "go"), (Tools{"go", "golang"}));
}

// What reshim writes: sorted by command, each once.
std::string sorted_index(int commands) {
  std::string text;
  for (int i = 0; i < commands; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "cmd%05d", i);
    text += std::string(name) + "\ttool" + std::to_string(i % 7) + (i % 3 ? "" : "\tother") + "\n";
  }
  return text;
}

TEST(ShimIndex, TheSortedSearchAnswersAsTheScanForEveryCommand) {
  for (int n : {0, 1, 2, 3, 10, 257}) {
    std::string text = sorted_index(n);
    for (int i = -1; i <= n; ++i) {
      char name[32];
      std::snprintf(name, sizeof name, "cmd%05d", i);
      EXPECT_EQ(tools_for_command_sorted(text, name), tools_for_command(text, name)) << n << " " << name;
    }
    EXPECT_TRUE(tools_for_command_sorted(text, "cmd").empty());
    EXPECT_TRUE(tools_for_command_sorted(text, "zzz").empty());
  }
}

// An index in another order (by hand, or an older rtx) still answers every
// command: what the search misses is looked for line by line.
TEST(ShimIndex, AnUnsortedIndexStillAnswersEveryCommand) {
  for (const char* c : {"node", "npm", "npx", "python3", "prettier", "ruby"})
    EXPECT_EQ(tools_for_command_sorted(kIndex, c), tools_for_command(kIndex, c)) << c;
  EXPECT_EQ(tools_for_command_sorted("b\tB\n\n\na\tA", "a"), Tools{"A"});
  EXPECT_EQ(tools_for_command_sorted("\n\n", "a"), Tools{});
}

TEST(ShimIndex, FromAFileSmallOrMapped) {
  test::ScopedTempDir dir;
  for (int n : {5, 10000}) {  // 10,000 lines are past the read-whole size: mapped
    std::string path = dir.path() + "/index" + std::to_string(n);
    test::write_file(path, sorted_index(n));
    std::vector<std::string> tools;
    ASSERT_EQ(tools_for_command_in_file(path, "cmd00003", tools), 0);
    EXPECT_EQ(tools, (Tools{"tool3", "other"}));
    ASSERT_EQ(tools_for_command_in_file(path, "nope", tools), 0);
    EXPECT_TRUE(tools.empty());
  }
  std::vector<std::string> tools;
  EXPECT_EQ(tools_for_command_in_file(dir.path() + "/absent", "x", tools), ENOENT);
  EXPECT_EQ(tools_for_command_in_file(dir.path(), "x", tools), EINVAL);  // a directory
}

}  // namespace
}  // namespace rtx::resolver
