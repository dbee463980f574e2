// The reaper step (DESIGN.md §7) against real processes: a build stays while
// any process holds its lease or still uses a file under it (/proc safety net).
#include "manager/store/reaper.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <unistd.h>

#include <filesystem>
#include <future>

#include "child_process.hpp"
#include "manager/store/file_lock.hpp"
#include "manager/store/garbage.hpp"
#include "manager/store/lease_scan.hpp"
#include "store_fixture.hpp"

namespace rtx::store {
namespace {

using namespace std::chrono_literals;
using ::testing::Contains;
using ::testing::Field;
using ::testing::IsEmpty;

using resolver::EntryState;

auto use_by(pid_t pid, const std::string& how) {
  return ::testing::AllOf(Field(&ProcessUse::pid, pid), Field(&ProcessUse::how, how));
}

struct Reaper : test::StoreFixture {
  std::string retired = make_entry("node", "20.1.0-aaa", EntryState::Retired);

  bool tool_lock_free() {
    auto l = FileLock::try_acquire(layout.tool_lock("node"), LockMode::Exclusive);
    return l && l->held();
  }
  // Nobody, the reaper included, still holds the lease in any mode.
  bool lease_free(const std::string& entry) {
    UniqueFd fd(::open(resolver::lease_path(entry).c_str(), O_RDONLY | O_CLOEXEC));
    return fd.valid() && ::flock(fd.get(), LOCK_EX | LOCK_NB) == 0;
  }
  // After a refusal: the build is exactly as it was and no lock is left behind.
  void expect_kept(const ReapResult& r) {
    EXPECT_EQ(r.outcome, ReapOutcome::Busy);
    EXPECT_EQ(resolver::read_state(retired), EntryState::Retired) << "a kept build must stay RETIRED";
    EXPECT_TRUE(entry_intact(retired));
    EXPECT_TRUE(tool_lock_free()) << "the reaper kept the tool lock";
  }
};

TEST_F(Reaper, ReapsAFreeRetiredBuild) {
  std::string sibling = make_entry("node", "20.1.0-bbb", EntryState::Ready);
  test::write_text(retired + ".meta", "bin bin\n");
  auto r = reap_build(layout, "node", "20.1.0-aaa");
  EXPECT_EQ(r.outcome, ReapOutcome::Reaped) << r.error;
  EXPECT_TRUE(entry_fully_gone(retired));
  EXPECT_TRUE(entry_intact(sibling));
  EXPECT_EQ(resolver::read_state(sibling), EntryState::Ready);
  EXPECT_TRUE(tool_lock_free());
}

TEST_F(Reaper, RefusesBuildsThatAreNotRetired) {
  for (EntryState s : {EntryState::Ready, EntryState::Building}) {
    std::string path = make_entry("node", "18.0.0-ccc", s);
    auto r = reap_build(layout, "node", "18.0.0-ccc");
    EXPECT_EQ(r.outcome, ReapOutcome::NotRetired) << resolver::state_name(s);
    EXPECT_TRUE(entry_intact(path));
    EXPECT_EQ(resolver::read_state(path), s);
  }
}

// A pinned process: another open file description holds LOCK_SH on the lease.
TEST_F(Reaper, BusyWhileAnotherProcessHoldsTheLease) {
  const std::string lease = resolver::lease_path(retired);
  test::ForkedChild pinned([&](int ready) {
    int fd = ::open(lease.c_str(), O_RDONLY);
    if (fd < 0 || ::flock(fd, LOCK_SH) != 0) return 1;
    test::signal_ready(ready);
    test::sleep_forever();
  });
  ASSERT_TRUE(pinned.wait_ready());

  auto r = reap_build(layout, "node", "20.1.0-aaa");
  expect_kept(r);
  EXPECT_THAT(r.users, Contains(use_by(pinned.pid(), "lease"))) << describe_uses(r.users);
  EXPECT_THAT(lease_holders(lease), Contains(pinned.pid()));

  pinned.kill_and_reap();  // the kernel drops the pin with its holder
  EXPECT_TRUE(lease_free(retired)) << "the refused reaper left a lock on the lease";
  auto again = reap_build(layout, "node", "20.1.0-aaa");
  EXPECT_EQ(again.outcome, ReapOutcome::Reaped) << again.error;
  EXPECT_TRUE(entry_fully_gone(retired));
}

// One maps rule for gc and ps: a mapping whose file was deleted (" (deleted)"
// after the path) still counts; a sibling whose name merely starts with the
// build's ("<entry> y") does not. `rtx ps`'s scanner used to count it.
TEST_F(Reaper, MapsOfADeletedFileCountAndASiblingPrefixDoesNot) {
  const std::string gone = retired + "/lib/unlinked.so";
  const std::string sibling = retired + " y/lib/data.bin";
  test::write_text(gone, std::string(8192, 'g'));
  test::write_text(sibling, std::string(8192, 's'));
  auto mapping = [](const std::string& file, bool unlink_it) {
    return [file, unlink_it](int ready) {
      int fd = ::open(file.c_str(), O_RDONLY);
      if (fd < 0) return 1;
      if (::mmap(nullptr, 8192, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED) return 2;
      ::close(fd);
      if (unlink_it) ::unlink(file.c_str());
      test::signal_ready(ready);
      test::sleep_forever();
    };
  };
  test::ForkedChild deleted(mapping(gone, true));
  test::ForkedChild neighbour(mapping(sibling, false));
  ASSERT_TRUE(deleted.wait_ready());
  ASSERT_TRUE(neighbour.wait_ready());
  auto users = processes_using(retired);
  EXPECT_THAT(users, Contains(use_by(deleted.pid(), "map"))) << describe_uses(users);
  EXPECT_THAT(users, ::testing::Not(Contains(Field(&ProcessUse::pid, neighbour.pid())))) << describe_uses(users);
  std::vector<pid_t> ps_rows;
  for (const auto& h : scan_holdings(layout, "", {BuildRef{"node", "20.1.0-aaa"}})) ps_rows.push_back(h.pid);
  EXPECT_THAT(ps_rows, Contains(deleted.pid()));
  EXPECT_THAT(ps_rows, ::testing::Not(Contains(neighbour.pid()))) << "rtx ps and the reaper disagree";
  deleted.kill_and_reap();
  neighbour.kill_and_reap();
}

TEST_F(Reaper, ABusyLeaseWithNoVisibleHolderIsDescribedAsUnseen) {
  EXPECT_THAT(describe_holders({}, retired), ::testing::HasSubstr("cannot see"));
  EXPECT_THAT(describe_holders({}, retired), ::testing::HasSubstr("fuser " + retired + ".lease"));
  EXPECT_EQ(describe_holders({{12, "lease"}}, retired), "12 (lease)");
  EXPECT_FALSE(lease_locked(retired));
  {
    auto hold = FileLock::try_acquire(retired + ".lease", LockMode::Shared);
    ASSERT_TRUE(hold && hold->held());
    EXPECT_TRUE(lease_locked(retired)) << "/proc/locks shows every flock, whoever holds it";
  }
  EXPECT_FALSE(lease_locked(retired));
}

// The /proc safety net: a process that closed the file but keeps it mapped (a
// shared library of the build) holds no lease, and still keeps the build.
TEST_F(Reaper, BusyWhileAnotherProcessMapsAFileUnderThePrefix) {
  const std::string data = retired + "/lib/data.bin";
  test::ForkedChild mapper([&](int ready) {
    int fd = ::open(data.c_str(), O_RDONLY);
    if (fd < 0) return 1;
    void* p = ::mmap(nullptr, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (p == MAP_FAILED) return 2;
    test::signal_ready(ready);
    test::sleep_forever();
  });
  ASSERT_TRUE(mapper.wait_ready());
  auto r = reap_build(layout, "node", "20.1.0-aaa");
  expect_kept(r);
  EXPECT_THAT(r.users, Contains(use_by(mapper.pid(), "map"))) << describe_uses(r.users);
  EXPECT_TRUE(lease_free(retired)) << "LOCK_EX on the lease must be dropped when the build is kept";

  mapper.kill_and_reap();
  EXPECT_EQ(reap_build(layout, "node", "20.1.0-aaa").outcome, ReapOutcome::Reaped);
}

TEST_F(Reaper, BusyWhileAnotherProcessHasAFileOpen) {
  const std::string data = retired + "/lib/data.bin";
  test::ForkedChild reader([&](int ready) {
    if (::open(data.c_str(), O_RDONLY) < 0) return 1;
    test::signal_ready(ready);
    test::sleep_forever();
  });
  ASSERT_TRUE(reader.wait_ready());
  auto r = reap_build(layout, "node", "20.1.0-aaa");
  expect_kept(r);
  EXPECT_THAT(r.users, Contains(use_by(reader.pid(), "fd"))) << describe_uses(r.users);
}

TEST_F(Reaper, BusyWhileAnotherProcessWorksInsideThePrefix) {
  const std::string dir = retired + "/bin";
  test::ForkedChild worker([&](int ready) {
    if (::chdir(dir.c_str()) != 0) return 1;
    test::signal_ready(ready);
    test::sleep_forever();
  });
  ASSERT_TRUE(worker.wait_ready());
  auto r = reap_build(layout, "node", "20.1.0-aaa");
  expect_kept(r);
  EXPECT_THAT(r.users, Contains(use_by(worker.pid(), "cwd"))) << describe_uses(r.users);
}

// A process running an executable of the build (started without a shim).
TEST_F(Reaper, BusyWhileAnotherProcessRunsAnExecutableOfTheBuild) {
  const std::string sh = retired + "/bin/sh";
  std::filesystem::copy_file("/bin/sh", sh);
  test::ForkedChild runner([&](int ready) {
    std::string script = "echo >&" + std::to_string(ready) + "; kill -STOP $$";
    ::execl(sh.c_str(), "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
    return 1;
  });
  ASSERT_TRUE(runner.wait_ready()) << "the copied shell did not start";
  auto r = reap_build(layout, "node", "20.1.0-aaa");
  expect_kept(r);
  EXPECT_THAT(r.users, Contains(use_by(runner.pid(), "exe"))) << describe_uses(r.users);
}

// The safety net compares paths: it must see the build even when the data dir
// is reached through a symlink (/proc shows the resolved path).
TEST_F(Reaper, SafetyNetSeesThroughASymlinkedDataDir) {
  std::string alias = tmp / "alias";
  ASSERT_EQ(::symlink(tmp.path().c_str(), alias.c_str()), 0);
  resolver::StoreLayout via_link{alias + "/data"};
  const std::string data = retired + "/lib/data.bin";
  test::ForkedChild mapper([&](int ready) {
    int fd = ::open(data.c_str(), O_RDONLY);
    if (fd < 0) return 1;
    void* p = ::mmap(nullptr, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (p == MAP_FAILED) return 2;
    test::signal_ready(ready);
    test::sleep_forever();
  });
  ASSERT_TRUE(mapper.wait_ready());
  auto r = reap_build(via_link, "node", "20.1.0-aaa");
  EXPECT_EQ(r.outcome, ReapOutcome::Busy)
      << "a build mapped by pid " << mapper.pid() << " was deleted: the data dir path was not resolved";
  EXPECT_TRUE(entry_intact(retired));
}

TEST_F(Reaper, OwnUseDoesNotCount) {
  // The reaper's own process (rtx gc run from inside the build) is skipped.
  UniqueFd own(::open((retired + "/lib/data.bin").c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(own.valid());
  EXPECT_THAT(processes_using(retired), IsEmpty());
}

// A build left REAPING by a dead reaper is finished without the tool lock.
TEST_F(Reaper, FinishesAReapingBuildWithoutTheToolLock) {
  ASSERT_TRUE(set_state(retired, EntryState::Reaping));
  auto tool_lock = FileLock::acquire(layout.tool_lock("node"), LockMode::Exclusive);
  ASSERT_TRUE(tool_lock && tool_lock->held());
  auto reaping = std::async(std::launch::async, [&] { return reap_build(layout, "node", "20.1.0-aaa"); });
  bool finished_while_locked = reaping.wait_for(5s) == std::future_status::ready;
  tool_lock->release();
  auto r = reaping.get();
  EXPECT_TRUE(finished_while_locked) << "the reaper waited for the tool lock";
  EXPECT_EQ(r.outcome, ReapOutcome::Reaped) << r.error;
  EXPECT_TRUE(entry_fully_gone(retired));
}

TEST_F(Reaper, FinishesAReapingBuildWhoseTreeIsAlreadyGone) {
  ASSERT_TRUE(set_state(retired, EntryState::Reaping));
  std::filesystem::remove_all(retired);
  ::unlink(resolver::lease_path(retired).c_str());
  auto r = reap_build(layout, "node", "20.1.0-aaa");
  EXPECT_EQ(r.outcome, ReapOutcome::Reaped) << r.error;
  EXPECT_TRUE(entry_fully_gone(retired));
}

TEST_F(Reaper, DescribeUsesListsPidAndHow) {
  EXPECT_EQ(describe_uses({{12, "lease"}, {34, "map"}}), "12 (lease), 34 (map)");
  EXPECT_EQ(describe_uses({}), "");
}

// `rtx gc` names the holders of all its busy builds from one /proc pass: each
// build gets its own holder, none is reaped, no lock is left; once a holder
// is gone its build goes.
TEST_F(Reaper, GcNamesEachBusyBuildsOwnHolder) {
  std::string second = make_entry("node", "20.2.0-bbb", EntryState::Retired);
  auto holder = [](std::string entry) {
    return [entry](int ready) {
      int fd = ::open(resolver::lease_path(entry).c_str(), O_RDONLY);
      if (fd < 0 || ::flock(fd, LOCK_SH) != 0) return 1;
      test::signal_ready(ready);
      test::sleep_forever();
    };
  };
  test::ForkedChild first_holder(holder(retired)), second_holder(holder(second));
  ASSERT_TRUE(first_holder.wait_ready());
  ASSERT_TRUE(second_holder.wait_ready());
  GcOptions opts;
  opts.keep_previous = 0;
  opts.state_dir = tmp / "state";
  auto items = collect_garbage(layout, {"node"}, opts);
  ASSERT_EQ(items.size(), 2u);
  for (const auto& item : items) {
    EXPECT_EQ(item.status, GcStatus::Busy) << item.entry;
    pid_t want = item.entry == "20.1.0-aaa" ? first_holder.pid() : second_holder.pid();
    EXPECT_THAT(item.users, ::testing::ElementsAre(use_by(want, "lease"))) << item.entry;
  }
  EXPECT_TRUE(entry_intact(retired));
  EXPECT_TRUE(entry_intact(second));
  EXPECT_TRUE(tool_lock_free());

  first_holder.kill_and_reap();
  items = collect_garbage(layout, {"node"}, opts);
  ASSERT_EQ(items.size(), 2u);
  for (const auto& item : items)
    EXPECT_EQ(item.status, item.entry == "20.1.0-aaa" ? GcStatus::Reaped : GcStatus::Busy) << item.entry;
  EXPECT_TRUE(entry_fully_gone(retired));
  second_holder.kill_and_reap();
}

}  // namespace
}  // namespace rtx::store
