// `--json` for scripts and tables for people (issue 9 item 8): JSON written by
// Boost.JSON, valid whatever bytes a path holds; table columns as wide as
// their content.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <sstream>

#include "harness.hpp"

namespace rtx::e2e {
namespace {

class JsonOutput : public ::testing::Test {
 protected:
  void SetUp() override {
    world.link_sample_plugin();
    ASSERT_EQ(world.rtx({"install", "hello@1.1.0", "hello@2.0.0"}).status, 0);
    project = world.make_project("p", ".tool-versions", "hello 1 2\n");
  }
  World world;
  std::string project;
  simdjson::dom::parser parser;
};

TEST_F(JsonOutput, CurrentSaysWhatWasAskedWhereAndWhatRuns) {
  world.make_project("q", ".tool-versions", "hello 9\n");
  Output o = world.rtx({"current", "--json"}, project);
  ASSERT_EQ(o.status, 0) << o.err;
  simdjson::dom::array rows = parser.parse(o.out).get_array();
  ASSERT_EQ(rows.size(), 1u) << o.out;
  simdjson::dom::element row = rows.at(0);
  EXPECT_EQ(std::string_view(row["tool"]), "hello");
  EXPECT_EQ(std::string_view(row["version"]), "1.1.0");
  EXPECT_TRUE(bool(row["installed"]));
  EXPECT_EQ(simdjson::to_string(row["requested"]), "[\"1\",\"2\"]");
  EXPECT_EQ(std::string_view(row["source"]), project + "/.tool-versions");
  EXPECT_EQ(std::string_view(row["path"]).rfind(world.data() + "/store/hello/1.1.0-", 0), 0u);

  Output missing = world.rtx({"current", "--json"}, world.root() + "/q");
  EXPECT_EQ(missing.status, 127);
  simdjson::dom::element m = parser.parse(missing.out).get_array().at(0);
  EXPECT_FALSE(bool(m["installed"]));
  EXPECT_TRUE(m["version"].is_null());
  EXPECT_TRUE(m["path"].is_null());
}

TEST_F(JsonOutput, LsRemoteAndPluginsLs) {
  Output remote = world.rtx({"ls-remote", "hello", "--json"});
  ASSERT_EQ(remote.status, 0) << remote.err;
  EXPECT_EQ(simdjson::to_string(parser.parse(remote.out)), "[\"1.0.0\",\"1.1.0\",\"2.0.0\",\"2.1.0-rc1\"]");
  Output plugins = world.rtx({"plugins", "ls", "--json"});
  ASSERT_EQ(plugins.status, 0) << plugins.err;
  simdjson::dom::element p = parser.parse(plugins.out).get_array().at(0);
  EXPECT_EQ(std::string_view(p["name"]), "hello");
  EXPECT_EQ(std::string_view(p["dir"]), source_dir() + "/examples/asdf-hello");
}

// A data dir whose name holds a quote, a backslash and a byte that is not
// UTF-8: the JSON stays valid and says U+FFFD for the byte.
TEST_F(JsonOutput, OddBytesInPathsStayValidJson) {
  std::string odd = world.root() + "/da\"ta\\\xff";
  world.set_env("RTX_DATA_DIR", odd);
  world.link_sample_plugin();
  ASSERT_EQ(world.rtx({"install", "hello@1.1.0"}).status, 0);
  for (const auto& args : {std::vector<std::string>{"ls", "--json"}, {"current", "--json"}, {"ps", "--json"}}) {
    Output o = world.rtx(args, project);
    ASSERT_EQ(o.status, 0) << args[0] << ": " << o.err;
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(o.out).get(doc), simdjson::SUCCESS) << args[0] << ": " << o.out;
  }
  simdjson::dom::element first = parser.parse(world.rtx({"ls", "--json"}).out).get_array().at(0);
  EXPECT_EQ(std::string_view(first["path"]).rfind(world.root() + "/da\"ta\\\xEF\xBF\xBD/store/hello/", 0), 0u)
      << std::string_view(first["path"]);
}

TEST_F(JsonOutput, TableColumnsAreAsWideAsTheirLongestCell) {
  world.link_sample_plugin("a-rather-long-tool-name-for-columns");
  ASSERT_EQ(world.rtx({"install", "a-rather-long-tool-name-for-columns@1.0.0"}).status, 0);
  Output o = world.rtx({"ls"});
  ASSERT_EQ(o.status, 0) << o.err;
  // Every row's version starts in the same column, two spaces after the longest name.
  std::size_t column = std::string("a-rather-long-tool-name-for-columns").size() + 2;
  std::size_t rows = 0;
  std::istringstream in(o.out);
  for (std::string line; std::getline(in, line);) {
    ++rows;
    EXPECT_NE(line[column], ' ') << line;
    EXPECT_EQ(line.substr(column - 2, 2), "  ") << line;
  }
  EXPECT_EQ(rows, 3u) << o.out;
}

}  // namespace
}  // namespace rtx::e2e
