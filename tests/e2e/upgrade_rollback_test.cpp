// `rtx upgrade`, `rtx rollback` and `rtx gc` as a user meets them (DESIGN.md §3,
// §7): a project asking for `hello 1` has 1.0.0; the plugin starts offering
// 1.1.0; the upgrade lands side by side, the superseded build is RETIRED and
// kept for a rollback, reaped when nothing needs it, and a failed upgrade
// changes nothing.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "harness.hpp"
#include "store_probe.hpp"
#include "text_checks.hpp"

namespace rtx::e2e {
namespace {

using namespace std::chrono_literals;

class UpgradeRollback : public ::testing::Test {
 protected:
  void SetUp() override {
    world.set_env("HELLO_VERSIONS", "1.0.0");
    world.link_sample_plugin();
    Output o = world.rtx({"install", "hello@1.0.0"});
    ASSERT_EQ(o.status, 0) << o.err;
    project = world.make_project("proj", ".tool-versions", "hello 1\n");
    old_build = pointed_build(world, "hello", "1.0.0");
    ASSERT_FALSE(old_build.empty());
    world.set_env("HELLO_VERSIONS", "1.0.0 1.1.0");
  }

  Output upgrade(std::vector<std::string> flags = {}) {
    flags.insert(flags.begin(), "upgrade");
    return world.rtx(flags, project);
  }
  Output hello_here() const { return world.shim("hello", {}, project); }
  std::string file(const std::string& name) const { return world.root() + "/" + name; }
  std::string entry_path(const std::string& build) const { return store_dir(world, "hello") + "/" + build; }

  // A job started through the shim in the project: it pins the build "hello 1"
  // resolves to now, and runs `hello` once more (still pinned) when told to stop.
  Background start_pinned_job() {
    Background job =
        world.sh_background("hello --run sh -c 'echo $$ > " + file("job.pid.tmp") + " && mv " + file("job.pid.tmp") +
                                " " + file("job.pid") + "; while [ ! -e " + file("job.stop") +
                                " ]; do sleep 0.02; done; hello > " + file("job.after") + "' > " + file("job.out"),
                            project);
    EXPECT_TRUE(wait_for_file(file("job.pid"), 10s)) << "the job never started";
    return job;
  }
  void stop_job() { std::ofstream(file("job.stop")).flush(); }

