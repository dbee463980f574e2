// Backend::lock_artifacts of each core backend (issue 10 item 1) against
// fixture indexes on 127.0.0.1 listing builds for several platforms: per
// requested platform the file install() would take there, its checksum (and
// size when the index has one), under the UPSTREAM URL whatever mirror served
// the index; a platform without a build is left out; bad input is one line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "backend_fixture.hpp"
#include "manager/backends/core/go.hpp"
#include "manager/backends/core/node.hpp"
#include "manager/backends/core/npm.hpp"
#include "manager/backends/core/python.hpp"
#include "manager/backends/core/rust.hpp"

namespace rtx::test {
namespace {

using ::testing::HasSubstr;

struct Want {
  std::string platform, url;
  net::Checksum checksum;
  std::optional<std::uint64_t> size = std::nullopt;
};

net::Checksum sha256_hex(char digit) { return net::Checksum{net::HashAlgorithm::sha256, fake_hex(digit)}; }

void expect_artifacts(const Expected<std::vector<backends::Artifact>>& got, const std::vector<Want>& want) {
  ASSERT_TRUE(got) << got.error();
  ASSERT_EQ(got->size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    const backends::Artifact& a = (*got)[i];
    EXPECT_EQ(a.platform, want[i].platform);
    EXPECT_EQ(a.url, want[i].url) << a.platform;
    EXPECT_EQ(a.checksum, want[i].checksum) << a.platform;
    EXPECT_EQ(a.size, want[i].size) << a.platform;
  }
}

using LockArtifacts = BackendTest;

// ---- node: v<version>/SHASUMS256.txt lists every platform's files ----

TEST_F(LockArtifacts, NodeRecordsEachPlatformsTarXzUnderNodejsOrg) {
  ScopedEnv mirror("RTX_NODE_MIRROR", server.url("/node/"));
  std::string v = "20.11.1";
  server.add_file("/node/v20.11.1/SHASUMS256.txt",
                  fake_hex('1') + "  node-v20.11.1-darwin-arm64.tar.gz\n" + fake_hex('2') +
                      "  node-v20.11.1-darwin-arm64.tar.xz\n" + fake_hex('3') + "  node-v20.11.1-darwin-x64.tar.gz\n" +
                      fake_hex('4') + "  node-v20.11.1-linux-arm64.tar.xz\n" + fake_hex('5') +
                      "  node-v20.11.1-linux-x64.tar.gz\n" + fake_hex('6') + "  node-v20.11.1-linux-x64.tar.xz\n" +
                      fake_hex('7') + "  node-v20.11.1.tar.gz\n");
  auto node = backends::core::make_node_backend(machine("a"));
  // macos-x64 has only a .tar.gz here: install() takes .tar.xz, so it is left out.
  expect_artifacts(
      node->lock_artifacts(v, kAllLockPlatforms),
      {{"linux-x64", "https://nodejs.org/dist/v20.11.1/node-v20.11.1-linux-x64.tar.xz", sha256_hex('6')},
       {"linux-arm64", "https://nodejs.org/dist/v20.11.1/node-v20.11.1-linux-arm64.tar.xz", sha256_hex('4')},
       {"macos-arm64", "https://nodejs.org/dist/v20.11.1/node-v20.11.1-darwin-arm64.tar.xz", sha256_hex('2')}});
  // Only what was asked for, in the order asked.
  expect_artifacts(
      node->lock_artifacts(v, {"macos-arm64", "linux-x64"}),
      {{"macos-arm64", "https://nodejs.org/dist/v20.11.1/node-v20.11.1-darwin-arm64.tar.xz", sha256_hex('2')},
       {"linux-x64", "https://nodejs.org/dist/v20.11.1/node-v20.11.1-linux-x64.tar.xz", sha256_hex('6')}});
  EXPECT_EQ(server.request_count("/node/index.json"), 0);
}

TEST_F(LockArtifacts, NodeBadChecksumOrMissingListIsOneLine) {
  ScopedEnv mirror("RTX_NODE_MIRROR", server.url("/node"));
  server.add_file("/node/v20.11.1/SHASUMS256.txt", "xyz  node-v20.11.1-linux-x64.tar.xz\n");
  auto node = backends::core::make_node_backend(machine("a"));
  auto bad = node->lock_artifacts("20.11.1", {"linux-x64"});
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error(), HasSubstr(server.url("/node/v20.11.1/SHASUMS256.txt") + " gives a bad checksum for "));
  EXPECT_EQ(bad.error().find('\n'), std::string::npos);
  auto missing = node->lock_artifacts("20.99.0", {"linux-x64"});
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error(), HasSubstr("/node/v20.99.0/SHASUMS256.txt"));
}

