// `rtx ps` (DESIGN.md §7) on real processes: a grandchild of a shim'd process
// holds the lease it inherited and is listed with its tool, version and state;
// after an uninstall the same process keeps a RETIRED build that is listed as
// pending removal; a tool argument filters; --json is an array for scripts.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <time.h>

#include <cmath>
#include <regex>
#include <sstream>

#include "harness.hpp"
#include "text_checks.hpp"

namespace rtx::e2e {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// The table row of `pid`, split into words (empty when absent).
std::vector<std::string> row_of(const std::string& table, const std::string& pid) {
  std::istringstream in(table);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(pid + " ", 0) == 0) return words(line);
  return {};
}

class Ps : public ::testing::Test {
 protected:
  void SetUp() override {
    world.set_env("HELLO_VERSIONS", "1.0.0 1.1.0 2.0.0");
    world.link_sample_plugin();
    Output o = world.rtx({"install", "hello@1.1.0"});
    ASSERT_EQ(o.status, 0) << o.err;
    project = world.make_project("proj", ".tool-versions", "hello 1.1.0\n");
    build = first_line(world.rtx({"where", "hello@1.1.0"}).out);
    entry = build.substr(build.rfind('/') + 1);
    ASSERT_EQ(entry.rfind("1.1.0-", 0), 0u) << build;
    // The sleep is a grandchild of the shim'd hello: it holds the lease only by inheritance.
    job = world.sh_background("hello --run sh -c 'sleep 30 & echo $! > " + file("pid.tmp") + " && mv " +
                                  file("pid.tmp") + " " + file("pid") + "; wait' > /dev/null",
                              project);
    ASSERT_TRUE(wait_for_file(file("pid"), 10s));
    sleeper = first_line(world.read(file("pid")));
    ASSERT_FALSE(sleeper.empty());
  }
  std::string file(const std::string& name) const { return world.root() + "/" + name; }

  // The --json object of `pid`, parsed; fails the test when absent.
  simdjson::dom::element json_row(const std::string& out, const std::string& pid) {
    doc = parser.parse(out);
    for (simdjson::dom::element item : doc.get_array())
      if (std::to_string(int64_t(item["pid"])) == pid) return item;
    ADD_FAILURE() << "pid " << pid << " not in " << out;
    return {};
  }

  World world;
  std::string project, build, entry, sleeper;
  Background job;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
};

TEST_F(Ps, ListsAGrandchildThatInheritedTheLease) {
  Output o = world.rtx({"ps"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(words(first_line(o.out)),
            (std::vector<std::string>{"PID", "TOOL", "VERSION", "STATE", "STARTED", "COMMAND"}));
  auto row = row_of(o.out, sleeper);
  ASSERT_GE(row.size(), 8u) << o.out;
  EXPECT_EQ(row[1], "hello");
  EXPECT_EQ(row[2], "1.1.0");
  EXPECT_EQ(row[3], "READY");
  EXPECT_TRUE(std::regex_match(row[4] + " " + row[5], std::regex(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)"))) << o.out;
  EXPECT_EQ(row[6] + " " + row[7], "sleep 30");
  EXPECT_EQ(o.out.find("pending removal"), std::string::npos) << "nothing is retired yet:\n" << o.out;

  Output j = world.rtx({"ps", "--json"});
  ASSERT_EQ(j.status, 0) << j.err;
  simdjson::dom::element item = json_row(j.out, sleeper);
  EXPECT_EQ(std::string_view(item["tool"]), "hello");
  EXPECT_EQ(std::string_view(item["version"]), "1.1.0");
  EXPECT_EQ(std::string_view(item["state"]), "READY");
  EXPECT_EQ(std::string_view(item["command"]), "sleep 30");
  EXPECT_EQ(std::string_view(item["build"]), entry);
  EXPECT_EQ(std::string_view(item["path"]), build);
  EXPECT_EQ(std::string_view(item["how"]), "lease");
  EXPECT_FALSE(bool(item["pending"]));
  std::string started{std::string_view(item["started"])};
  ASSERT_TRUE(std::regex_match(started, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"))) << started;
  tm parts{};
  ::strptime(started.c_str(), "%Y-%m-%dT%H:%M:%SZ", &parts);
  EXPECT_LT(std::abs(double(::timegm(&parts) - ::time(nullptr))), 60.0) << "started " << started;
}

TEST_F(Ps, AnUninstalledBuildStaysRetiredForItsHolderAndIsPending) {
  Output u = world.rtx({"uninstall", "hello@1.1.0"});
  ASSERT_EQ(u.status, 0) << u.err;

  Output o = world.rtx({"ps"});
  ASSERT_EQ(o.status, 0) << o.err;
  auto row = row_of(o.out, sleeper);
  ASSERT_GE(row.size(), 4u) << o.out;
  EXPECT_EQ(row[3], "RETIRED");
  std::size_t pending = o.out.find("\npending removal");
  ASSERT_NE(pending, std::string::npos) << o.out;
  std::string footer = o.out.substr(pending);
  EXPECT_NE(footer.find("hello " + entry), std::string::npos) << footer;
  EXPECT_NE(footer.find(sleeper + " (lease)"), std::string::npos) << footer;

  Output j = world.rtx({"ps", "--json"});
  ASSERT_EQ(j.status, 0) << j.err;
  simdjson::dom::element item = json_row(j.out, sleeper);
  EXPECT_EQ(std::string_view(item["state"]), "RETIRED");
  EXPECT_TRUE(bool(item["pending"]));
  EXPECT_EQ(::access(build.c_str(), F_OK), 0) << "a build in use was removed";
}

TEST_F(Ps, AToolArgumentFilters) {
  Output other = world.rtx({"ps", "othertool"});
  ASSERT_EQ(other.status, 0) << other.err;
  EXPECT_TRUE(row_of(other.out, sleeper).empty()) << other.out;
  Output other_json = world.rtx({"ps", "--json", "othertool"});
  ASSERT_EQ(other_json.status, 0) << other_json.err;
  EXPECT_EQ(other_json.out, "[]\n");

  Output hello = world.rtx({"ps", "hello"});
  EXPECT_FALSE(row_of(hello.out, sleeper).empty()) << hello.out;
  Output bad = world.rtx({"ps", "no..tool"});
  EXPECT_NE(bad.status, 0);
  EXPECT_EQ(bad.err.rfind("rtx: ", 0), 0u) << bad.err;
}

}  // namespace
}  // namespace rtx::e2e
