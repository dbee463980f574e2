// recover_store running beside a live installer (`rtx` runs recovery at the
// start of most commands, DESIGN.md §3). An entry recovery saw as BUILDING may
// have been committed READY by the time its install lock turns out free: it
// must never be deleted then.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <future>
#include <thread>

#include "child_process.hpp"
#include "gated_plugin.hpp"
#include "install_fixture.hpp"
#include "manager/store/entries.hpp"
#include "manager/store/recovery.hpp"

namespace rtx::store {
namespace {

using namespace std::chrono_literals;

using RecoveryRace = test::InstallFixture;

// An abandoned build (a crashed install of 0.9.0) with so many files that
// deleting it takes a while; its name sorts before every 1.0.0 build. The files
// are hard links: cheap to make, as slow as any to walk and delete.
std::string make_big_abandoned_entry(const resolver::StoreLayout& layout, int dirs, int files_per_dir) {
  std::string path = layout.entry_path("hello", "0.9.0-0");
  for (int d = 0; d < dirs; ++d) {
    std::string dir = path + "/d" + std::to_string(d);
    std::string source = dir + "/source";  // one per folder: ext4 allows 65000 links per file
    test::write_text(source, "x");
    ::chmod(dir.c_str(), 0755);
    for (int f = 0; f < files_per_dir; ++f) (void)!::link(source.c_str(), (dir + "/f" + std::to_string(f)).c_str());
  }
  test::write_text(resolver::lease_path(path), "");
  test::write_text(resolver::state_path(path), "BUILDING\n");
  return path;
}

// True once recovery has started deleting `entry` (remove_tree first makes
// every folder 0700), i.e. it has listed the store.
bool wait_deletion_started(const std::string& entry, std::chrono::milliseconds timeout) {
  auto end = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    struct stat st {};
    if (::stat((entry + "/d0").c_str(), &st) != 0 || (st.st_mode & 0777) != 0755) return true;
    if (std::chrono::steady_clock::now() >= end) return false;
    std::this_thread::sleep_for(1ms);
  }
}

TEST_F(RecoveryRace, NeverDeletesABuildCommittedWhileRecoveryRuns) {
  test::GatedPlugin gated(plugin_copy("gated"), tmp.path());
  test::ForkedChild installer([&](int) {
    backends::AsdfPlugin backend("hello", gated.dir(), test::kTestTimeouts);
    auto out = install(backend, "1.0.0");
    return out && !out->already_installed ? 0 : 1;
  });
  ASSERT_TRUE(gated.wait_started());  // 1.0.0 is BUILDING, its install lock held
  std::string abandoned = make_big_abandoned_entry(layout, 100, 1500);

  auto recovery = std::async(std::launch::async, [&] { return recover_store(layout, options.shim_binary); });
  bool started = wait_deletion_started(abandoned, 20s);
  gated.open_gate("go");  // the installer now verifies and commits
  auto status = installer.wait_exit(30s);
  bool recovery_still_busy = recovery.wait_for(0ms) == std::future_status::timeout;
  auto report = recovery.get();
  std::string actions;
  for (const auto& a : report.actions) actions += a + "\n";

  ASSERT_TRUE(started) << "recovery never started on the abandoned build";
  ASSERT_TRUE(status.has_value());
  ASSERT_EQ(*status, 0) << "the install itself failed";
  if (!recovery_still_busy)
    GTEST_SKIP() << "recovery finished before the installer committed: the interleaving was not reached";

  std::string entry = resolver::pointer_entry(layout, "hello", "1.0.0");
  ASSERT_FALSE(entry.empty()) << "the committed install lost its pointer; recovery did:\n" << actions;
  EXPECT_EQ(resolver::read_state(layout.entry_path("hello", entry)), resolver::EntryState::Ready) << actions;
  EXPECT_TRUE(test::is_dir(layout.entry_path("hello", entry) + "/bin")) << actions;
  EXPECT_FALSE(test::path_exists(abandoned));
}

}  // namespace
}  // namespace rtx::store
