// Locked URLs and mirrors (manager/backends/core/mirror_path.hpp) and which
// transports may carry an artifact (check_transport in fetch.hpp): pure
// functions, no server.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "manager/backends/core/fetch.hpp"
#include "manager/backends/core/mirror_path.hpp"

namespace rtx::backends::core {
namespace {

using ::testing::HasSubstr;

constexpr const char* kNode = "https://nodejs.org/dist";
constexpr const char* kFile = "https://nodejs.org/dist/v20.1.0/node-v20.1.0-linux-x64.tar.xz";

TEST(UnderMirror, PutsTheUpstreamPathUnderTheMirror) {
  EXPECT_EQ(under_mirror(kFile, kNode, "http://10.0.0.5/node"),
            "http://10.0.0.5/node/v20.1.0/node-v20.1.0-linux-x64.tar.xz");
  // Trailing slashes on either base change nothing.
  EXPECT_EQ(under_mirror(kFile, "https://nodejs.org/dist/", "http://10.0.0.5/node/"),
            "http://10.0.0.5/node/v20.1.0/node-v20.1.0-linux-x64.tar.xz");
  // No mirror configured: the mirror is the upstream.
  EXPECT_EQ(under_mirror(kFile, kNode, kNode), kFile);
}

TEST(UnderMirror, KeepsAUrlAlreadyOnTheMirrorOrElsewhere) {
  std::string on_mirror = "http://10.0.0.5/node/v20.1.0/x.tar.xz";
  EXPECT_EQ(under_mirror(on_mirror, kNode, "http://10.0.0.5/node"), on_mirror);
  std::string elsewhere = "https://example.org/dist/v20.1.0/x.tar.xz";
  EXPECT_EQ(under_mirror(elsewhere, kNode, "http://10.0.0.5/node"), elsewhere);
  // A prefix of the host or path is not the upstream base.
  std::string longer = "https://nodejs.org/distribution/v20.1.0/x.tar.xz";
  EXPECT_EQ(under_mirror(longer, kNode, "http://10.0.0.5/node"), longer);
  EXPECT_EQ(under_mirror(kNode, kNode, "http://10.0.0.5/node"), kNode);  // the base alone names no file
}

TEST(UnderMirror, ToUpstreamIsItsInverse) {
  std::string mirror = "http://127.0.0.1:8080/node";
  std::string on_mirror = under_mirror(kFile, kNode, mirror);
  EXPECT_EQ(to_upstream(on_mirror, mirror, kNode), kFile);
  EXPECT_EQ(to_upstream(kFile, mirror, kNode), kFile);
}

store::BuildRequest locked(const std::string& url, const std::string& checksum) {
  store::BuildRequest req;
  req.tool = "node";
  req.version = "20.1.0";
  req.locked_url = url;
  req.locked_checksum = checksum;
  return req;
}

TEST(LockedArtifact, MapsTheUrlAndParsesTheChecksum) {
  std::string hex(64, 'a');
  auto got = locked_artifact(locked(kFile, "sha256:" + hex), kNode, "http://10.0.0.5/node");
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(got->url, "http://10.0.0.5/node/v20.1.0/node-v20.1.0-linux-x64.tar.xz");
  EXPECT_EQ(got->checksum, (net::Checksum{net::HashAlgorithm::sha256, hex}));
  auto sri = locked_artifact(locked(kFile, net::Checksum{net::HashAlgorithm::sha512, std::string(128, 'b')}.to_sri()),
                             kNode, kNode);
  ASSERT_TRUE(sri) << sri.error();
  EXPECT_EQ(sri->checksum.algorithm, net::HashAlgorithm::sha512);
}

TEST(LockedArtifact, BadLockEntriesAreOneLineEach) {
  std::string hex(64, 'a');
  auto scheme = locked_artifact(locked("ftp://nodejs.org/dist/x.tar.xz", "sha256:" + hex), kNode, kNode);
  ASSERT_FALSE(scheme);
  EXPECT_EQ(scheme.error(),
            "the locked URL 'ftp://nodejs.org/dist/x.tar.xz' is not an https://, http:// or file:// URL: fix the "
            "lockfile, or run 'rtx lock' again");
  auto empty = locked_artifact(locked(kFile, ""), kNode, kNode);
  ASSERT_FALSE(empty);
  EXPECT_THAT(empty.error(), HasSubstr("the lock gives no checksum for " + std::string(kFile)));
  auto bad = locked_artifact(locked(kFile, "sha256:1234"), kNode, kNode);
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error(),
              HasSubstr("the locked checksum 'sha256:1234' of " + std::string(kFile) + " is not a checksum"));
  for (const auto& e : {scheme.error(), empty.error(), bad.error()}) EXPECT_EQ(e.find('\n'), std::string::npos);
}

TEST(LockPlatforms, NamesEachUpstreamsSpelling) {
  auto got = lock_platforms({"macos-arm64", "linux-x64"});
  ASSERT_TRUE(got) << got.error();
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].name, "macos-arm64");
  EXPECT_EQ((*got)[0].os, "darwin");
  EXPECT_EQ((*got)[0].arch, "arm64");
  EXPECT_EQ((*got)[0].go_arch, "arm64");
  EXPECT_EQ((*got)[0].triple, "aarch64-apple-darwin");
  EXPECT_EQ((*got)[1].triple, "x86_64-unknown-linux-gnu");
  EXPECT_EQ((*got)[1].go_arch, "amd64");
  EXPECT_FALSE(lock_platforms({"windows-x64"}));
}

// ---- check_transport: plain http:// only to loopback, or with a locked/signed checksum ----

bool allowed(const std::string& url, ChecksumOrigin origin = ChecksumOrigin::index) {
  return check_transport(url, origin, "fix it").ok();
}

TEST(CheckTransport, PlainHttpToLoopbackIsAllowed) {
  for (const char* url : {"http://127.0.0.1/x", "http://127.1.2.3:8080/x", "http://localhost/x", "http://[::1]/x",
                          "http://[::1]:8080/x", "http://LOCALHOST:80/x", "http://user@127.0.0.1/x",
                          "http://user:pw@localhost:1/x", "http://127.0.0.1?x", "http://127.0.0.1"})
    EXPECT_TRUE(allowed(url)) << url;
}

TEST(CheckTransport, PlainHttpElsewhereIsRefusedWithAnIndexChecksum) {
  for (const char* url :
       {"http://127.0.0.1.evil.com/x", "http://mirror.example/x", "http://localhost.evil.com/x",
        "http://127.0.0.1@evil.com/x", "http://127.0.0.1:80@evil.com/x", "http://evil.com#@127.0.0.1/x",
        "http://evil.com/127.0.0.1", "http://[::ffff:127.0.0.1]/x", "http://10.0.0.1/x", "HTTP://mirror.example/x"})
    EXPECT_FALSE(allowed(url)) << url;
  auto refused = check_transport("http://mirror.example/node/x.tar.xz", ChecksumOrigin::index, "use https");
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error(), HasSubstr("refusing http://mirror.example/node/x.tar.xz: over plain http://"));
  EXPECT_THAT(refused.error(), HasSubstr(": use https"));
}

TEST(CheckTransport, ALockedOrSignedChecksumOrAnotherSchemeIsAllowed) {
  EXPECT_TRUE(allowed("http://mirror.example/x", ChecksumOrigin::lock));
  EXPECT_TRUE(allowed("http://mirror.example/x", ChecksumOrigin::signed_index));
  EXPECT_TRUE(allowed("https://mirror.example/x"));
  EXPECT_TRUE(allowed("file:///srv/mirror/x"));
}

}  // namespace
}  // namespace rtx::backends::core
