// One download cache shared by many downloaders (issue 10 item 6): a holder
// that gives up leaves its .part to the next one, a peer's failure cleaning up
// the entry's folder does not break the others, and only a holder of the lock
// deletes a damaged file (download_cache_test.cpp has two at once fetching
// one artifact once). Threads stand in for
// processes here: flock(2) locks conflict between separate open()s whatever
// process makes them; tests/e2e/shared_download_cache_test.cpp does it with
// real processes and a SIGKILL.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "manager/net/download_cache.hpp"
#include "manager/net/downloader.hpp"
#include "manager/net/part_file.hpp"
#include "net_fixture.hpp"

namespace rtx::net {
namespace {

using ::testing::HasSubstr;

class SharedCache : public test::NetTest {
 protected:
  DownloadRequest cached(const std::string& path, const std::string& body) {
    DownloadRequest req = request_for(path);
    req.dest.clear();
    req.cache_dir = tmp / "cache";
    req.expected = test::sha256_of(body);
    return req;
  }
};

// The holder stalls and gives up (as a killed one would stop): the waiter
// takes its .part over, resumes it with a Range request, and gets the whole file.
TEST_F(SharedCache, AWaiterResumesWhatAHolderLeft) {
  std::string body = test::random_bytes(400'000, 82);
  server.add_stalling("/stall.tar.xz", body, 1);
  auto holder_req = cached("/stall.tar.xz", body);
  holder_req.stall_timeout = std::chrono::seconds(1);
  holder_req.retry.max_attempts = 1;
  Expected<DownloadResult> holder = Error{"not run"};
  std::thread holder_thread([&] { holder = download(holder_req); });
  std::string part = tmp / "cache/downloads/sha256-" + holder_req.expected->hex + "/stall.tar.xz.part";
  for (int i = 0; i < 400 && server.request_count("/stall.tar.xz") == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(server.request_count("/stall.tar.xz"), 1);

  auto waiter = download(cached("/stall.tar.xz", body));  // blocks on the holder's lock
  holder_thread.join();
  ASSERT_FALSE(holder);
  EXPECT_THAT(holder.error(), HasSubstr("run again to resume"));
  ASSERT_TRUE(waiter) << waiter.error();
  EXPECT_TRUE(waiter->resumed);
  EXPECT_EQ(test::read_file(waiter->path), body);
  EXPECT_EQ(server.request_count("/stall.tar.xz"), 2);
  EXPECT_EQ(server.last_request("/stall.tar.xz")->header("range"), "bytes=" + std::to_string(body.size() / 2) + "-");
  EXPECT_FALSE(test::exists(part));
}

TEST_F(SharedCache, APeerRemovingTheEmptyEntryFolderDoesNotBreakTheNext) {
  std::string folder = tmp / "cache/downloads/sha256-abc";
  std::filesystem::create_directories(folder);
  ASSERT_EQ(::rmdir(folder.c_str()), 0);  // what a failing peer's remove_empty_entry does
  auto part = PartFile::open_locked(folder + "/tool.tgz", -1);
  ASSERT_TRUE(part) << part.error();
  EXPECT_TRUE(test::exists(folder + "/tool.tgz.part"));
}

// Without the lock a mismatching file may be one a holder is about to
// replace: it is a miss, and only the check under the lock deletes it.
TEST_F(SharedCache, OnlyTheCheckUnderTheLockDeletesAMismatch) {
  std::string path = tmp / "cache/entry/tool.tgz";
  test::write_file(path, "damaged");
  Checksum want = test::sha256_of("the real file");
  auto unlocked = verify_cached(path, want, false);
  ASSERT_TRUE(unlocked);
  EXPECT_FALSE(*unlocked);
  EXPECT_TRUE(test::exists(path));
  auto locked = verify_cached(path, want);
  ASSERT_TRUE(locked);
  EXPECT_FALSE(*locked);
  EXPECT_FALSE(test::exists(path));
  auto gone = verify_cached(path, want, false);  // absent: a miss, not an error
  ASSERT_TRUE(gone);
  EXPECT_FALSE(*gone);
}

}  // namespace
}  // namespace rtx::net
