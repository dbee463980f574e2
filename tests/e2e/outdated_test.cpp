// rtx outdated and rtx latest (issue 9 item 7), against the sample plugin's
// remote list (HELLO_VERSIONS): what each request runs, what it could run,
// and the newest overall.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "harness.hpp"

namespace rtx::e2e {
namespace {

class Outdated : public ::testing::Test {
 protected:
  void SetUp() override {
    world.link_sample_plugin();
    world.link_sample_plugin("hola");
    world.set_env("HELLO_VERSIONS", "1.0.0 1.1.0 2.0.0");
    ASSERT_EQ(world.rtx({"install", "hello@1.0.0", "hola@2.0.0"}).status, 0);
    project = world.make_project("app", ".tool-versions", "hello 1\nhola 2\n");
    world.set_env("HELLO_VERSIONS", "1.0.0 1.1.0 1.2.0-rc1 2.0.0 2.1.0 3.0.0-beta");
  }
  World world;
  std::string project;
};

TEST_F(Outdated, ListsEachRequestThatCouldRunNewer) {
  Output o = world.rtx({"outdated"}, project);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out,
            "TOOL   REQUESTED  CURRENT  WANTED  LATEST  SOURCE\n"
            "hello  1          1.0.0    1.1.0   2.1.0   " +
                project +
                "/.tool-versions\n"
                "hola   2          2.0.0    2.1.0   2.1.0   " +
                project + "/.tool-versions\n");
}

TEST_F(Outdated, JsonAndOneTool) {
  Output o = world.rtx({"outdated", "hola", "--json"}, project);
  ASSERT_EQ(o.status, 0) << o.err;
  simdjson::dom::parser parser;
  simdjson::dom::array rows = parser.parse(o.out).get_array();
  ASSERT_EQ(rows.size(), 1u) << o.out;
  EXPECT_EQ(std::string_view(rows.at(0)["tool"]), "hola");
  EXPECT_EQ(std::string_view(rows.at(0)["current"]), "2.0.0");
  EXPECT_EQ(std::string_view(rows.at(0)["wanted"]), "2.1.0");
  EXPECT_EQ(std::string_view(rows.at(0)["latest"]), "2.1.0");
}

TEST_F(Outdated, UpToDateIsNotListedAndAnUnconfiguredToolIsOneError) {
  world.set_env("HELLO_VERSIONS", "1.0.0 2.0.0");
  Output o = world.rtx({"outdated", "--json"}, project);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out, "[]\n");
  Output none = world.rtx({"outdated", "node"}, project);
  EXPECT_EQ(none.status, 1);
  EXPECT_EQ(none.err, "rtx: no version of node is configured for " + project + ": see 'rtx current'\n");
}

TEST_F(Outdated, LatestOfAToolAndOfAPrefix) {
  EXPECT_EQ(world.rtx({"latest", "hello"}).out, "2.1.0\n");
  EXPECT_EQ(world.rtx({"latest", "hello@1"}).out, "1.1.0\n");
  Output none = world.rtx({"latest", "hello@7"});
  EXPECT_EQ(none.status, 1);
  EXPECT_NE(none.err.find("no version of hello matches '7'"), std::string::npos) << none.err;
}

}  // namespace
}  // namespace rtx::e2e