TEST_F(LockArtifacts, AnUnknownPlatformIsRefusedByName) {
  auto node = backends::core::make_node_backend(machine("a"));
  auto got = node->lock_artifacts("20.11.1", {"linux-x64", "darwin-arm64"});
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error(),
            "unknown platform 'darwin-arm64' to lock: rtx locks linux-x64, linux-arm64, macos-x64 and macos-arm64");
  EXPECT_EQ(server.total_requests(), 0);
}

// ---- go: the downloads JSON's files[] with os, arch, kind and size ----

std::string go_file(const std::string& name, const std::string& os, const std::string& arch, char digit, int size,
                    const std::string& kind = "archive") {
  return "{\"filename\":\"" + name + "\",\"os\":\"" + os + "\",\"arch\":\"" + arch +
         "\",\"version\":\"go1.22.1\",\"sha256\":\"" + fake_hex(digit) + "\",\"size\":" + std::to_string(size) +
         ",\"kind\":\"" + kind + "\"}";
}

std::string go_index(const std::string& darwin_amd64_name) {
  return "[{\"version\":\"go1.22.1\",\"stable\":true,\"files\":[" +
         go_file("go1.22.1.src.tar.gz", "", "", '0', 1, "source") + "," +
         go_file(darwin_amd64_name, "darwin", "amd64", '1', 100) + "," +
         go_file("go1.22.1.darwin-arm64.pkg", "darwin", "arm64", '2', 200, "installer") + "," +
         go_file("go1.22.1.linux-amd64.tar.gz", "linux", "amd64", '3', 300) + "," +
         go_file("go1.22.1.linux-arm64.tar.gz", "linux", "arm64", '4', 400) + "]}]";
}

TEST_F(LockArtifacts, GoRecordsEachPlatformsArchiveWithItsSizeUnderGoDev) {
  ScopedEnv mirror("RTX_GO_MIRROR", server.url("/go"));
  server.add_file("/go/", go_index("go1.22.1.darwin-amd64.tar.gz"), "application/json");
  auto go = backends::core::make_go_backend(machine("a"));
  // darwin/arm64 has only an installer (.pkg), no archive: left out.
  expect_artifacts(go->lock_artifacts("1.22.1", kAllLockPlatforms),
                   {{"linux-x64", "https://go.dev/dl/go1.22.1.linux-amd64.tar.gz", sha256_hex('3'), 300},
                    {"linux-arm64", "https://go.dev/dl/go1.22.1.linux-arm64.tar.gz", sha256_hex('4'), 400},
                    {"macos-x64", "https://go.dev/dl/go1.22.1.darwin-amd64.tar.gz", sha256_hex('1'), 100}});
}

TEST_F(LockArtifacts, GoRefusesAFileNameThatIsNotPlainAndAnUnknownVersion) {
  ScopedEnv mirror("RTX_GO_MIRROR", server.url("/go"));
  server.add_file("/go/", go_index("../go1.22.1.darwin-amd64.tar.gz"), "application/json");
  auto go = backends::core::make_go_backend(machine("a"));
  auto bad = go->lock_artifacts("1.22.1", {"macos-x64"});
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error(), HasSubstr("without a plain \"filename\""));
  EXPECT_THAT(bad.error(), HasSubstr(server.url("/go/?mode=json&include=all")));
  auto unknown = go->lock_artifacts("1.99.0", {"linux-x64"});
  ASSERT_FALSE(unknown);
  EXPECT_THAT(unknown.error(), HasSubstr("no go 1.99.0 in "));
}

// ---- python: each release's SHA256SUMS, the install_only build per triple ----