  World world;
  std::string project, old_build;
};

TEST_F(UpgradeRollback, DryRunPrintsThePlanAndChangesNothing) {
  auto before = world.store_names("hello");
  Output o = upgrade({"--dry-run"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("would upgrade hello 1: 1.0.0 -> 1.1.0"), std::string::npos) << o.out;
  EXPECT_EQ(world.store_names("hello"), before);
  EXPECT_EQ(pointed_build(world, "hello", "1.0.0"), old_build);
  EXPECT_EQ(pointer(world, "hello", "1.1.0"), "");
  EXPECT_TRUE(prints_version(hello_here(), "1.0.0"));
}

TEST_F(UpgradeRollback, UpgradeRetiresTheOldBuildAndKeepsItForRollback) {
  Output o = upgrade();
  ASSERT_EQ(o.status, 0) << o.err;
  Output s = hello_here();
  EXPECT_TRUE(prints_version(s, "1.1.0")) << s.out << s.err;
  EXPECT_EQ(states_of(world, "hello", "1.1.0"), std::vector<std::string>{"READY"});
  EXPECT_EQ(states_of(world, "hello", "1.0.0"), std::vector<std::string>{"RETIRED"});
  EXPECT_EQ(pointer(world, "hello", "1.0.0"), "") << "installs/ must name READY builds only";
  EXPECT_TRUE(builds_of(world, "hello", "1.0.0").at(0).tree) << "keep_previous = 1 keeps the predecessor on disk";
  EXPECT_EQ(world.shim("hello", {}, world.make_project("exact", ".tool-versions", "hello 1.0.0\n")).status, 127)
      << "a RETIRED build was resolved anew";
}

TEST_F(UpgradeRollback, RollbackBringsThePredecessorBackAndHoldsTheNewOneBack) {
  ASSERT_EQ(upgrade().status, 0);
  std::string new_build = pointed_build(world, "hello", "1.1.0");

  Output rb = world.rtx({"rollback", "hello"}, project);
  ASSERT_EQ(rb.status, 0) << rb.err;
  EXPECT_TRUE(prints_version(hello_here(), "1.0.0"));
  EXPECT_EQ(states_of(world, "hello", "1.0.0"), std::vector<std::string>{"READY"});
  EXPECT_EQ(pointed_build(world, "hello", "1.0.0"), old_build);
  EXPECT_EQ(states_of(world, "hello", "1.1.0"), std::vector<std::string>{"RETIRED"});
  EXPECT_EQ(pointer(world, "hello", "1.1.0"), "");

  Output again = upgrade();
  EXPECT_EQ(again.status, 0) << again.err;
  EXPECT_NE(again.err.find("up to date"), std::string::npos) << "a held-back version was taken again: " << again.err;
  EXPECT_TRUE(prints_version(hello_here(), "1.0.0"));
  EXPECT_EQ(builds_of(world, "hello", "1.1.0").size(), 1u);

  Output forced = upgrade({"--force"});
  ASSERT_EQ(forced.status, 0) << forced.err;
  EXPECT_TRUE(prints_version(hello_here(), "1.1.0"));
  EXPECT_EQ(states_of(world, "hello", "1.0.0"), std::vector<std::string>{"RETIRED"});
}

TEST_F(UpgradeRollback, KeepPreviousZeroReapsTheSupersededBuildAtOnce) {
  write_settings(world, "keep_previous = 0");
  Output o = upgrade();
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_TRUE(builds_of(world, "hello", "1.0.0").empty()) << o.err;
  EXPECT_NE(o.err.find("removed hello " + old_build), std::string::npos) << o.err;
  EXPECT_TRUE(prints_version(hello_here(), "1.1.0"));
}

TEST_F(UpgradeRollback, TwoUpgradesInARowKeepOnlyTheNewestPredecessor) {
  ASSERT_EQ(upgrade().status, 0);
  std::string middle = pointed_build(world, "hello", "1.1.0");
  world.set_env("HELLO_VERSIONS", "1.0.0 1.1.0 1.2.0");
  Output o = upgrade();
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_TRUE(prints_version(hello_here(), "1.2.0"));
  EXPECT_TRUE(builds_of(world, "hello", "1.0.0").empty()) << "an older predecessor outlived keep_previous = 1";
  EXPECT_EQ(states_of(world, "hello", "1.1.0"), std::vector<std::string>{"RETIRED"});
  EXPECT_TRUE(builds_of(world, "hello", "1.1.0").at(0).tree);
  EXPECT_EQ(states_of(world, "hello", "1.2.0"), std::vector<std::string>{"READY"});

  Output rb = world.rtx({"rollback", "hello"}, project);
  ASSERT_EQ(rb.status, 0) << rb.err;
  EXPECT_TRUE(prints_version(hello_here(), "1.1.0")) << "rollback goes to the most recent predecessor";
  EXPECT_EQ(pointed_build(world, "hello", "1.1.0"), middle);
}

TEST_F(UpgradeRollback, ATrackedConfigProtectsTheBuildItResolvesTo) {
  std::string pinned = world.make_project("pinned", ".tool-versions", "hello 1.0.0\n");
  Output cur = world.rtx({"current", "hello"}, pinned);  // an rtx command read it: now tracked
  ASSERT_EQ(cur.status, 0) << cur.err;
  EXPECT_NE(world.read(world.root() + "/state/tracked-configs").find(pinned + "/.tool-versions"), std::string::npos);

  Output o = upgrade();
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.err.find("stays READY"), std::string::npos) << o.err;
  EXPECT_TRUE(prints_version(hello_here(), "1.1.0"));
  EXPECT_TRUE(prints_version(world.shim("hello", {}, pinned), "1.0.0"));
  EXPECT_EQ(states_of(world, "hello", "1.0.0"), std::vector<std::string>{"READY"});
  EXPECT_EQ(pointed_build(world, "hello", "1.0.0"), old_build);

  // The protection lasts: the next gc does not take it either.
  write_settings(world, "keep_previous = 0");
  EXPECT_EQ(world.rtx({"gc"}).status, 0);
  EXPECT_TRUE(prints_version(world.shim("hello", {}, pinned), "1.0.0"));
}

TEST_F(UpgradeRollback, RollbackToAReapedBuildIsRefused) {
  write_settings(world, "keep_previous = 0");
  ASSERT_EQ(upgrade().status, 0);
  ASSERT_TRUE(builds_of(world, "hello", "1.0.0").empty());
  auto before = world.store_names("hello");
  std::string new_build = pointed_build(world, "hello", "1.1.0");

  Output rb = world.rtx({"rollback", "hello"}, project);
  EXPECT_NE(rb.status, 0);
  EXPECT_EQ(lines(rb.err), 1) << rb.err;
  EXPECT_EQ(rb.err.rfind("rtx: cannot roll hello back to 1.0.0", 0), 0u) << rb.err;
  EXPECT_NE(rb.err.find("gone"), std::string::npos) << rb.err;
  EXPECT_EQ(world.store_names("hello"), before);
  EXPECT_EQ(pointed_build(world, "hello", "1.1.0"), new_build);
  EXPECT_TRUE(prints_version(hello_here(), "1.1.0"));
}

TEST_F(UpgradeRollback, RollbackToABuildLeftReapingIsRefused) {
  ASSERT_EQ(upgrade().status, 0);
  std::string new_build = pointed_build(world, "hello", "1.1.0");
  force_state(world, "hello", old_build, "REAPING");  // a reaper died after step 4

  Output rb = world.rtx({"rollback", "hello"}, project);
  EXPECT_NE(rb.status, 0);
  EXPECT_EQ(lines(rb.err), 1) << rb.err;
  EXPECT_EQ(rb.err.rfind("rtx: cannot roll hello back to 1.0.0", 0), 0u) << rb.err;
  // REAPING is final: the command's recovery finishes the reap, and nothing comes back.
  for (const auto& b : builds_of(world, "hello", "1.0.0")) EXPECT_NE(b.state, "READY") << b.name;
  EXPECT_EQ(pointer(world, "hello", "1.0.0"), "");
  EXPECT_EQ(pointed_build(world, "hello", "1.1.0"), new_build);
  EXPECT_EQ(states_of(world, "hello", "1.1.0"), std::vector<std::string>{"READY"});
  EXPECT_TRUE(prints_version(hello_here(), "1.1.0"));
}

TEST_F(UpgradeRollback, RollbackToAReapingBuildStillLeasedIsRefusedByName) {
  ASSERT_EQ(upgrade().status, 0);
  std::string new_build = pointed_build(world, "hello", "1.1.0");
  force_state(world, "hello", old_build, "REAPING");
  // A holder of the lease keeps recovery from finishing the reap, so the
  // rollback itself meets the REAPING state under the tool lock.
  LeaseHold hold(entry_path(old_build));
  ASSERT_TRUE(hold.held());

  Output rb = world.rtx({"rollback", "hello"}, project);
  EXPECT_NE(rb.status, 0);
  EXPECT_EQ(lines(rb.err), 1) << rb.err;
  EXPECT_EQ(rb.err.rfind("rtx: cannot roll hello back to 1.0.0", 0), 0u) << rb.err;
  EXPECT_NE(rb.err.find("REAPING"), std::string::npos) << rb.err;
  EXPECT_EQ(states_of(world, "hello", "1.0.0"), std::vector<std::string>{"REAPING"});
  EXPECT_EQ(pointer(world, "hello", "1.0.0"), "");
  EXPECT_EQ(pointed_build(world, "hello", "1.1.0"), new_build);
  EXPECT_TRUE(prints_version(hello_here(), "1.1.0"));
}

TEST_F(UpgradeRollback, AFailedUpgradeChangesNothing) {
  auto before = world.store_names("hello");
  world.set_env("HELLO_FAIL_INSTALL", "1");
  Output o = upgrade();
  EXPECT_NE(o.status, 0);
  EXPECT_NE(o.err.find("failed"), std::string::npos) << o.err;
  EXPECT_EQ(world.store_names("hello"), before) << "a failed build was left in store/";
  EXPECT_EQ(pointed_build(world, "hello", "1.0.0"), old_build);
  EXPECT_EQ(states_of(world, "hello", "1.0.0"), std::vector<std::string>{"READY"});
  EXPECT_EQ(pointer(world, "hello", "1.1.0"), "");
  EXPECT_TRUE(prints_version(hello_here(), "1.0.0"));

  world.unset_env("HELLO_FAIL_INSTALL");
  ASSERT_EQ(upgrade().status, 0);
  EXPECT_TRUE(prints_version(hello_here(), "1.1.0"));
}

TEST_F(UpgradeRollback, GcDryRunListsWithoutRemoving) {
  ASSERT_EQ(upgrade().status, 0);
  write_settings(world, "keep_previous = 0");
  Output dry = world.rtx({"gc", "--dry-run"});
  ASSERT_EQ(dry.status, 0) << dry.err;
  EXPECT_NE(dry.out.find("would reap hello " + old_build), std::string::npos) << dry.out;
  EXPECT_EQ(states_of(world, "hello", "1.0.0"), std::vector<std::string>{"RETIRED"});
  EXPECT_TRUE(builds_of(world, "hello", "1.0.0").at(0).tree);

  Output gc = world.rtx({"gc"});
  ASSERT_EQ(gc.status, 0) << gc.err;
  EXPECT_NE(gc.out.find("reaped hello " + old_build), std::string::npos) << gc.out;
  EXPECT_TRUE(builds_of(world, "hello", "1.0.0").empty());
  EXPECT_TRUE(prints_version(hello_here(), "1.1.0"));
}

TEST_F(UpgradeRollback, GcWaitWaitsForAJobHoldingTheOldBuild) {
  Background job = start_pinned_job();
  ASSERT_EQ(upgrade().status, 0);
  write_settings(world, "keep_previous = 0");

  Background gc = world.sh_background("rtx gc --wait > " + file("gc.out") + " 2> " + file("gc.err") + "; echo $? > " +
                                      file("gc.rc"));
  EXPECT_FALSE(wait_for_file(file("gc.rc"), 500ms)) << "gc --wait returned while the job held the build";
  EXPECT_TRUE(builds_of(world, "hello", "1.0.0").at(0).tree) << "a build in use was deleted";

  stop_job();
  EXPECT_EQ(job.wait(), 0);
  EXPECT_TRUE(prints_version(Output{0, world.read(file("job.after")), {}}, "1.0.0")) << "the pin was not honoured";
  ASSERT_TRUE(wait_for_file(file("gc.rc"), 10s)) << "gc --wait did not finish after the job exited";
  EXPECT_EQ(gc.wait(), 0);
  EXPECT_EQ(world.read(file("gc.rc")), "0\n") << world.read(file("gc.err"));
  EXPECT_NE(world.read(file("gc.out")).find("reaped hello " + old_build), std::string::npos)
      << world.read(file("gc.out"));
  EXPECT_TRUE(builds_of(world, "hello", "1.0.0").empty());
}

TEST_F(UpgradeRollback, ABuildInUseIsReapedWithinASecondOfItsLastUser) {
  write_settings(world, "keep_previous = 0");
  Background job = start_pinned_job();
  std::string pid = trim_line(world.read(file("job.pid")));
  Output o = upgrade();
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.err.find("kept hello " + old_build + " while in use by"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find(pid), std::string::npos) << "the holder is not named: " << o.err;
  EXPECT_TRUE(builds_of(world, "hello", "1.0.0").at(0).tree) << "a build in use was deleted";
  EXPECT_TRUE(prints_version(hello_here(), "1.1.0"));

  stop_job();
  EXPECT_EQ(job.wait(), 0);
  EXPECT_TRUE(prints_version(Output{0, world.read(file("job.after")), {}}, "1.0.0")) << "the pin was not honoured";
  EXPECT_TRUE(eventually([&] { return builds_of(world, "hello", "1.0.0").empty(); }, 3s))
      << "the detached waiter did not reap the build after its last user exited";
}

// §7: the detached waiter must let go of a build that a rollback made READY
// again, and never take it away from the shims afterwards.
TEST_F(UpgradeRollback, ARollbackTakesBackABuildWaitingToBeReaped) {
  write_settings(world, "keep_previous = 0");
  Background job = start_pinned_job();
  Output up = upgrade();
  ASSERT_EQ(up.status, 0) << up.err;
  ASSERT_NE(up.err.find("kept hello " + old_build + " while in use"), std::string::npos) << up.err;

  Output rb = world.rtx({"rollback", "hello"}, project);
  ASSERT_EQ(rb.status, 0) << rb.err;
  EXPECT_TRUE(prints_version(hello_here(), "1.0.0"));
  stop_job();
  EXPECT_EQ(job.wait(), 0);

  // The waiter holds <locks>/hello@<build>.waiter while it runs: wait for it to end.
  std::string waiter_lock = world.data() + "/locks/hello@" + old_build + ".waiter";
  EXPECT_TRUE(eventually(
      [&] {
        int fd = ::open(waiter_lock.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return true;
        bool free = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
        ::close(fd);
        return free;
      },
      3s))
      << "the reap waiter is still running for a build that is READY again";
  EXPECT_EQ(states_of(world, "hello", "1.0.0"), std::vector<std::string>{"READY"});
  EXPECT_TRUE(builds_of(world, "hello", "1.0.0").at(0).tree);
  EXPECT_EQ(pointed_build(world, "hello", "1.0.0"), old_build);
  EXPECT_EQ(world.rtx({"gc"}).status, 0);
  EXPECT_TRUE(prints_version(hello_here(), "1.0.0"));
}

}  // namespace
}  // namespace rtx::e2e
