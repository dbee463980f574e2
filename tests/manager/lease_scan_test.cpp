// The /proc pass behind `rtx ps` (manager/store/lease_scan.hpp) against real
// forked children: a lease fd is found and attributed to the right build, other
// fds are not, start times are real, and for a RETIRED build the safety net sees
// a process whose only link is a mapping.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <set>

#include "child_process.hpp"
#include "manager/store/lease_scan.hpp"
#include "store_fixture.hpp"

namespace rtx::test {
namespace {

using store::BuildRef;
using store::Holding;

std::vector<Holding> rows_of(const std::vector<Holding>& all, pid_t pid) {
  std::vector<Holding> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out), [&](const Holding& h) { return h.pid == pid; });
  return out;
}

// A child that opens `path` as the shim does (O_RDONLY, shared flock), then waits.
int hold_lease(const std::string& path, int ready_fd) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0 || ::flock(fd, LOCK_SH) != 0) return 1;
  signal_ready(ready_fd);
  sleep_forever();
}

struct LeaseScan : StoreFixture {
  std::string ready_path = make_entry("hello", "1.1.0-aaa1", resolver::EntryState::Ready);
  std::string retired_path = make_entry("hello", "1.0.0-bbb1", resolver::EntryState::Retired);
  std::string scoped_path = make_entry("npm:@scope/pkg", "2.0.0-ccc1", resolver::EntryState::Ready);
};

TEST_F(LeaseScan, FindsAForkedChildHoldingALeaseAndNothingElse) {
  ForkedChild child([&](int ready) { return hold_lease(resolver::lease_path(ready_path), ready); });
  ASSERT_TRUE(child.wait_ready());
  // Another child with fds on the state file, the prefix and a data file, but no lease.
  ForkedChild other([&](int ready) {
    int a = ::open(resolver::state_path(ready_path).c_str(), O_RDONLY);
    int b = ::open((ready_path + "/lib/data.bin").c_str(), O_RDONLY);
    int c = ::open(ready_path.c_str(), O_RDONLY | O_DIRECTORY);
    if (a < 0 || b < 0 || c < 0) return 1;
    signal_ready(ready);
    sleep_forever();
  });
  ASSERT_TRUE(other.wait_ready());

  auto all = store::scan_holdings(layout, "", {});
  auto mine = rows_of(all, child.pid());
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].build, (BuildRef{"hello", "1.1.0-aaa1"}));
  EXPECT_EQ(mine[0].how, "lease");
  EXPECT_TRUE(rows_of(all, other.pid()).empty()) << "a READY build's non-lease fds are not holds";
  EXPECT_TRUE(rows_of(all, ::getpid()).empty());
}

TEST_F(LeaseScan, NamesTheRealToolAndFilters) {
  ForkedChild child([&](int ready) {
    int fd = ::open(resolver::lease_path(ready_path).c_str(), O_RDONLY);
    if (fd < 0) return 1;
    return hold_lease(resolver::lease_path(scoped_path), ready);  // two builds: two rows
  });
  ASSERT_TRUE(child.wait_ready());

  auto mine = rows_of(store::scan_holdings(layout, "", {}), child.pid());
  ASSERT_EQ(mine.size(), 2u);
  std::sort(mine.begin(), mine.end(), [](const auto& a, const auto& b) { return a.build.tool < b.build.tool; });
  EXPECT_EQ(mine[0].build, (BuildRef{"hello", "1.1.0-aaa1"}));
  EXPECT_EQ(mine[1].build, (BuildRef{"npm:@scope/pkg", "2.0.0-ccc1"}));

  auto only = rows_of(store::scan_holdings(layout, "npm:@scope/pkg", {}), child.pid());
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0].build.tool, "npm:@scope/pkg");
  EXPECT_TRUE(rows_of(store::scan_holdings(layout, "othertool", {}), child.pid()).empty());
}

TEST_F(LeaseScan, FindsEveryOneOfManyHolders) {
  // Enough processes for the scan to share them among threads (lease_scan.cpp).
  std::vector<std::unique_ptr<ForkedChild>> children;
  for (int i = 0; i < 300; ++i) {
    children.push_back(
        std::make_unique<ForkedChild>([&](int ready) { return hold_lease(resolver::lease_path(ready_path), ready); }));
    ASSERT_TRUE(children.back()->wait_ready());
  }
  auto all = store::scan_holdings(layout, "", {});
  std::set<pid_t> found;
  for (const auto& h : all) {
    if (h.build != BuildRef{"hello", "1.1.0-aaa1"}) continue;
    EXPECT_TRUE(found.insert(h.pid).second) << "twice: " << h.pid;
  }
  for (const auto& c : children) EXPECT_TRUE(found.count(c->pid())) << "missed " << c->pid();
  EXPECT_EQ(found.size(), children.size());
}

TEST_F(LeaseScan, SeesThroughASymlinkedDataDir) {
  ASSERT_EQ(::symlink(layout.data.c_str(), (tmp / "via-link").c_str()), 0);
  resolver::StoreLayout linked{tmp / "via-link"};
  ForkedChild child([&](int ready) { return hold_lease(resolver::lease_path(ready_path), ready); });
  ASSERT_TRUE(child.wait_ready());
  EXPECT_EQ(rows_of(store::scan_holdings(linked, "", {}), child.pid()).size(), 1u);
}

