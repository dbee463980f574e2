// store::FileLock: flock(2) on files under locks/. Two FileLock objects are two
// open file descriptions, so they conflict even inside one process, as two
// rtx processes do.
#include "manager/store/file_lock.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>

#include "child_process.hpp"
#include "fs_helpers.hpp"
#include "tests/support/temp_dir.hpp"

namespace rtx::store {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

TEST(FileLock, ExclusiveExcludesExclusive) {
  test::ScopedTempDir tmp;
  std::string path = tmp / "locks/node.lock";
  auto a = FileLock::acquire(path, LockMode::Exclusive);
  ASSERT_TRUE(a) << a.error();
  ASSERT_TRUE(a->held());
  auto b = FileLock::try_acquire(path, LockMode::Exclusive);
  ASSERT_TRUE(b) << b.error();
  EXPECT_FALSE(b->held());
  a->release();
  EXPECT_FALSE(a->held());
  auto c = FileLock::try_acquire(path, LockMode::Exclusive);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->held());
}

TEST(FileLock, SharedLocksCoexistAndExcludeExclusive) {
  test::ScopedTempDir tmp;
  std::string path = tmp / "node.lock";
  auto s1 = FileLock::acquire(path, LockMode::Shared);
  auto s2 = FileLock::try_acquire(path, LockMode::Shared);
  ASSERT_TRUE(s1 && s2);
  EXPECT_TRUE(s1->held());
  EXPECT_TRUE(s2->held());
  auto ex = FileLock::try_acquire(path, LockMode::Exclusive);
  ASSERT_TRUE(ex);
  EXPECT_FALSE(ex->held());
  s1->release();
  EXPECT_FALSE(FileLock::try_acquire(path, LockMode::Exclusive)->held()) << "s2 still holds it shared";
  s2->release();
  EXPECT_TRUE(FileLock::try_acquire(path, LockMode::Exclusive)->held());
}

TEST(FileLock, ExclusiveExcludesShared) {
  test::ScopedTempDir tmp;
  std::string path = tmp / "node.lock";
  auto ex = FileLock::acquire(path, LockMode::Exclusive);
  ASSERT_TRUE(ex && ex->held());
  auto sh = FileLock::try_acquire(path, LockMode::Shared);
  ASSERT_TRUE(sh);
  EXPECT_FALSE(sh->held());
}

TEST(FileLock, CreatesTheLocksFolder) {
  test::ScopedTempDir tmp;
  std::string path = tmp / "data/locks/node@20.1.0.lock";
  auto l = FileLock::try_acquire(path, LockMode::Exclusive);
  ASSERT_TRUE(l) << l.error();
  EXPECT_TRUE(l->held());
  EXPECT_TRUE(test::path_exists(path));
}

TEST(FileLock, UnopenableLockFileIsAnErrorNamingIt) {
  test::ScopedTempDir tmp;
  test::write_text(tmp / "file", "");
  std::string path = tmp / "file/node.lock";
  auto l = FileLock::try_acquire(path, LockMode::Exclusive);
  ASSERT_FALSE(l);
  EXPECT_THAT(l.error(), HasSubstr(tmp / "file"));
  auto b = FileLock::acquire(path, LockMode::Shared);
  ASSERT_FALSE(b);
}

// The lock goes with the process: a holder killed with SIGKILL frees it.
TEST(FileLock, LockHeldByAnotherProcessIsFreedWhenItDies) {
  test::ScopedTempDir tmp;
  std::string path = tmp / "tool.lock";
  test::ForkedChild child([&](int ready) {
    auto l = FileLock::acquire(path, LockMode::Exclusive);
    if (!l || !l->held()) return 1;
    test::signal_ready(ready);
    test::sleep_forever();
  });
  ASSERT_TRUE(child.wait_ready());
  EXPECT_FALSE(FileLock::try_acquire(path, LockMode::Shared)->held());
  child.kill_and_reap();
  EXPECT_TRUE(FileLock::try_acquire(path, LockMode::Exclusive)->held());
}

// on_wait is a plain function pointer: it reports through these.
std::mutex g_wait_mutex;
std::promise<std::pair<std::string, long>>* g_waited = nullptr;

void record_wait(const std::string& path, long holder) {
  std::lock_guard<std::mutex> lock(g_wait_mutex);
  if (g_waited) g_waited->set_value({path, holder});
  g_waited = nullptr;
}

