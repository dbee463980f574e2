// recover_store (DESIGN.md §3 crash safety): what a kill -9 at any instant can
// leave behind is repaired, and nothing an installer is working on is touched.
#include "manager/store/recovery.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "child_process.hpp"
#include "manager/store/file_lock.hpp"
#include "store_fixture.hpp"

namespace rtx::store {
namespace {

using resolver::EntryState;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

using Recovery = test::StoreFixture;

std::string joined(const RecoveryReport& r) {
  std::string out;
  for (const auto& a : r.actions) out += a + "\n";
  return out;
}

TEST_F(Recovery, RemovesABuildingEntryWhoseInstallLockIsFree) {
  std::string ready = make_entry("node", "18.0.0-aaa", EntryState::Ready);
  point("node", "18.0.0", "18.0.0-aaa");
  std::string crashed = make_entry("node", "20.0.0-bbb", EntryState::Building);
  auto report = recover_store(layout, shim_binary);
  EXPECT_TRUE(entry_fully_gone(crashed));
  EXPECT_THAT(joined(report), HasSubstr(crashed));
  EXPECT_TRUE(entry_intact(ready));
  EXPECT_EQ(resolver::read_state(ready), EntryState::Ready);
}

TEST_F(Recovery, KeepsABuildingEntryWhileItsInstallerHoldsTheLock) {
  std::string building = make_entry("node", "20.0.0-bbb", EntryState::Building);
  const std::string lock = layout.install_lock("node", "20.0.0");
  test::ForkedChild installer([&](int ready) {
    auto l = FileLock::acquire(lock, LockMode::Exclusive);
    if (!l || !l->held()) return 1;
    test::signal_ready(ready);
    test::sleep_forever();
  });
  ASSERT_TRUE(installer.wait_ready());
  auto report = recover_store(layout, shim_binary);
  EXPECT_TRUE(entry_intact(building));
  EXPECT_EQ(resolver::read_state(building), EntryState::Building);
  EXPECT_THAT(joined(report), ::testing::Not(HasSubstr(building)));

  installer.kill_and_reap();  // the installer died: now it is garbage
  recover_store(layout, shim_binary);
  EXPECT_TRUE(entry_fully_gone(building));
}

TEST_F(Recovery, SweepsExtractionStagingLeftByACrashButNotOneInUse) {
  std::string building = make_entry("node", "20.0.0-bbb", EntryState::Building);
  std::string live = layout.store_dir("node") + "/.20.0.0-bbb.extract-AbC123";
  std::string stale = layout.store_dir("node") + "/.19.0.0-zzz.extract-XyZ789";
  std::filesystem::create_directories(live + "/bin");
  std::filesystem::create_directories(stale + "/bin");
  const std::string lock = layout.install_lock("node", "20.0.0");
  test::ForkedChild installer([&](int ready) {
    auto l = FileLock::acquire(lock, LockMode::Exclusive);
    if (!l || !l->held()) return 1;
    test::signal_ready(ready);
    test::sleep_forever();
  });
  ASSERT_TRUE(installer.wait_ready());
  auto report = recover_store(layout, shim_binary);
  EXPECT_FALSE(std::filesystem::exists(stale));
  EXPECT_THAT(joined(report), HasSubstr(stale));
  EXPECT_TRUE(std::filesystem::exists(live)) << "the extraction of a running install was swept";
  EXPECT_TRUE(entry_intact(building));
}

// A SIGKILL between an atomic write's create and rename leaves ".tmp.<name>.<pid>.<n>"
// (found by the soak test); only a dead writer's is removed.
TEST_F(Recovery, RemovesTemporaryFilesOfDeadWritersOnly) {
  make_entry("node", "20.0.0-bbb", EntryState::Ready);
  point("node", "20.0.0", "20.0.0-bbb");
  test::ForkedChild dead([](int) { return 0; });
  pid_t gone = dead.pid();
  dead.kill_and_reap();
  std::string dir = layout.store_dir("node");
  std::string stale = dir + "/.tmp.20.0.0-bbb.state." + std::to_string(gone) + ".3";
  std::string live = dir + "/.tmp.20.0.0-bbb.state." + std::to_string(::getpid()) + ".4";
  std::string link = layout.installs_dir("node") + "/.tmp.20." + std::to_string(gone) + ".0";
  for (const auto& f : {stale, live}) std::ofstream(f) << "READY\n";
  std::filesystem::create_symlink("20.0.0", link);
  auto report = recover_store(layout, shim_binary);
  EXPECT_FALSE(std::filesystem::exists(stale)) << joined(report);
  EXPECT_FALSE(std::filesystem::is_symlink(link)) << joined(report);
  EXPECT_TRUE(std::filesystem::exists(live)) << "a live writer's temporary file was removed";
  EXPECT_THAT(joined(report), HasSubstr(stale));
}

TEST_F(Recovery, RemovesFailedEntriesAndOrphanedSidecars) {
  std::string failed = make_entry("node", "20.0.0-bbb", EntryState::Failed);
  // A prefix whose state file was lost, and a lone lease file.
  test::make_dirs(layout.entry_path("node", "19.0.0-ccc") + "/bin");
  test::write_text(layout.entry_path("node", "17.0.0-ddd") + ".lease", "");
  recover_store(layout, shim_binary);
  EXPECT_TRUE(entry_fully_gone(failed));
  EXPECT_TRUE(entry_fully_gone(layout.entry_path("node", "19.0.0-ccc")));
  EXPECT_TRUE(entry_fully_gone(layout.entry_path("node", "17.0.0-ddd")));
}

TEST_F(Recovery, RepointsAPointerToTheNewestReadyBuildOfItsVersion) {
  std::string older = make_entry("node", "20.0.0-0001", EntryState::Ready);
  std::string newer = make_entry("node", "20.0.0-0002", EntryState::Ready);
  std::string retired = make_entry("node", "20.0.0-0003", EntryState::Retired);
  point("node", "20.0.0", "20.0.0-0003");  // a crash between retire and repoint
  auto report = recover_store(layout, shim_binary);
  EXPECT_EQ(resolver::pointer_entry(layout, "node", "20.0.0"), "20.0.0-0002") << joined(report);
  EXPECT_EQ(resolver::read_state(newer), EntryState::Ready);
  EXPECT_EQ(resolver::read_state(older), EntryState::Retired) << "a READY build no pointer names is retired";
  EXPECT_EQ(resolver::read_state(retired), EntryState::Retired);
  EXPECT_TRUE(entry_intact(retired)) << "recovery never deletes a RETIRED build";
  EXPECT_EQ(test::link_target(layout.pointer_path("node", "latest")), "20.0.0");
}

TEST_F(Recovery, RemovesAPointerWithoutAReadyBuildAndItsFuzzyLinks) {
  make_entry("node", "18.0.0-aaa", EntryState::Ready);
  point("node", "18.0.0", "18.0.0-aaa");
  make_entry("node", "20.0.0-bbb", EntryState::Retired);
  point("node", "20.0.0", "20.0.0-bbb");
  point("node", "21.0.0", "21.0.0-gone");  // its build no longer exists
  ASSERT_TRUE(refresh_fuzzy_links(layout, "node"));
  ASSERT_EQ(test::link_target(layout.pointer_path("node", "latest")), "21.0.0");

  auto report = recover_store(layout, shim_binary);
  EXPECT_FALSE(test::path_exists(layout.pointer_path("node", "20.0.0"))) << joined(report);
  EXPECT_FALSE(test::path_exists(layout.pointer_path("node", "21.0.0")));
  EXPECT_FALSE(test::path_exists(layout.pointer_path("node", "20")));
  EXPECT_FALSE(test::path_exists(layout.pointer_path("node", "21")));
  EXPECT_EQ(test::link_target(layout.pointer_path("node", "latest")), "18.0.0");
  EXPECT_EQ(resolver::pointer_entry(layout, "node", "18.0.0"), "18.0.0-aaa");
  // The shims follow the repaired pointers.
  EXPECT_EQ(test::read_text(layout.shim_index()), "node\tnode\n");
  EXPECT_EQ(test::link_target(layout.shims_dir() + "/node"), shim_binary);
}

TEST_F(Recovery, RetiresAReadyBuildNoPointerNames) {
  std::string orphan = make_entry("node", "20.0.0-bbb", EntryState::Ready);  // commit died before the flip
  auto report = recover_store(layout, shim_binary);
  EXPECT_EQ(resolver::read_state(orphan), EntryState::Retired) << joined(report);
  EXPECT_TRUE(entry_intact(orphan));
  EXPECT_THAT(joined(report), HasSubstr(orphan));
}

TEST_F(Recovery, FinishesAHalfReapedBuild) {
  std::string reaping = make_entry("node", "20.0.0-bbb", EntryState::Reaping);
  std::filesystem::remove_all(reaping + "/bin");  // the dead reaper got this far
  auto report = recover_store(layout, shim_binary);
  EXPECT_TRUE(entry_fully_gone(reaping)) << joined(report);
}

TEST_F(Recovery, AHealthyStoreIsLeftAlone) {
  std::string ready = make_entry("node", "20.0.0-bbb", EntryState::Ready);
  std::string retired = make_entry("node", "20.0.0-aaa", EntryState::Retired);
  point("node", "20.0.0", "20.0.0-bbb");
  ASSERT_TRUE(refresh_fuzzy_links(layout, "node"));
  auto report = recover_store(layout, shim_binary);
  EXPECT_THAT(report.actions, IsEmpty());
  EXPECT_EQ(resolver::read_state(ready), EntryState::Ready);
  EXPECT_EQ(resolver::read_state(retired), EntryState::Retired);
  EXPECT_TRUE(entry_intact(retired));
  EXPECT_EQ(resolver::pointer_entry(layout, "node", "20.0.0"), "20.0.0-bbb");
}

TEST_F(Recovery, ScopedToolsAreRecoveredToo) {
  std::string crashed = make_entry("npm:@scope/pkg", "1.0.0-aaa", EntryState::Building);
  std::string orphan = make_entry("npm:@scope/pkg", "2.0.0-bbb", EntryState::Ready);
  recover_store(layout, shim_binary);
  EXPECT_TRUE(entry_fully_gone(crashed));
  EXPECT_EQ(resolver::read_state(orphan), EntryState::Retired);
}

}  // namespace
}  // namespace rtx::store
