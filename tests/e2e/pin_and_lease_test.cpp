// A process started through a shim holds its build's lease and passes the pin
// to its children; a BUILDING entry is never resolved; a build in use outlives
// its uninstall until the last user exits.
#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include "harness.hpp"
#include "text_checks.hpp"

namespace rtx::e2e {
namespace {

using namespace std::chrono_literals;

std::set<std::string> fd_targets(const std::string& pid) {
  std::set<std::string> out;
  std::string dir = "/proc/" + pid + "/fd";
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      char buf[4096];
      ssize_t n = ::readlink((dir + "/" + e->d_name).c_str(), buf, sizeof buf);
      if (n > 0) out.emplace(buf, std::size_t(n));
    }
    ::closedir(d);
  }
  return out;
}

class PinAndLease : public ::testing::Test {
 protected:
  void SetUp() override {
    world.set_env("HELLO_VERSIONS", "1.0.0 1.1.0 1.2.0 2.0.0");
    world.link_sample_plugin();
    Output o = world.rtx({"install", "hello@1.1.0", "hello@2.0.0"});
    ASSERT_EQ(o.status, 0) << o.err;
    project = world.make_project("proj", ".tool-versions", "hello 1\n");
    other = world.make_project("other", ".tool-versions", "hello 2\n");
    build_1_1 = first_line(world.rtx({"where", "hello@1.1.0"}).out);
    ASSERT_FALSE(build_1_1.empty());
  }
  std::string file(const std::string& name) const { return world.root() + "/" + name; }

  World world;
  std::string project, other, build_1_1;
};

TEST_F(PinAndLease, AProcessStartedThroughTheShimAndItsChildrenHoldTheLease) {
  Background job =
      world.sh_background("hello --run sh -c 'echo $$ > " + file("pid.tmp") + " && mv " + file("pid.tmp") + " " +
                              file("pid") + "; while [ ! -e " + file("stop") + " ]; do sleep 0.02; done'",
                          project);
  ASSERT_TRUE(wait_for_file(file("pid"), 10s));
  std::string child = first_line(world.read(file("pid")));
  EXPECT_TRUE(fd_targets(child).count(build_1_1 + ".lease")) << "child " << child << " lacks the lease fd";
  std::ofstream(file("stop")).flush();
  EXPECT_EQ(job.wait(), 0);
}

TEST_F(PinAndLease, ChildrenKeepTheirVersionWhenAnUpgradeLandsMidway) {
  Background job = world.sh_background("hello --run sh -c 'hello > " + file("first") + "; echo \"$RTX_PIN_HELLO\" > " +
                                           file("pin") + "; touch " + file("ready") + "; while [ ! -e " + file("go") +
                                           " ]; do sleep 0.02; done; hello > " + file("second") + "'",
                                       project);
  ASSERT_TRUE(wait_for_file(file("ready"), 10s));
  EXPECT_EQ(world.read(file("pin")), "hello\t1\t" + build_1_1 + "\n");

  Output up = world.rtx({"install", "hello@1.2.0"});  // "1" now means 1.2.0 for new invocations
  ASSERT_EQ(up.status, 0) << up.err;
  EXPECT_EQ(world.shim("hello", {}, project).out.rfind("hello 1.2.0", 0), 0u);

  std::ofstream(file("go")).flush();
  EXPECT_EQ(job.wait(), 0);
  EXPECT_EQ(world.read(file("first")).rfind("hello 1.1.0", 0), 0u);
  EXPECT_EQ(world.read(file("second")).rfind("hello 1.1.0", 0), 0u) << "the pin was not honoured";
}

TEST_F(PinAndLease, APinForAnotherRequestIsIgnored) {
  Output o = world.sh("hello --run sh -c 'cd " + other + " && hello'", project);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("hello 1.1.0"), std::string::npos);
  EXPECT_NE(o.out.find("hello 2.0.0"), std::string::npos) << o.out;
}

TEST_F(PinAndLease, AStalePinIsDroppedNotFatal) {
  world.set_env("RTX_PIN_HELLO", "hello\t1\t" + world.data() + "/store/hello/1.1.0-gone");
  Output o = world.shim("hello", {}, project);
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out.rfind("hello 1.1.0", 0), 0u);
  EXPECT_NE(o.err.find("dropping the pin"), std::string::npos) << o.err;
}

TEST_F(PinAndLease, ABuildingEntryIsNeverResolved) {
  world.set_env("HELLO_INSTALL_SECONDS", "2");
  Background install = world.sh_background("rtx install hello@1.2.0 > /dev/null 2>&1; touch " + file("installed"));
  world.unset_env("HELLO_INSTALL_SECONDS");

  int calls = 0, failures = 0, during_building = 0;
  bool saw_new = false, went_back = false;
  auto building = [&] {
    for (const auto& n : world.store_names("hello"))
      if (n.rfind("1.2.0-", 0) == 0 && n.size() > 6 && n.find(".state") != std::string::npos &&
          world.read(world.data() + "/store/hello/" + n).rfind("BUILDING", 0) == 0)
        return true;
    return false;
  };
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (::access(file("installed").c_str(), F_OK) != 0 && std::chrono::steady_clock::now() < deadline) {
    bool was_building = building();
    Output o = world.shim("hello", {}, project);
    ++calls;
    if (o.status != 0) ++failures;
    bool is_new = o.out.rfind("hello 1.2.0", 0) == 0;
    if (is_new) saw_new = true;
    if (saw_new && !is_new) went_back = true;
    if (was_building && building()) {
      ++during_building;
      EXPECT_EQ(o.out.rfind("hello 1.1.0", 0), 0u) << "resolved a BUILDING entry: " << o.out << o.err;
    }
  }
  EXPECT_EQ(install.wait(), 0);
  EXPECT_EQ(failures, 0) << "of " << calls << " calls";
  EXPECT_GT(during_building, 5) << "the loop never overlapped the build";
  EXPECT_FALSE(went_back);
  EXPECT_EQ(world.shim("hello", {}, project).out.rfind("hello 1.2.0", 0), 0u);
}

TEST_F(PinAndLease, UninstallKeepsABuildInUseUntilItsLastUserExits) {
  Background job = world.sh_background("hello --run sh -c 'echo $$ > " + file("pid.tmp") + " && mv " + file("pid.tmp") +
                                           " " + file("pid") + "; while [ ! -e " + file("stop") +
                                           " ]; do sleep 0.02; done; hello > " + file("after") + "'",
                                       project);
  ASSERT_TRUE(wait_for_file(file("pid"), 10s));
  std::string child = first_line(world.read(file("pid")));

  Output o = world.rtx({"uninstall", "hello@1.1.0"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.err.find(child + " (lease)"), std::string::npos) << o.err;
  EXPECT_EQ(::access(build_1_1.c_str(), F_OK), 0) << "a build in use was deleted";
  EXPECT_EQ(world.shim("hello", {}, project).status, 127) << "a retired build was resolved anew";

  std::ofstream(file("stop")).flush();
  EXPECT_EQ(job.wait(), 0);
  EXPECT_EQ(world.read(file("after")).rfind("hello 1.1.0", 0), 0u) << "the pinned child lost its build";

  Output gc = world.rtx({"gc"});
  EXPECT_EQ(gc.status, 0) << gc.err;
  EXPECT_NE(::access(build_1_1.c_str(), F_OK), 0) << "gc kept a build nobody uses";
}

}  // namespace
}  // namespace rtx::e2e
