// Remote versions on TAB (issue 9 item 3, docs/decisions.md "Remote versions
// in completion"), through `rtx __complete -- install node@` as the shells run
// it: the versions come from the mirror once, then from the cache, even with
// the mirror gone; a stalled mirror costs a TAB the deadline at most, and
// nothing but candidates ever reaches stdout.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <thread>

#include "harness.hpp"
#include "mirror_fixture.hpp"

namespace rtx::e2e {
namespace {

using Clock = std::chrono::steady_clock;
using Words = std::vector<std::string>;

// Far above the TAB deadline (2 s), far below "stuck": CI machines are noisy.
constexpr auto kWellUnderTabLimit = std::chrono::seconds(10);

struct TabResult {
  Output output;
  Words candidates;  // stdout's words, without the "__ordered__" directive
  std::chrono::milliseconds took{};
};

class CompletionRemote : public ::testing::Test {
 protected:
  void SetUp() override { world.set_env("RTX_NODE_MIRROR", node->url()); }
  void TearDown() override {
    server.reset();  // a refresher still waiting on it fails at once
    wait_for_refresher();
  }

  // What a TAB after `typed` (the words after "rtx") is offered.
  TabResult tab(const Words& typed) {
    Words args{"__complete", "--"};
    args.insert(args.end(), typed.begin(), typed.end());
    TabResult r;
    auto start = Clock::now();
    r.output = world.rtx(args);
    r.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    std::size_t pos = 0;
    for (std::size_t nl; (nl = r.output.out.find('\n', pos)) != std::string::npos; pos = nl + 1) {
      std::string line = r.output.out.substr(pos, nl - pos);
      if (!(pos == 0 && line == "__ordered__")) r.candidates.push_back(line);
    }
    EXPECT_EQ(pos, r.output.out.size()) << "every line ends: " << r.output.out;
    EXPECT_EQ(r.output.status, 0);
    EXPECT_EQ(r.output.err, "") << "a TAB never prints on the terminal";
    EXPECT_LT(r.took, kWellUnderTabLimit);
    return r;
  }

  std::string cache_file() const { return world.root() + "/cache/remote-versions/node"; }
  int index_requests() const { return server ? server->request_count(node->index_path()) : 0; }

  // Until no refresher holds the tool's lock (bounded: a refresher ends by itself).
  void wait_for_refresher() {
    std::string lock = world.root() + "/cache/remote-versions/.node.lock";
    int fd = ::open(lock.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    auto until = Clock::now() + std::chrono::seconds(40);
    while (::flock(fd, LOCK_SH | LOCK_NB) != 0 && Clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ::close(fd);
  }

  std::unique_ptr<test::HttpServer> server = std::make_unique<test::HttpServer>();
  std::unique_ptr<NodeMirror> node = std::make_unique<NodeMirror>(*server, "/dist");
  World world;
};

TEST_F(CompletionRemote, VersionsFromTheMirrorThenFromTheCacheWithoutIt) {
  node->add("18.19.1");
  node->add("20.10.0");
  node->add("20.9.0");
  node->add("20.11.1");
  EXPECT_EQ(tab({"install", "node@"}).candidates,
            (Words{"node@20.11.1", "node@20.10.0", "node@20.9.0", "node@18.19.1"}));
  EXPECT_EQ(tab({"use", "node@20."}).candidates, (Words{"node@20.11.1", "node@20.10.0", "node@20.9.0"}));
  EXPECT_EQ(index_requests(), 1) << "the second TAB read the cache";
  EXPECT_EQ(tab({"install", "no"}).candidates, Words{"node"}) << "a tool name asks no network";
  EXPECT_EQ(index_requests(), 1);

  server.reset();
  EXPECT_EQ(tab({"install", "node@18"}).candidates, Words{"node@18.19.1"});
  world.set_env("RTX_REMOTE_CACHE_TTL", "0");  // stale now: the refresh fails, the old list stays
  EXPECT_EQ(tab({"install", "node@2"}).candidates, (Words{"node@20.11.1", "node@20.10.0", "node@20.9.0"}));
  EXPECT_EQ(world.read(cache_file()), "18.19.1\n20.9.0\n20.10.0\n20.11.1\n") << "kept as the mirror listed it";
}

TEST_F(CompletionRemote, LsRemoteFillsTheCache) {
  node->add("20.11.1");
  node->add("21.6.2");
  ASSERT_EQ(world.rtx({"ls-remote", "node", "21"}).out, "21.6.2\n");
  EXPECT_EQ(world.read(cache_file()), "20.11.1\n21.6.2\n") << "the whole list, not the prefix's";
  server.reset();
  EXPECT_EQ(tab({"install", "node@"}).candidates, (Words{"node@21.6.2", "node@20.11.1"}));
  EXPECT_EQ(tab({"ls-remote", "node", "2"}).candidates, (Words{"21.6.2", "20.11.1"}));
}

TEST_F(CompletionRemote, AStalledMirrorCostsATabTheDeadlineAndGetsTheStaleListOrNothing) {
  node->add("20.11.1");
  ASSERT_EQ(tab({"install", "node@"}).candidates, Words{"node@20.11.1"});
  world.set_env("RTX_REMOTE_CACHE_TTL", "0");
  server->add_stalling(node->index_path(), std::string(100'000, ' '));

  TabResult stale = tab({"install", "node@"});
  EXPECT_EQ(stale.candidates, Words{"node@20.11.1"});
  EXPECT_EQ(stale.output.out, "__ordered__\nnode@20.11.1\n");

  ASSERT_EQ(::unlink(cache_file().c_str()), 0);
  TabResult none = tab({"install", "node@"});
  EXPECT_EQ(none.output.out, "") << "no list at all: no words, no error";
  EXPECT_GE(index_requests(), 2);
}

// A network slower than the deadline still gets there: the refresher the
// first TAB started carries on, and the next TAB reads what it saved.
TEST_F(CompletionRemote, ARefreshSlowerThanTheDeadlineServesTheNextTab) {
  node->add("20.11.1");
  world.set_env("RTX_HTTP_STALL_TIMEOUT", "5");  // the stalled attempt ends, the retry succeeds
  server->add_stalling(node->index_path(), std::string(100'000, ' '));
  TabResult first = tab({"install", "node@"});
  EXPECT_TRUE(first.candidates.empty() || first.candidates == Words{"node@20.11.1"});
  node->add("22.0.0");  // the index served normally again (the stalled request stays stalled)
  wait_for_refresher();
  int requests = index_requests();
  EXPECT_EQ(tab({"install", "node@"}).candidates, (Words{"node@22.0.0", "node@20.11.1"}));
  EXPECT_EQ(index_requests(), requests) << "the cache answered";
}

}  // namespace
}  // namespace rtx::e2e
