// net::download on the happy paths: checksums, redirects, progress output.
#include "manager/net/downloader.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstring>

#include "net_fixture.hpp"
#include "resolver/unique_fd.hpp"

namespace rtx::net {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using Download = test::NetTest;

TEST_F(Download, Sha256HexVerifiedAndRenamedIntoPlace) {
  std::string body = test::random_bytes(3 * 1024 * 1024 + 5, 1);
  server.add_file("/dist/tool.tar.xz", body);
  auto req = request_for("/dist/tool.tar.xz");
  req.expected = checksum_from_hex(HashAlgorithm::sha256, test::sha256_of(body).hex).value();

  auto got = download(req);
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(got->path, req.dest);
  EXPECT_EQ(got->size, body.size());
  EXPECT_EQ(got->checksum, *req.expected);
  EXPECT_FALSE(got->from_cache);
  EXPECT_EQ(got->attempts, 1);
  EXPECT_EQ(test::read_file(req.dest), body);
  EXPECT_THAT(test::files_under(tmp / "out"), ElementsAre("file.bin"));  // no .part left
  EXPECT_EQ(server.request_count("/dist/tool.tar.xz"), 1);
}

TEST_F(Download, Sha512SriIntegrityAsNpmPublishesIt) {
  std::string body = test::random_bytes(200'000, 2);
  server.add_file("/pkg/-/pkg-1.0.0.tgz", body);
  std::string integrity = "sha512-" + to_base64(test::digest_bytes(body, EVP_sha512()));
  auto req = request_for("/pkg/-/pkg-1.0.0.tgz");
  req.expected = parse_checksum(integrity).value();

  auto got = download(req);
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(got->checksum.algorithm, HashAlgorithm::sha512);
  EXPECT_EQ(got->checksum.to_sri(), integrity);
  EXPECT_EQ(test::read_file(req.dest), body);
}

TEST_F(Download, WithoutAnExpectedChecksumTheSha256IsReturned) {
  std::string body = "small file\n";
  server.add_file("/f", body);
  auto got = download(request_for("/f"));
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(got->checksum, test::sha256_of(body));
}

TEST_F(Download, EmptyFile) {
  server.add_file("/empty", "");
  auto req = request_for("/empty");
  req.expected = test::sha256_of("");
  auto got = download(req);
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(got->size, 0u);
  EXPECT_TRUE(test::exists(req.dest));
}

TEST_F(Download, FollowsARedirectChainAcrossStatusKinds) {
  std::string body = test::random_bytes(10'000, 3);
  server.add_redirect("/latest", "/v2", 302);
  server.add_redirect("/v2", server.url("/v2.1"), 301);  // absolute Location too
  server.add_redirect("/v2.1", "/files/v2.1.0.tar.gz", 307);
  server.add_file("/files/v2.1.0.tar.gz", body);
  auto req = request_for("/latest");
  req.expected = test::sha256_of(body);
  auto got = download(req);
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(test::read_file(req.dest), body);
  for (const char* hop : {"/latest", "/v2", "/v2.1", "/files/v2.1.0.tar.gz"})
    EXPECT_EQ(server.request_count(hop), 1) << hop;
}

TEST_F(Download, RedirectLoopStopsAfterTenWithoutRetrying) {
  server.add_redirect("/loop", "/loop");
  auto req = request_for("/loop");
  auto got = download(req);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error(), "download of " + req.url + " failed: more than 10 redirects: check the URL");
  EXPECT_EQ(server.request_count("/loop"), 11);  // the first request and ten redirects, once
  EXPECT_FALSE(test::exists(tmp / "out/file.bin.part"));
}

TEST_F(Download, ExtraHeadersAreSentAndUserAgentNamesRtx) {
  server.add_file("/private", "x");
  auto req = request_for("/private");
  req.headers = {"Authorization: Bearer t0ken"};
  ASSERT_TRUE(download(req));
  auto last = server.last_request("/private");
  ASSERT_TRUE(last);
  EXPECT_EQ(last->header("authorization"), "Bearer t0ken");
  EXPECT_THAT(last->header("user-agent"), testing::StartsWith("rtx/"));
  EXPECT_EQ(last->header("range"), "");  // nothing to resume: no Range
}

// Each thread reuses one libcurl handle (its connections and CA store): the
// options of one download must not leak into the next.
TEST_F(Download, TheNextDownloadOnTheSameThreadCarriesNoneOfTheLastOnesOptions) {
  server.add_file("/private", "secret");
  server.add_file("/public", "open");
  auto first = request_for("/private");
  first.headers = {"Authorization: Bearer t0ken", "Accept: application/json"};
  ASSERT_TRUE(download(first));
  ASSERT_TRUE(download(request_for("/public")));
  auto last = server.last_request("/public");
  ASSERT_TRUE(last);
  EXPECT_EQ(last->header("authorization"), "");
  EXPECT_EQ(last->header("accept"), "*/*");
  EXPECT_THAT(last->header("user-agent"), testing::StartsWith("rtx/"));
}

// A failed file:// transfer leaves the thread's reused handle with its receive
// buffer, and libcurl then refuses a new CURLOPT_BUFFERSIZE: the next http
// download on the thread must still work.
TEST_F(Download, AnHttpDownloadAfterAMissingFileUrlOnTheSameThread) {
  std::string body = test::random_bytes(300'000, 21);
  test::write_file(tmp / "mirror/tool.tgz", body);
  net::DownloadRequest local = request_for("/unused");
  local.url = "file://" + tmp / "mirror/tool.tgz";
  ASSERT_TRUE(download(local));
  local.url = "file://" + tmp / "mirror/missing.tgz";
  ASSERT_FALSE(download(local));
  server.add_file("/whole", body);
  auto whole = request_for("/whole");
  whole.expected = test::sha256_of(body);
  auto got = download(whole);
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(test::read_file(whole.dest), body);
}

TEST_F(Download, FileUrlsAreCopiedToo) {
  std::string body = test::random_bytes(5000, 4);
  test::write_file(tmp / "mirror/tool.tgz", body);
  net::DownloadRequest req = request_for("/unused");
  req.url = "file://" + tmp / "mirror/tool.tgz";
  req.expected = test::sha256_of(body);
  auto got = download(req);
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(test::read_file(req.dest), body);

  req.url = "file://" + tmp / "mirror/missing.tgz";
  auto missing = download(req);
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error(), HasSubstr(req.url));
}

// Not a terminal (a file here, a log or CI in real life): exactly one line.
TEST_F(Download, NotATerminalPrintsOneSummaryLine) {
  std::string body = test::random_bytes(1024 * 1024, 5);
  server.add_file("/node.tar.xz", body);
  auto req = request_for("/node.tar.xz");
  UniqueFd log(::open((tmp / "stderr.log").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  ASSERT_TRUE(log.valid());
  req.progress_fd = log.get();
  ASSERT_TRUE(download(req));
  std::string out = test::read_file(tmp / "stderr.log");
  std::string url_re;  // the URL as a literal in a POSIX regex
  for (char c : req.url) url_re += std::string(std::strchr(".^$|()[]{}*+?\\", c) ? "\\" : "") + c;
  EXPECT_THAT(out, MatchesRegex("downloaded " + url_re + ": 1\\.0 MiB in [0-9]+\\.[0-9] s \\([0-9.]+ [KMG]iB/s\\)\n"));
}

// A terminal (a pseudo-terminal here): a line redrawn with \r, then the summary.
TEST_F(Download, TerminalGetsALiveLineThenTheSummary) {
  int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  ASSERT_GE(master, 0);
  UniqueFd master_fd(master);
  ASSERT_EQ(::grantpt(master), 0);
  ASSERT_EQ(::unlockpt(master), 0);
  UniqueFd tty(::open(::ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC));
  ASSERT_TRUE(tty.valid());
  ASSERT_EQ(::isatty(tty.get()), 1);

  server.add_file("/big.tar.xz", test::random_bytes(2 * 1024 * 1024, 6));
  auto req = request_for("/big.tar.xz");
  req.progress_fd = tty.get();
  ASSERT_TRUE(download(req));

  ::fcntl(master, F_SETFL, O_NONBLOCK);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(master, buf, sizeof buf)) > 0) out.append(buf, std::size_t(n));
  // A live row named after the file (net/progress_board.hpp), then the
  // summary written over it (cursor up one line), nothing left below.
  EXPECT_THAT(out, testing::StartsWith("file.bin  "));
  EXPECT_THAT(out, HasSubstr(" / 2.0 MiB  "));
  EXPECT_THAT(out, HasSubstr("\r\033[1Adownloaded " + req.url + ": 2.0 MiB in "));
  EXPECT_THAT(out, testing::EndsWith("\033[J"));
}

}  // namespace
}  // namespace rtx::net