TEST_F(LeaseScan, ReportsTheChildsStartTimeAndCommandLine) {
  const std::int64_t before = std::int64_t(::time(nullptr));
  ForkedChild child([&](int ready) {
    signal_ready(ready);
    ::execl("/bin/sleep", "sleep", "30", static_cast<char*>(nullptr));
    return 1;
  });
  ASSERT_TRUE(child.wait_ready());
  std::string command;
  for (int i = 0; i < 200 && command != "sleep 30"; ++i) {  // until the exec has happened
    auto info = store::process_info(child.pid());
    ASSERT_TRUE(info);
    command = info->command;
    // btime has whole seconds and starttime clock ticks: allow a little slack.
    EXPECT_GE(info->started, before - 2);
    EXPECT_LE(info->started, std::int64_t(::time(nullptr)) + 2);
    if (command != "sleep 30") ::usleep(10000);
  }
  EXPECT_EQ(command, "sleep 30");
  child.kill_and_reap();
  EXPECT_FALSE(store::process_info(child.pid()));
}

TEST_F(LeaseScan, TheSafetyNetSeesAMappingOfARetiredBuild) {
  ForkedChild child([&](int ready) {
    int fd = ::open((retired_path + "/lib/data.bin").c_str(), O_RDONLY);
    if (fd < 0) return 1;
    void* p = ::mmap(nullptr, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);  // only the mapping is left
    if (p == MAP_FAILED) return 1;
    signal_ready(ready);
    sleep_forever();
  });
  ASSERT_TRUE(child.wait_ready());
  BuildRef retired{"hello", "1.0.0-bbb1"};

  EXPECT_TRUE(rows_of(store::scan_holdings(layout, "", {}), child.pid()).empty())
      << "without the safety net a mapping is not a hold";
  auto mine = rows_of(store::scan_holdings(layout, "", {retired}), child.pid());
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].build, retired);
  EXPECT_EQ(mine[0].how, "map");
  EXPECT_TRUE(rows_of(store::scan_holdings(layout, "othertool", {retired}), child.pid()).empty());
}

TEST_F(LeaseScan, ALeaseOnARetiredBuildIsOneRowSaidToBeALease) {
  ForkedChild child([&](int ready) {
    if (::chdir(retired_path.c_str()) != 0) return 1;  // the safety net sees its cwd too
    return hold_lease(resolver::lease_path(retired_path), ready);
  });
  ASSERT_TRUE(child.wait_ready());
  auto mine = rows_of(store::scan_holdings(layout, "", {BuildRef{"hello", "1.0.0-bbb1"}}), child.pid());
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].how, "lease");
}

// Many watched builds (as `rtx gc` asks about all its busy ones at once): each
// use goes to its own build, found by key, and a sibling folder whose name
// only starts with a build's ("<entry>x") is no use of it.
TEST_F(LeaseScan, WithManyWatchedBuildsEachUseGoesToItsOwnBuild) {
  std::vector<BuildRef> watched;
  std::vector<std::string> paths;
  for (int i = 0; i < 6; ++i) {
    std::string entry = "0." + std::to_string(i) + ".0-w" + std::to_string(i);
    paths.push_back(make_entry("hello", entry, resolver::EntryState::Retired));
    watched.push_back(BuildRef{"hello", entry});
  }
  write_text(paths[4] + "x/lib/data.bin", std::string(8192, 'x'));
  auto mapper = [](std::string file) {
    return [file](int ready) {
      int fd = ::open(file.c_str(), O_RDONLY);
      if (fd < 0 || ::mmap(nullptr, 8192, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED) return 1;
      ::close(fd);
      signal_ready(ready);
      sleep_forever();
    };
  };
  ForkedChild maps1(mapper(paths[1] + "/lib/data.bin"));
  ForkedChild sibling(mapper(paths[4] + "x/lib/data.bin"));
  ForkedChild cwd3([&](int ready) {
    if (::chdir((paths[3] + "/lib").c_str()) != 0) return 1;
    signal_ready(ready);
    sleep_forever();
  });
  ForkedChild lease5([&](int ready) { return hold_lease(resolver::lease_path(paths[5]), ready); });
  for (auto* c : {&maps1, &sibling, &cwd3, &lease5}) ASSERT_TRUE(c->wait_ready());

  auto all = store::scan_holdings(layout, "", watched);
  auto one = [&](const ForkedChild& c, const BuildRef& build, const char* how) {
    auto mine = rows_of(all, c.pid());
    ASSERT_EQ(mine.size(), 1u) << how;
    EXPECT_EQ(mine[0].build, build) << how;
    EXPECT_EQ(mine[0].how, how);
  };
  one(maps1, watched[1], "map");
  one(cwd3, watched[3], "cwd");
  one(lease5, watched[5], "lease");
  EXPECT_TRUE(rows_of(all, sibling.pid()).empty()) << "a mapping under " << paths[4] << "x counted";
}

}  // namespace
}  // namespace rtx::test
