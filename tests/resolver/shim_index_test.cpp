// shims/.index: "<command>\t<tool>[\t<tool>…]" per line.
#include <gtest/gtest.h>

#include "resolver/shim_index.hpp"

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

}  // namespace
}  // namespace rtx::resolver
