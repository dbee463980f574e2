// A kill -9 at every named point of the install/commit transaction (§6), of the
// reaper (§7) and of a rollback leaves the previous state fully usable (§3):
// shims keep answering with a whole build, `rtx doctor` repairs what is left,
// and the interrupted operation can simply be run again.
// RTX_FAULT=<point> makes rtx SIGKILL itself there (manager/util/fault_point.hpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <ostream>

#include "harness.hpp"
#include "store_probe.hpp"

namespace rtx::e2e {
namespace {

constexpr int kKilled = 128 + 9;

// Every version pointer in installs/hello names a READY build (§3).
std::vector<std::string> pointers_to_non_ready(const World& w) {
  std::vector<std::string> bad;
  for (const auto& b : builds(w, "hello")) {
    std::string target = pointer(w, "hello", b.version);
    if (target.substr(target.rfind('/') + 1) == b.name && b.state != "READY")
      bad.push_back(b.version + " -> " + b.name + " (" + b.state + ")");
  }
  return bad;
}

class Crash : public ::testing::Test {
 protected:
  void SetUp() override {
    world.set_env("HELLO_VERSIONS", "1.0.0");
    world.link_sample_plugin();
    Output o = world.rtx({"install", "hello@1.0.0"});
    ASSERT_EQ(o.status, 0) << o.err;
    project = world.make_project("proj", ".tool-versions", "hello 1\n");
    old_build = pointed_build(world, "hello", "1.0.0");
    world.set_env("HELLO_VERSIONS", "1.0.0 1.1.0");
  }

  // Runs rtx with RTX_FAULT=<point> for this one command.
  Output rtx_killed_at(const std::string& point, const std::vector<std::string>& args) {
    world.set_env("RTX_FAULT", point);
    Output o = world.rtx(args, project);
    world.unset_env("RTX_FAULT");
    return o;
  }
  Output hello_here() const { return world.shim("hello", {}, project); }
  // A shim call answers with a whole build of either version, never fails.
  void expect_old_or_new() const {
    Output s = hello_here();
    EXPECT_TRUE(prints_version(s, "1.0.0") || prints_version(s, "1.1.0")) << s.status << ": " << s.out << s.err;
  }
  void expect_doctor_repairs() {
    Output doc = world.rtx({"doctor"});
    EXPECT_EQ(doc.status, 0) << doc.out << doc.err;
    EXPECT_EQ(leftovers(world, "hello"), std::vector<std::string>{}) << doc.out;
    EXPECT_EQ(pointers_to_non_ready(world), std::vector<std::string>{}) << doc.out;
  }