// acquire() blocks while another holds the lock, says for whom it waits (the
// pid record_holder() wrote), and returns once the holder lets go.
TEST(FileLock, BlockingAcquireWaitsAndNamesTheRecordedHolder) {
  test::ScopedTempDir tmp;
  std::string path = tmp / "node@20.lock";
  auto holder = FileLock::acquire(path, LockMode::Exclusive);
  ASSERT_TRUE(holder && holder->held());
  holder->record_holder();
  EXPECT_EQ(test::read_text(path), std::to_string(::getpid()) + "\n");

  std::promise<std::pair<std::string, long>> waited;
  {
    std::lock_guard<std::mutex> lock(g_wait_mutex);
    g_waited = &waited;
  }
  auto waiter = std::async(std::launch::async, [&] {
    auto l = FileLock::acquire(path, LockMode::Exclusive, record_wait);
    return l && l->held();
  });
  auto report = waited.get_future();
  bool reported = report.wait_for(10s) == std::future_status::ready;
  bool still_waiting = waiter.wait_for(100ms) == std::future_status::timeout;
  holder->release();  // whatever happened, let the waiter finish
  ASSERT_EQ(waiter.wait_for(10s), std::future_status::ready) << "acquire() did not return after the release";
  EXPECT_TRUE(waiter.get()) << "acquire() failed after the holder released";
  ASSERT_TRUE(reported) << "on_wait was never called";
  auto [wait_path, pid] = report.get();
  EXPECT_EQ(wait_path, path);
  EXPECT_EQ(pid, long(::getpid()));
  EXPECT_TRUE(still_waiting) << "acquire() returned while the lock was held";
}

// Without a recorded holder the waiter says "unknown" (0), and a lock that is
// free never calls on_wait.
TEST(FileLock, OnWaitReportsZeroWithoutARecordAndIsNotCalledWhenFree) {
  test::ScopedTempDir tmp;
  std::string path = tmp / "node.lock";
  std::promise<std::pair<std::string, long>> unused;
  {
    std::lock_guard<std::mutex> lock(g_wait_mutex);
    g_waited = &unused;
  }
  auto free_lock = FileLock::acquire(path, LockMode::Exclusive, record_wait);
  ASSERT_TRUE(free_lock && free_lock->held());
  EXPECT_EQ(unused.get_future().wait_for(0ms), std::future_status::timeout) << "on_wait called for a free lock";

  std::promise<std::pair<std::string, long>> waited;
  {
    std::lock_guard<std::mutex> lock(g_wait_mutex);
    g_waited = &waited;
  }
  auto waiter =
      std::async(std::launch::async, [&] { return FileLock::acquire(path, LockMode::Shared, record_wait).ok(); });
  auto report = waited.get_future();
  bool reported = report.wait_for(10s) == std::future_status::ready;
  free_lock->release();
  ASSERT_EQ(waiter.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(waiter.get());
  ASSERT_TRUE(reported);
  EXPECT_EQ(report.get().second, 0);
}

// The holder recorded by another process is the one a waiter names.
TEST(FileLock, WaiterNamesAHolderInAnotherProcess) {
  test::ScopedTempDir tmp;
  std::string path = tmp / "hello@1.0.0.lock";
  test::ForkedChild child([&](int ready) {
    auto l = FileLock::acquire(path, LockMode::Exclusive);
    if (!l || !l->held()) return 1;
    l->record_holder();
    test::signal_ready(ready);
    test::sleep_forever();
  });
  ASSERT_TRUE(child.wait_ready());
  std::promise<std::pair<std::string, long>> waited;
  {
    std::lock_guard<std::mutex> lock(g_wait_mutex);
    g_waited = &waited;
  }
  auto waiter =
      std::async(std::launch::async, [&] { return FileLock::acquire(path, LockMode::Exclusive, record_wait).ok(); });
  auto report = waited.get_future();
  bool reported = report.wait_for(10s) == std::future_status::ready;
  child.kill_and_reap();
  ASSERT_EQ(waiter.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(waiter.get());
  ASSERT_TRUE(reported);
  EXPECT_EQ(report.get().second, long(child.pid()));
}

}  // namespace
}  // namespace rtx::store
