// The download cache on shared storage (issue 10 item 6; docs/decisions.md
// "Shared download cache"): eight CI runners on one host, each with its own
// RTX_DATA_DIR, share one RTX_CACHE_DIR and install the same node at once.
// The tarball is fetched once; when the runner fetching it is SIGKILLed
// halfway, a waiting one resumes its .part and the rest take the finished
// file; nobody ever extracts a half file.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <thread>

#include "clean_failure.hpp"
#include "text_checks.hpp"

namespace rtx::e2e {
namespace {

constexpr int kRunners = 8;
constexpr const char* kSharedVersion = "20.11.1";

// Every file under `dir`, by relative path, with its bytes: two builds are
// the same tree when these are equal.
std::map<std::string, std::string> shared_cache_tree(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out[std::filesystem::relative(e.path(), dir).string()] = slurp(e.path());
  return out;
}

// Polls `done` every 10 ms for up to 30 s (a loaded CI machine): the test
// waits on what the processes do, never on a fixed sleep.
template <typename Done>
bool shared_cache_wait(Done done) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

class SharedDownloadCache : public ::testing::Test {
 protected:
  SharedDownloadCache() {
    artifact = node.add(kSharedVersion, "Iron");
    for (auto& w : runners) {
      w = std::make_unique<World>();
      w->set_env("RTX_NODE_MIRROR", node.url());
      w->set_env("RTX_CACHE_DIR", cache.root() + "/cache");
    }
  }

  // `rtx install node@20.11.1` in runner i, in the background, its stderr
  // kept in <runner>/err.
  Background start(int i) {
    const World& w = *runners[std::size_t(i)];
    return w.sh_background("exec rtx install node@" + std::string(kSharedVersion) + " 2>'" + w.root() + "/err'");
  }
  std::string err_of(int i) const { return runners[std::size_t(i)]->read(runners[std::size_t(i)]->root() + "/err"); }

  // The one READY build of node in runner i, or "" when there is none.
  std::string ready_build(int i) const {
    const World& w = *runners[std::size_t(i)];
    for (const auto& name : w.store_names("node"))
      if (name.size() > 6 && name.substr(name.size() - 6) == ".state" &&
          w.read(w.data() + "/store/node/" + name).rfind("READY", 0) == 0)
        return w.data() + "/store/node/" + name.substr(0, name.size() - 6);
    return "";
  }

  // Every runner in `which` installed a build that runs, and all the trees are byte for byte the same.
  void expect_identical_installs(const std::vector<int>& which) {
    std::map<std::string, std::string> first;
    for (int i : which) {
      std::string build = ready_build(i);
      ASSERT_FALSE(build.empty()) << "runner " << i << ": " << err_of(i);
      auto tree = shared_cache_tree(build);
      EXPECT_TRUE(tree.count("bin/node")) << build;
      if (first.empty()) first = tree;
      EXPECT_EQ(tree, first) << "runner " << i << " extracted something else";
      Output o = runners[std::size_t(i)]->shim(
          "node", {"--version"},
          runners[std::size_t(i)]->make_project("p", ".tool-versions", std::string("node ") + kSharedVersion + "\n"));
      EXPECT_EQ(o.out, std::string("v") + kSharedVersion + "\n") << o.err;
    }
  }

  std::string entry_dir() const { return cache.root() + "/cache/downloads/sha256-" + artifact.sha256; }