TEST_F(LockArtifacts, PythonRecordsTheNewestInstallOnlyBuildPerTripleUnderTheUpstream) {
  ScopedEnv mirror("RTX_PYTHON_MIRROR", server.url("/py"));
  server.add_file("/py/releases.txt", "20241008\n20241016\n");
  auto name = [](const std::string& tag, const std::string& triple, const std::string& flavour = "install_only") {
    return "cpython-3.12.7+" + tag + "-" + triple + "-" + flavour + ".tar.gz";
  };
  server.add_file("/py/20241008/SHA256SUMS", fake_hex('1') + "  " + name("20241008", "x86_64-unknown-linux-gnu") +
                                                 "\n" + fake_hex('2') + "  " +
                                                 name("20241008", "aarch64-apple-darwin") + "\n");
  server.add_file("/py/20241016/SHA256SUMS",
                  fake_hex('3') + "  " + name("20241016", "x86_64-unknown-linux-gnu") + "\n" + fake_hex('4') + "  " +
                      name("20241016", "x86_64-unknown-linux-gnu", "install_only_stripped") + "\n" + fake_hex('5') +
                      "  " + name("20241016", "aarch64-unknown-linux-gnu") + "\n" + fake_hex('6') + "  " +
                      name("20241016", "x86_64-apple-darwin") + "\n" + fake_hex('7') +
                      "  cpython-3.12.7+20241016-aarch64-apple-darwin-pgo+lto-full.tar.zst\n");
  auto python = backends::core::make_python_backend(machine("a"));
  const std::string up = "https://github.com/indygreg/python-build-standalone/releases/download/";
  // aarch64-apple-darwin's install_only build is only in the older release.
  expect_artifacts(python->lock_artifacts("3.12.7", kAllLockPlatforms),
                   {{"linux-x64", up + "20241016/" + name("20241016", "x86_64-unknown-linux-gnu"), sha256_hex('3')},
                    {"linux-arm64", up + "20241016/" + name("20241016", "aarch64-unknown-linux-gnu"), sha256_hex('5')},
                    {"macos-x64", up + "20241016/" + name("20241016", "x86_64-apple-darwin"), sha256_hex('6')},
                    {"macos-arm64", up + "20241008/" + name("20241008", "aarch64-apple-darwin"), sha256_hex('2')}});
  expect_artifacts(python->lock_artifacts("3.13.0", kAllLockPlatforms), {});
}

// ---- rust: channel-rust-<version>.toml, the rust package per target ----

TEST_F(LockArtifacts, RustRecordsEachTargetsTarballOnStaticRustLang) {
  ScopedEnv mirror("RTX_RUST_MIRROR", server.url("/rust"));
  const std::string up = "https://static.rust-lang.org/dist/2024-10-17/rust-1.82.0-";
  server.add_file("/rust/dist/channel-rust-1.82.0.toml",
                  "manifest-version = \"2\"\n[pkg.rust]\nversion = \"1.82.0 (f6e511eec 2024-10-15)\"\n"
                  "[pkg.rust.target.x86_64-unknown-linux-gnu]\navailable = true\nurl = \"" +
                      up + "x86_64-unknown-linux-gnu.tar.gz\"\nhash = \"" + fake_hex('1') + "\"\nxz_url = \"" + up +
                      "x86_64-unknown-linux-gnu.tar.xz\"\nxz_hash = \"" + fake_hex('2') +
                      "\"\n"
                      "[pkg.rust.target.aarch64-unknown-linux-gnu]\navailable = false\n"
                      // An older manifest's gzip-only entry.
                      "[pkg.rust.target.x86_64-apple-darwin]\navailable = true\nurl = \"" +
                      up + "x86_64-apple-darwin.tar.gz\"\nhash = \"" + fake_hex('3') +
                      "\"\n"
                      // A mirror that rewrote its manifest to name itself.
                      "[pkg.rust.target.aarch64-apple-darwin]\navailable = true\nxz_url = \"" +
                      server.url("/rust/dist/2024-10-17/rust-1.82.0-aarch64-apple-darwin.tar.xz") + "\"\nxz_hash = \"" +
                      fake_hex('4') + "\"\n");
  auto rust = backends::core::make_rust_backend(machine("a"));
  expect_artifacts(rust->lock_artifacts("1.82.0", kAllLockPlatforms),
                   {{"linux-x64", up + "x86_64-unknown-linux-gnu.tar.xz", sha256_hex('2')},
                    {"macos-x64", up + "x86_64-apple-darwin.tar.gz", sha256_hex('3')},
                    {"macos-arm64", up + "aarch64-apple-darwin.tar.xz", sha256_hex('4')}});
}