  World world;
  std::string project, old_build;
};

// --- install / commit ---------------------------------------------------------

struct TransactionFault {
  const char* point;
  bool new_version_visible;  // may a shim already answer 1.1.0 right after the kill?
};

std::ostream& operator<<(std::ostream& os, const TransactionFault& f) { return os << f.point; }

class CrashDuringUpgrade : public Crash, public ::testing::WithParamInterface<TransactionFault> {};

TEST_P(CrashDuringUpgrade, TheOldOrNewVersionKeepsWorkingAndARetrySucceeds) {
  const TransactionFault& fault = GetParam();
  Output up = rtx_killed_at(fault.point, {"upgrade"});
  ASSERT_EQ(up.status, kKilled) << "RTX_FAULT=" << fault.point << " did not fire: " << up.err;

  Output s = hello_here();
  if (fault.new_version_visible)
    EXPECT_TRUE(prints_version(s, "1.0.0") || prints_version(s, "1.1.0")) << s.status << ": " << s.out << s.err;
  else
    EXPECT_TRUE(prints_version(s, "1.0.0"))
        << "an uncommitted build was resolved: " << s.status << ": " << s.out << s.err;

  expect_doctor_repairs();
  expect_old_or_new();

  Output again = world.rtx({"upgrade"}, project);
  ASSERT_EQ(again.status, 0) << again.err;
  Output after = hello_here();
  EXPECT_TRUE(prints_version(after, "1.1.0")) << after.status << ": " << after.out << after.err;
  EXPECT_EQ(leftovers(world, "hello"), std::vector<std::string>{});
  EXPECT_EQ(pointers_to_non_ready(world), std::vector<std::string>{});
  EXPECT_EQ(states_of(world, "hello", "1.1.0"), std::vector<std::string>{"READY"})
      << "one READY 1.1.0 build, the abandoned attempt reaped or reused";
}

// Run again, the interrupted upgrade ends where an uninterrupted one would
// have: the predecessor RETIRED and kept for `rtx rollback`, its pointer gone,
// the fuzzy links (§2) naming the new version.
TEST_P(CrashDuringUpgrade, ARetriedUpgradeEndsAsAnUninterruptedOneWould) {
  const TransactionFault& fault = GetParam();
  ASSERT_EQ(rtx_killed_at(fault.point, {"upgrade"}).status, kKilled);
  Output again = world.rtx({"upgrade"}, project);
  ASSERT_EQ(again.status, 0) << again.err;

  EXPECT_EQ(states_of(world, "hello", "1.0.0"), std::vector<std::string>{"RETIRED"})
      << "the superseded build was never retired: " << again.err;
  EXPECT_EQ(pointer(world, "hello", "1.0.0"), "");
  EXPECT_EQ(leftovers(world, "hello"), std::vector<std::string>{});
  EXPECT_EQ(pointer(world, "hello", "1"), "1.1.0") << "stale fuzzy link";
  EXPECT_EQ(pointer(world, "hello", "latest"), "1.1.0") << "stale fuzzy link";
  Output rb = world.rtx({"rollback", "hello"}, project);
  EXPECT_EQ(rb.status, 0) << rb.err;
  EXPECT_TRUE(prints_version(hello_here(), "1.0.0"));
}

INSTANTIATE_TEST_SUITE_P(
    EachPoint, CrashDuringUpgrade,
    ::testing::Values(TransactionFault{"install-after-create", false}, TransactionFault{"install-after-build", false},
                      TransactionFault{"commit-before-ready", false}, TransactionFault{"commit-after-ready", true},
                      TransactionFault{"commit-after-flip", true}, TransactionFault{"commit-after-retire", true}),
    [](const auto& info) {
      std::string n = info.param.point;
      std::replace(n.begin(), n.end(), '-', '_');
      return n;
    });

// --- the reaper -------------------------------------------------------------------

struct ReapFault {
  const char* point;
  bool in_upgrade;  // killed in upgrade's opportunistic gc, else in a later `rtx gc`
};

std::ostream& operator<<(std::ostream& os, const ReapFault& f) {
  return os << f.point << (f.in_upgrade ? " in upgrade" : " in gc");
}

class CrashWhileReaping : public Crash, public ::testing::WithParamInterface<ReapFault> {};

TEST_P(CrashWhileReaping, TheNextCommandFinishesTheReapAndNothingBreaks) {
  const ReapFault& fault = GetParam();
  if (fault.in_upgrade) {
    write_settings(world, "keep_previous = 0");
    Output up = rtx_killed_at(fault.point, {"upgrade"});
    ASSERT_EQ(up.status, kKilled) << "RTX_FAULT=" << fault.point << " did not fire: " << up.err;
  } else {
    Output up = world.rtx({"upgrade"}, project);
    ASSERT_EQ(up.status, 0) << up.err;
    write_settings(world, "keep_previous = 0");
    Output gc = rtx_killed_at(fault.point, {"gc"});
    ASSERT_EQ(gc.status, kKilled) << "RTX_FAULT=" << fault.point << " did not fire: " << gc.out << gc.err;
  }
  EXPECT_EQ(states_of(world, "hello", "1.0.0"), std::vector<std::string>{"REAPING"});

  // Nothing that resolves breaks: the project gets the new build, and a child
  // still pinned to the half-reaped build drops its pin instead of failing (§5).
  EXPECT_TRUE(prints_version(hello_here(), "1.1.0"));
  world.set_env("RTX_PIN_HELLO", "hello\t1\t" + store_dir(world, "hello") + "/" + old_build);
  Output pinned = hello_here();
  world.unset_env("RTX_PIN_HELLO");
  EXPECT_TRUE(prints_version(pinned, "1.1.0")) << pinned.status << ": " << pinned.out << pinned.err;
  EXPECT_NE(pinned.err.find("dropping the pin"), std::string::npos) << pinned.err;

  // Any rtx command finishes a reap a dead reaper left REAPING.
  Output next = fault.in_upgrade ? world.rtx({"gc"}) : world.rtx({"ls"});
  EXPECT_EQ(next.status, 0) << next.err;
  EXPECT_TRUE(builds_of(world, "hello", "1.0.0").empty()) << "the half-reaped build was not finished";
  EXPECT_EQ(leftovers(world, "hello"), std::vector<std::string>{});
  EXPECT_TRUE(prints_version(hello_here(), "1.1.0"));
  Output doc = world.rtx({"doctor"});
  EXPECT_EQ(doc.status, 0) << doc.out << doc.err;
}

INSTANTIATE_TEST_SUITE_P(EachPoint, CrashWhileReaping,
                         ::testing::Values(ReapFault{"reap-after-reaping", true}, ReapFault{"reap-before-delete", true},
                                           ReapFault{"reap-after-reaping", false},
                                           ReapFault{"reap-before-delete", false}),
                         [](const auto& info) {
                           std::string n =
                               std::string(info.param.point) + (info.param.in_upgrade ? "_in_upgrade" : "_in_gc");
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

// --- rollback -----------------------------------------------------------------------

TEST_F(Crash, ARollbackKilledAfterReadyLeavesAWorkingStoreAndCanBeRepeated) {
  Output up = world.rtx({"upgrade"}, project);
  ASSERT_EQ(up.status, 0) << up.err;
  std::string new_build = pointed_build(world, "hello", "1.1.0");

  Output rb = rtx_killed_at("rollback-after-ready", {"rollback", "hello"});
  ASSERT_EQ(rb.status, kKilled) << "RTX_FAULT=rollback-after-ready did not fire: " << rb.err;
  expect_old_or_new();

  expect_doctor_repairs();
  expect_old_or_new();

  Output again = world.rtx({"rollback", "hello"}, project);
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_TRUE(prints_version(hello_here(), "1.0.0"));
  EXPECT_EQ(pointed_build(world, "hello", "1.0.0"), old_build);
  EXPECT_EQ(states_of(world, "hello", "1.0.0"), std::vector<std::string>{"READY"});
  EXPECT_EQ(states_of(world, "hello", "1.1.0"), std::vector<std::string>{"RETIRED"});
  EXPECT_EQ(pointer(world, "hello", "1.1.0"), "");
}

}  // namespace
}  // namespace rtx::e2e
