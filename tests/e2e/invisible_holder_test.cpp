// A lease held by a process rtx cannot see (DESIGN.md §7): another user's,
// whose /proc/<pid>/fd rtx may not read. The lease is locked, yet the /proc
// scan finds nobody: uninstall, gc and ps must say that an unseen process
// holds the build and how to find it, never name an empty list or claim that
// nothing holds it. Tests run as root, so rtx runs here as a spare uid
// (setpriv) over a world that uid owns, while a root process holds the lease.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>

#include "harness.hpp"
#include "store_probe.hpp"
#include "text_checks.hpp"

namespace rtx::e2e {
namespace {

using namespace std::chrono_literals;

constexpr const char* kSpareUid = "65534";

// True while some process holds a lock on `lease` (probed without keeping one).
bool locked(const std::string& lease) {
  int fd = ::open(lease.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool busy = ::flock(fd, LOCK_EX | LOCK_NB) != 0;
  ::close(fd);
  return busy;
}

class InvisibleHolder : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to run rtx as another uid";
    world.set_env("HELLO_VERSIONS", "1.0.0");
    // The spare uid owns the whole world (and may reach the sample plugin).
    std::filesystem::create_directories(world.root() + "/proj");
    ASSERT_EQ(world.sh("chown -R " + std::string(kSpareUid) + ":" + kSpareUid + " " + world.root()).status, 0);
    ASSERT_EQ(as_spare({"plugins", "link", "hello", source_dir() + "/examples/asdf-hello"}).status, 0);
    Output o = as_spare({"install", "hello@1.0.0"});
    ASSERT_EQ(o.status, 0) << o.err;
    build = pointed_build(world, "hello", "1.0.0");
    lease = store_dir(world, "hello") + "/" + build + ".lease";
  }

  // rtx as the spare uid: root's processes are invisible to it.
  Output as_spare(const std::vector<std::string>& args) const {
    std::string cmd =
        "exec setpriv --reuid " + std::string(kSpareUid) + " --regid " + kSpareUid + " --clear-groups rtx";
    for (const auto& a : args) cmd += " '" + a + "'";
    return world.sh(cmd, world.root() + "/proj");
  }

  // A root process holding the lease shared, as a pinned job would.
  Background hold_as_root() {
    Background holder = world.sh_background("exec flock -s '" + lease + "' sleep 3000");
    EXPECT_TRUE(eventually([&] { return locked(lease); }, 10s)) << "the holder never took the lease";
    return holder;
  }

  World world;
  std::string build, lease;
};

TEST_F(InvisibleHolder, UninstallGcAndPsSayAnUnseenProcessHoldsTheBuild) {
  Background holder = hold_as_root();

  Output un = as_spare({"uninstall", "hello@1.0.0"});
  ASSERT_EQ(un.status, 0) << un.err;
  EXPECT_FALSE(has(un.err, "use them: ;")) << un.err;
  EXPECT_TRUE(has(un.err, "cannot see")) << un.err;
  EXPECT_TRUE(has(un.err, "fuser " + lease)) << un.err;
  EXPECT_TRUE(builds_of(world, "hello", "1.0.0").at(0).tree) << "a build in use was deleted";

  write_settings(world, "keep_previous = 0");
  ASSERT_EQ(world.sh("chown -R " + std::string(kSpareUid) + " " + world.config()).status, 0);
  Output gc = as_spare({"gc"});
  ASSERT_EQ(gc.status, 0) << gc.err;
  EXPECT_FALSE(has(gc.out, "in use by ;")) << gc.out;
  EXPECT_TRUE(has(gc.out, "pending hello " + build)) << gc.out;
  EXPECT_TRUE(has(gc.out, "cannot see") && has(gc.out, "fuser " + lease)) << gc.out;

  Output ps = as_spare({"ps"});
  ASSERT_EQ(ps.status, 0) << ps.err;
  EXPECT_FALSE(has(ps.out, "held by no process")) << ps.out;
  EXPECT_TRUE(has(ps.out, "cannot see") && has(ps.out, "fuser " + lease)) << ps.out;

  holder.kill_now();
  EXPECT_TRUE(eventually([&] { return builds_of(world, "hello", "1.0.0").empty(); }, 5s))
      << "the build outlived its last (unseen) holder";
}

}  // namespace
}  // namespace rtx::e2e