TEST_F(LockArtifacts, RustRefusesAManifestOfAnotherVersionOrATargetWithoutItsTarball) {
  ScopedEnv mirror("RTX_RUST_MIRROR", server.url("/rust"));
  server.add_file("/rust/dist/channel-rust-1.82.0.toml", "[pkg.rust]\nversion = \"1.81.0 (x 2024-09-01)\"\n");
  server.add_file("/rust/dist/channel-rust-1.83.0.toml",
                  "[pkg.rust]\nversion = \"1.83.0 (x 2024-11-28)\"\n"
                  "[pkg.rust.target.aarch64-apple-darwin]\navailable = true\n");
  auto rust = backends::core::make_rust_backend(machine("a"));
  auto other = rust->lock_artifacts("1.82.0", kAllLockPlatforms);
  ASSERT_FALSE(other);
  EXPECT_THAT(other.error(), HasSubstr("describes rust 1.81.0, not 1.82.0"));
  auto no_tarball = rust->lock_artifacts("1.83.0", {"linux-x64", "macos-arm64"});
  ASSERT_FALSE(no_tarball);
  EXPECT_THAT(no_tarball.error(), HasSubstr("[pkg.rust.target.aarch64-apple-darwin] has no xz_url/xz_hash"));
}

// ---- npm: the package's tarball and dist.integrity, on every platform its os/cpu allow ----

TEST_F(LockArtifacts, NpmRecordsTheTarballAsTheRegistryNamesItForEachAllowedPlatform) {
  ScopedEnv registry("NPM_CONFIG_REGISTRY", server.url("/registry/"));
  std::string tgz = "not really a tarball: lock_artifacts never fetches it";
  std::string sri = sha512_of(tgz).to_sri();
  std::string tarball = server.url("/registry/greeter/-/greeter-1.0.0.tgz");
  server.add_file("/registry/greeter",
                  "{\"name\":\"greeter\",\"dist-tags\":{\"latest\":\"1.0.0\"},\"versions\":{"
                  "\"1.0.0\":{\"dist\":{\"tarball\":\"" +
                      tarball + "\",\"integrity\":\"sha1-AAAA " + sri +
                      "\"}},"
                      "\"2.0.0\":{\"os\":[\"darwin\"],\"cpu\":[\"arm64\"],\"dist\":{\"tarball\":\"" +
                      tarball + "\",\"integrity\":\"" + sri +
                      "\"}},"
                      "\"3.0.0\":{\"dist\":{\"tarball\":\"" +
                      tarball + "\",\"shasum\":\"abcd\"}}}}",
                  "application/json");
  auto npm = backends::core::make_npm_backend(machine("a"), "npm:greeter");
  expect_artifacts(npm->lock_artifacts("1.0.0", kAllLockPlatforms), {{"linux-x64", tarball, sha512_of(tgz)},
                                                                     {"linux-arm64", tarball, sha512_of(tgz)},
                                                                     {"macos-x64", tarball, sha512_of(tgz)},
                                                                     {"macos-arm64", tarball, sha512_of(tgz)}});
  expect_artifacts(npm->lock_artifacts("2.0.0", kAllLockPlatforms), {{"macos-arm64", tarball, sha512_of(tgz)}});
  auto sha1_only = npm->lock_artifacts("3.0.0", kAllLockPlatforms);
  ASSERT_FALSE(sha1_only);
  EXPECT_THAT(sha1_only.error(), HasSubstr("only a sha1 dist.shasum"));
  auto unknown = npm->lock_artifacts("4.0.0", kAllLockPlatforms);
  ASSERT_FALSE(unknown);
  EXPECT_THAT(unknown.error(), HasSubstr("npm:greeter has no version 4.0.0"));
  EXPECT_EQ(server.request_count("/registry/greeter/-/greeter-1.0.0.tgz"), 0);
}

}  // namespace
}  // namespace rtx::test
