// Two installers of the same tool@version (DESIGN.md §6 step 1): the second
// waits on the install lock, says for whom, then finds the build READY. Both
// are real processes; the plugin is held at a gate so the overlap is certain.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include "child_process.hpp"
#include "gated_plugin.hpp"
#include "install_fixture.hpp"
#include "manager/store/entries.hpp"

namespace rtx::store {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

enum : int { kInstalled = 0, kAlreadyInstalled = 10, kFailed = 1 };

// Reads from `fd` until `needle` shows up, the writers close it, or time runs out.
std::string read_until(int fd, const std::string& needle, std::chrono::milliseconds timeout) {
  std::string got;
  auto end = std::chrono::steady_clock::now() + timeout;
  while (got.find(needle) == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, int(left.count())) <= 0) continue;
    char buf[512];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, std::size_t(n));
  }
  return got;
}

struct InstallConcurrency : test::InstallFixture {
  std::unique_ptr<test::GatedPlugin> gated;
  void SetUp() override { gated = std::make_unique<test::GatedPlugin>(plugin_copy("gated"), tmp.path()); }

  // An installer in this (forked) process; its exit status says what happened.
  int installer() {
    backends::AsdfPlugin backend("hello", gated->dir(), test::kTestTimeouts);
    auto out = install(backend, "1.0.0");
    if (!out) {
      std::string line = "installer failed: " + out.error() + "\n";
      (void)!::write(STDERR_FILENO, line.data(), line.size());
      return kFailed;
    }
    return out->already_installed ? kAlreadyInstalled : kInstalled;
  }
  // A second installer whose stderr comes back through a pipe.
  std::unique_ptr<test::ForkedChild> start_observed_installer(int& stderr_fd) {
    int err[2];
    if (::pipe2(err, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    auto child = std::make_unique<test::ForkedChild>([&](int) {
      ::dup2(err[1], STDERR_FILENO);
      return installer();
    });
    ::close(err[1]);
    stderr_fd = err[0];
    return child;
  }
  std::vector<std::string> ready_entries() {
    std::vector<std::string> out;
    for (const auto& e : list_entries(layout, "hello"))
      if (e.state == resolver::EntryState::Ready) out.push_back(e.name);
    return out;
  }
};

TEST_F(InstallConcurrency, SameVersionFromTwoProcessesRunsThePluginOnce) {
  test::ForkedChild first([&](int) { return installer(); });
  ASSERT_TRUE(gated->wait_started()) << "the first installer never reached the plugin";

  int err_fd = -1;
  auto second = start_observed_installer(err_fd);
  std::string said = read_until(err_fd, "waiting for", 20s);
  gated->open_gate("go");
  auto a = first.wait_exit(30s);
  auto b = second->wait_exit(30s);
  said += read_until(err_fd, "\x01", 1s);  // the rest, until EOF
  ::close(err_fd);

  ASSERT_TRUE(a && b) << "an installer hung";
  EXPECT_EQ(*a, kInstalled);
  EXPECT_EQ(*b, kAlreadyInstalled) << said;
  EXPECT_EQ(gated->runs(), 1) << "the plugin ran more than once";
  EXPECT_THAT(said, HasSubstr("waiting for pid " + std::to_string(first.pid())));
  EXPECT_THAT(said, HasSubstr(layout.install_lock("hello", "1.0.0")));
  auto ready = ready_entries();
  ASSERT_EQ(ready.size(), 1u);
  EXPECT_EQ(resolver::pointer_entry(layout, "hello", "1.0.0"), ready[0]);
  EXPECT_EQ(list_entries(layout, "hello").size(), 1u) << "no second build was started";
}

// When the holder's install fails, the waiter does the install itself.
TEST_F(InstallConcurrency, WaiterInstallsWhenTheHolderFails) {
  test::ForkedChild first([&](int) { return installer(); });
  ASSERT_TRUE(gated->wait_started());
  int err_fd = -1;
  auto second = start_observed_installer(err_fd);
  std::string said = read_until(err_fd, "waiting for", 20s);
  ASSERT_THAT(said, HasSubstr("waiting for"));
  gated->open_gate("fail");  // the first run fails...
  gated->open_gate("go");    // ...the second one builds
  auto a = first.wait_exit(30s);
  auto b = second->wait_exit(30s);
  said += read_until(err_fd, "\x01", 1s);
  ::close(err_fd);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, kFailed);
  EXPECT_EQ(*b, kInstalled) << said;
  EXPECT_EQ(gated->runs(), 2);
  auto entries = list_entries(layout, "hello");
  ASSERT_EQ(entries.size(), 1u) << "the failed build must be gone";
  EXPECT_EQ(entries[0].state, resolver::EntryState::Ready);
  EXPECT_EQ(resolver::pointer_entry(layout, "hello", "1.0.0"), entries[0].name);
}

// Different versions of one tool build side by side: the install lock is per tool@version.
TEST_F(InstallConcurrency, DifferentVersionsDoNotWaitForEachOther) {
  test::ForkedChild first([&](int) { return installer(); });
  ASSERT_TRUE(gated->wait_started());
  // While 1.0.0 is held at the gate, 2.0.0 installs with the ungated sample plugin.
  auto other = install_hello("2.0.0");
  ASSERT_TRUE(other) << other.error();
  EXPECT_EQ(resolver::read_state(other->entry_path), resolver::EntryState::Ready);
  gated->open_gate("go");
  auto a = first.wait_exit(30s);
  ASSERT_TRUE(a);
  EXPECT_EQ(*a, kInstalled);
  EXPECT_EQ(installs()["latest"], "2.0.0");
  EXPECT_EQ(installs()["1"], "1.0.0");
}

}  // namespace
}  // namespace rtx::store