  test::HttpServer server;
  NodeMirror node{server, "/dist"};
  Artifact artifact;
  World cache;  // only its folder: the shared RTX_CACHE_DIR lives in it
  std::unique_ptr<World> runners[kRunners];
};

TEST_F(SharedDownloadCache, EightRunnersAtOnceFetchTheTarballOnce) {
  std::vector<Background> jobs;
  for (int i = 0; i < kRunners; ++i) jobs.push_back(start(i));
  std::vector<int> all;
  for (int i = 0; i < kRunners; ++i) {
    EXPECT_EQ(jobs[std::size_t(i)].wait(), 0) << "runner " << i << ": " << err_of(i);
    all.push_back(i);
  }
  EXPECT_EQ(server.request_count(node.tarball_path(kSharedVersion)), 1);
  std::printf("[ figures  ] 8 concurrent installs: tarball %d request(s), index.json %d, SHASUMS256.txt %d\n",
              server.request_count(node.tarball_path(kSharedVersion)), server.request_count(node.index_path()),
              server.request_count(node.shasums_path(kSharedVersion)));
  expect_identical_installs(all);
  EXPECT_EQ(std::filesystem::directory_iterator(entry_dir())->path().filename(), artifact.name)
      << "only the finished file in the cache entry";
}

TEST_F(SharedDownloadCache, ARunnerKilledMidDownloadLeavesItToTheOthers) {
  // The first request sends half the tarball, then nothing; later ones are served.
  server.add_stalling(node.tarball_path(kSharedVersion), artifact.bytes, 1);
  std::string part = entry_dir() + "/" + artifact.name + ".part";
  Background holder = start(0);
  ASSERT_TRUE(shared_cache_wait([&] {
    struct stat st {};
    return ::stat(part.c_str(), &st) == 0 && st.st_size > 0;
  })) << err_of(0);
  std::vector<Background> waiters;
  for (int i = 1; i < kRunners; ++i) waiters.push_back(start(i));
  for (int i = 1; i < kRunners; ++i)
    ASSERT_TRUE(shared_cache_wait([&] { return has(err_of(i), "waiting for another rtx that is downloading"); }))
        << "runner " << i << ": " << err_of(i);

  holder.kill_now();  // SIGKILL, halfway through the tarball
  std::vector<int> survivors;
  for (int i = 1; i < kRunners; ++i) {
    EXPECT_EQ(waiters[std::size_t(i - 1)].wait(), 0) << "runner " << i << ": " << err_of(i);
    survivors.push_back(i);
  }
  int requests = server.request_count(node.tarball_path(kSharedVersion));
  EXPECT_EQ(requests, 2) << "the stalled one, then one resume";
  auto resumed = server.last_request(node.tarball_path(kSharedVersion));
  ASSERT_TRUE(resumed);
  EXPECT_EQ(resumed->header("range"), "bytes=" + std::to_string(artifact.bytes.size() / 2) + "-");
  std::printf("[ figures  ] 8 installs, the fetching one SIGKILLed halfway: tarball %d request(s), the last with %s\n",
              requests, resumed->header("range").c_str());
  expect_identical_installs(survivors);
  EXPECT_EQ(ready_build(0), "") << "the killed runner has no READY build";
  EXPECT_FALSE(std::filesystem::exists(part));

  // The killed runner's next command cleans its leftover and installs from the cache.
  Output again = runners[0]->rtx({"install", std::string("node@") + kSharedVersion});
  ASSERT_EQ(again.status, 0) << again.err;
  expect_identical_installs({0, 1});
  expect_store_clean(*runners[0], "node");
  EXPECT_EQ(server.request_count(node.tarball_path(kSharedVersion)), 2);
}

// Ctrl-C while waiting for another runner's download ends the wait at once:
// no BUILDING entry stays, and the holder's .part is not touched.
TEST_F(SharedDownloadCache, CtrlCEndsTheWaitForAnotherRunner) {
  std::filesystem::create_directories(entry_dir());
  std::string part = entry_dir() + "/" + artifact.name + ".part";
  int held = ::open(part.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(held, 0);
  ASSERT_EQ(::write(held, "half", 4), 4);
  ASSERT_EQ(::flock(held, LOCK_EX), 0);  // "another runner" downloading
  Background waiter = start(1);
  ASSERT_TRUE(shared_cache_wait([&] { return has(err_of(1), "waiting for another rtx that is downloading"); }))
      << err_of(1);
  ASSERT_EQ(::kill(waiter.pid(), SIGINT), 0);
  EXPECT_EQ(waiter.wait(), 130) << err_of(1);
  EXPECT_TRUE(has(err_of(1), "interrupted while waiting for another rtx that is downloading " + entry_dir()))
      << err_of(1);
  expect_store_clean(*runners[1], "node");
  EXPECT_EQ(ready_build(1), "");
  EXPECT_EQ(slurp(part), "half");
  EXPECT_EQ(server.request_count(node.tarball_path(kSharedVersion)), 0);
  ::close(held);
}

}  // namespace
}  // namespace rtx::e2e
