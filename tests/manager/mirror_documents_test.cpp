// The documents of an exported mirror (manager/mirror/documents.hpp) and the
// folder writer (publish.hpp): each merge keeps what the folder had and reads
// back in the backend's own parser; a document the folder holds that is not
// what its name says is one error naming it; artifacts appear whole.
#include "manager/mirror/documents.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "fs_helpers.hpp"
#include "manager/backends/core/go.hpp"
#include "manager/backends/core/node_index.hpp"
#include "manager/backends/core/python.hpp"
#include "manager/backends/core/rust.hpp"
#include "manager/mirror/publish.hpp"
#include "manager/net/hashing.hpp"
#include "tests/support/temp_dir.hpp"

namespace rtx::mirror {
namespace {

using test::read_text;
using test::ScopedTempDir;
using test::write_text;

const std::string kHexA(64, 'a');
const std::string kHexB(64, 'b');

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(MirrorDocuments, NodeIndexKeepsOtherReleasesUnitesFilesAndListsNewestFirst) {
  const std::string folder =
      "[\n{\"version\":\"v18.0.0\",\"files\":[\"linux-x64\"],\"lts\":\"Hydrogen\"},\n"
      "{\"version\":\"v20.11.1\",\"files\":[\"linux-arm64\"],\"lts\":\"Iron\"}\n]\n";
  auto text = merge_node_index(folder, "dir/node/index.json",
                               {{"20.11.1", {"linux-x64"}, "", std::nullopt}, {"21.0.0", {"linux-x64"}, "", {}}});
  ASSERT_TRUE(text) << text.error();
  EXPECT_EQ(*text,
            "[\n{\"version\":\"v21.0.0\",\"files\":[\"linux-x64\"],\"lts\":false},\n"
            "{\"version\":\"v20.11.1\",\"files\":[\"linux-arm64\",\"linux-x64\"],\"lts\":\"Iron\"},\n"
            "{\"version\":\"v18.0.0\",\"files\":[\"linux-x64\"],\"lts\":\"Hydrogen\"}\n]\n");
  // rtx's node backend reads it: both builds of 20.11.1, the LTS name kept.
  auto releases = backends::core::parse_node_index(*text, "linux-arm64", "index.json");
  ASSERT_TRUE(releases) << releases.error();
  ASSERT_EQ(releases->size(), 1u);
  EXPECT_EQ((*releases)[0].lts, "Iron");
}

TEST(MirrorDocuments, NodeIndexTakesTheUpstreamEntryWithOnlyTheExportedFiles) {
  const std::string upstream =
      "[{\"version\":\"v20.11.1\",\"date\":\"2024-02-14\",\"files\":[\"linux-x64\",\"win-x64-zip\"],"
      "\"lts\":\"Iron\",\"security\":false}]";
  auto entry = node_index_entry(upstream, "20.11.1");
  ASSERT_TRUE(entry);
  EXPECT_FALSE(node_index_entry(upstream, "20.11.0"));
  EXPECT_FALSE(node_index_entry("<html>", "20.11.1"));
  auto text = merge_node_index("", "index.json", {{"20.11.1", {"linux-x64", "osx-arm64-tar"}, "", entry}});
  ASSERT_TRUE(text) << text.error();
  EXPECT_EQ(*text,
            "[\n{\"version\":\"v20.11.1\",\"date\":\"2024-02-14\",\"files\":[\"linux-x64\",\"osx-arm64-tar\"],"
            "\"lts\":\"Iron\",\"security\":false}\n]\n");
}

TEST(MirrorDocuments, AFolderDocumentThatIsNotAnIndexIsRefusedByName) {
  for (const char* bad : {"<html></html>", "{\"version\":\"v1.0.0\"}", "[{\"version\":\"1.0.0\"}]", "[42]"}) {
    auto node = merge_node_index(bad, "/srv/m/node/index.json", {{"20.11.1", {"linux-x64"}, "", {}}});
    ASSERT_FALSE(node) << bad;
    EXPECT_TRUE(contains(node.error(), "/srv/m/node/index.json is not a node index.json")) << node.error();
    EXPECT_TRUE(contains(node.error(), "move it away")) << node.error();
    auto go = merge_go_index(bad, "/srv/m/go/index.html", {});
    EXPECT_FALSE(go) << bad;
  }
  auto npm = merge_packument("{\"name\":\"other\"}", "/srv/m/npm/x/index.html", "x", {}, {});
  ASSERT_FALSE(npm);
  EXPECT_TRUE(contains(npm.error(), "is not the npm package document of x")) << npm.error();
}

TEST(MirrorDocuments, GoIndexReplacesExportedFilesAndReadsBackInTheBackend) {
  const std::string folder =
      "[{\"version\":\"go1.22.1\",\"stable\":true,\"files\":[{\"filename\":\"go1.22.1.darwin-arm64.tar.gz\","
      "\"os\":\"darwin\",\"arch\":\"arm64\",\"sha256\":\"" +
      kHexB + "\",\"kind\":\"archive\"}]}]";
  auto text =
      merge_go_index(folder, "index.html",
                     {{"1.22.1", std::nullopt, {{"go1.22.1.linux-amd64.tar.gz", "linux", "amd64", kHexA, 192}}},
                      {"1.23rc1", std::nullopt, {{"go1.23rc1.linux-amd64.tar.gz", "linux", "amd64", kHexA, 7}}}});
  ASSERT_TRUE(text) << text.error();
  auto releases = backends::core::parse_go_index(*text, "amd64", "index.html");
  ASSERT_TRUE(releases) << releases.error();
  ASSERT_EQ(releases->size(), 2u);
  EXPECT_EQ((*releases)[0].version, "1.22.1");
  EXPECT_TRUE((*releases)[0].stable) << "the folder said so";
  EXPECT_EQ((*releases)[0].archives.size(), 2u) << "darwin kept, linux added";
  EXPECT_EQ((*releases)[1].version, "1.23rc1");
  EXPECT_FALSE((*releases)[1].stable) << "unknown: a pre-release name says";
  EXPECT_EQ(go_index_stable(*text, "1.22.1"), std::optional<bool>(true));
  EXPECT_EQ(go_index_stable("nope", "1.22.1"), std::nullopt);
}

TEST(MirrorDocuments, SumsAreReplacedByFileAndCovered) {
  const std::string upstream = kHexB + "  node-v1.tar.gz\n" + kHexA + "  node-v1-linux-x64.tar.xz\n";
  EXPECT_TRUE(sums_cover(upstream, {{kHexA, "node-v1-linux-x64.tar.xz"}}));
  EXPECT_FALSE(sums_cover(upstream, {{kHexB, "node-v1-linux-x64.tar.xz"}}));
  EXPECT_FALSE(sums_cover(upstream, {{kHexA, "node-v1-linux-arm64.tar.xz"}}));
  EXPECT_EQ(merge_sums(upstream, {{kHexB, "node-v1-linux-x64.tar.xz"}, {kHexA, "x"}}),
            kHexB + "  node-v1.tar.gz\n" + kHexB + "  node-v1-linux-x64.tar.xz\n" + kHexA + "  x\n");
  std::map<std::string, backends::core::PythonArtifact> read;
  const std::string name = "cpython-3.12.7+20241016-x86_64-unknown-linux-gnu-install_only.tar.gz";
  ASSERT_TRUE(backends::core::parse_python_sums(merge_sums("", {{kHexA, name}}), "20241016", "x86_64-unknown-linux-gnu",
                                                "SHA256SUMS", read));
  EXPECT_EQ(read.at("3.12.7").sha256, kHexA);
}

TEST(MirrorDocuments, VersionLinesAreAUnionOldestFirstAndRefuseGarbage) {
  auto text =
      merge_version_lines("# ours\n1.82.0\n\n1.75.0  # old\n", "versions.txt", "# header", {"1.83.0", "1.82.0"});
  ASSERT_TRUE(text) << text.error();
  EXPECT_EQ(*text, "# header\n1.75.0\n1.82.0\n1.83.0\n");
  auto bad = merge_version_lines("1.0\n../x\n", "/srv/m/rust/versions.txt", "#", {});
  ASSERT_FALSE(bad);
  EXPECT_TRUE(contains(bad.error(), "/srv/m/rust/versions.txt:2")) << bad.error();
}

TEST(MirrorDocuments, RustManifestHoldsEveryExportedTargetAndReadsBack) {
  const std::string linux = "x86_64-unknown-linux-gnu", mac = "aarch64-apple-darwin";
  const std::string base = "https://static.rust-lang.org/dist/2024-10-17/rust-1.82.0-";
  auto first = merge_rust_manifest("", "m.toml", "1.82.0", {{linux, base + linux + ".tar.xz", kHexA}});
  ASSERT_TRUE(first) << first.error();
  auto both = merge_rust_manifest(*first, "m.toml", "1.82.0", {{mac, base + mac + ".tar.xz", kHexB}});
  ASSERT_TRUE(both) << both.error();
  auto read = backends::core::parse_rust_targets(*both, "m.toml", {linux, mac});
  ASSERT_TRUE(read) << read.error();
  EXPECT_EQ(read->version, "1.82.0");
  ASSERT_EQ(read->targets.size(), 2u);
  EXPECT_EQ(read->targets[0].url, base + linux + ".tar.xz");
  EXPECT_EQ(read->targets[1].sha256, kHexB);
  auto other = merge_rust_manifest(*both, "/srv/m/rust/dist/channel-rust-1.83.0.toml", "1.83.0", {});
  ASSERT_FALSE(other);
  EXPECT_TRUE(contains(other.error(), "describes rust 1.82.0, not 1.83.0")) << other.error();
  EXPECT_FALSE(merge_rust_manifest("[pkg", "m.toml", "1.82.0", {}));
}

TEST(MirrorDocuments, PackumentUnitesVersionsAndKeepsOnlyTagsAndTimesOfVersionsItHolds) {
  boost::json::object dist{{"tarball", "https://registry.npmjs.org/@s/x/-/x-1.0.0.tgz"},
                           {"integrity", "sha512-AAAA"},
                           {"signatures", boost::json::array{boost::json::object{{"keyid", "k"}, {"sig", "MEU="}}}}};
  auto v1 = npm_version_document(R"({"name":"x","version":"1.0.0","bin":"b.js","dependencies":{"y":"^1"}})",
                                 "package.json", "@s/x", "1.0.0", dist);
  ASSERT_TRUE(v1) << v1.error();
  EXPECT_EQ(v1->at("name").as_string(), "@s/x");
  EXPECT_EQ(v1->at("dependencies").at("y").as_string(), "^1");
  EXPECT_FALSE(npm_version_document("[1]", "p.json", "x", "1", {}));
  auto first = merge_packument("", "x/index.html", "@s/x", {{"1.0.0", *v1}}, {{"latest", "1.0.0"}, {"next", "9.0.0"}},
                               {{"1.0.0", "2024-02-14T10:00:00.000Z"}, {"9.0.0", "2025-01-01T00:00:00.000Z"}});
  ASSERT_TRUE(first) << first.error();
  EXPECT_EQ(
      *first,
      R"({"name":"@s/x","dist-tags":{"latest":"1.0.0"},"versions":{"1.0.0":{"name":"@s/x","version":"1.0.0",)"
      R"("bin":"b.js","dependencies":{"y":"^1"},"dist":{"tarball":"https://registry.npmjs.org/@s/x/-/x-1.0.0.tgz",)"
      R"("integrity":"sha512-AAAA","signatures":[{"keyid":"k","sig":"MEU="}]}}},)"
      R"("time":{"1.0.0":"2024-02-14T10:00:00.000Z"}})"
      "\n");
  boost::json::object v2 = *v1;
  v2["version"] = "2.0.0";
  auto both = merge_packument(*first, "x/index.html", "@s/x", {{"2.0.0", v2}}, {{"latest", "2.0.0"}});
  ASSERT_TRUE(both) << both.error();
  EXPECT_TRUE(contains(*both, "\"dist-tags\":{\"latest\":\"2.0.0\"}")) << *both;
  EXPECT_TRUE(contains(*both, "\"1.0.0\":{")) << *both;
  EXPECT_TRUE(contains(*both, "\"2.0.0\":{")) << *both;
  EXPECT_TRUE(contains(*both, "\"time\":{\"1.0.0\":\"2024-02-14T10:00:00.000Z\"}")) << *both;
}

TEST(MirrorPublish, PathUnderAcceptsOnlyPathsAStaticServerMapsToThatFile) {
  const std::string base = "https://nodejs.org/dist";
  EXPECT_EQ(path_under(base + "/v1.0.0/node-v1.0.0-linux-x64.tar.xz", base, "x").value(),
            "v1.0.0/node-v1.0.0-linux-x64.tar.xz");
  EXPECT_EQ(path_under("https://github.com/x/releases/download/20241016/cpython-3.12.7+20241016-x.tar.gz",
                       "https://github.com/x/releases/download", "x")
                .value(),
            "20241016/cpython-3.12.7+20241016-x.tar.gz");
  for (const std::string& bad :
       {base + "/../etc/passwd", base + "/v1//x", base + "/%2e%2e/x", base + "/x?y=1", base + "/x#y", base + "/",
        base + "x/y", std::string("https://evil.example/dist/x"), base + "/a\\b", base + "/a\nb"}) {
    auto rel = path_under(bad, base, "node 1.0.0 (linux-x64)");
    ASSERT_FALSE(rel) << bad;
    EXPECT_TRUE(contains(rel.error(), "cannot place node 1.0.0 (linux-x64) in the mirror")) << rel.error();
  }
}

TEST(MirrorPublish, DocumentsAndArtifactsAppearWholeAndUnchangedOnesStay) {
  ScopedTempDir dir;
  const std::string cache = dir.path() + "/cache/a.tar.xz";
  write_text(cache, "artifact bytes");
  auto sum = net::hash_file(cache, net::HashAlgorithm::sha256);
  ASSERT_TRUE(sum);
  Publisher out(dir.path() + "/mirror");
  ASSERT_TRUE(out.put_artifact("node/v1/a.tar.xz", cache, *sum));
  ASSERT_TRUE(out.put_artifact("node/v1/a.tar.xz", cache, *sum));
  EXPECT_EQ(read_text(dir.path() + "/mirror/node/v1/a.tar.xz"), "artifact bytes");
  EXPECT_EQ(out.counts().artifacts, 1);
  EXPECT_EQ(out.counts().unchanged, 1);
  EXPECT_EQ(out.counts().linked, 1) << "same filesystem: a hard link";
  ASSERT_TRUE(out.write("node/index.json", "[]\n"));
  ASSERT_TRUE(out.write("node/index.json", "[]\n"));
  EXPECT_EQ(out.counts().documents, 1) << "an unchanged document is not rewritten";
  EXPECT_EQ(out.read("node/index.json").value(), std::optional<std::string>("[]\n"));
  EXPECT_EQ(out.read("node/none.json").value(), std::nullopt);
  EXPECT_FALSE(out.read("node/v1"));  // a folder
  ASSERT_TRUE(out.remove("node/index.json"));
  ASSERT_TRUE(out.remove("node/index.json"));
}

TEST(MirrorPublish, AcrossFilesystemsTheCopyIsHashedAsItIsWritten) {
  ScopedTempDir dir;
  struct stat shm {
  }, tmp{};
  if (::stat("/dev/shm", &shm) != 0 || ::stat(dir.path().c_str(), &tmp) != 0 || shm.st_dev == tmp.st_dev)
    GTEST_SKIP() << "needs /dev/shm on another filesystem than /tmp";
  const std::string cache = "/dev/shm/rtx-mirror-test-" + std::to_string(::getpid());
  write_text(cache, "artifact bytes");
  auto sum = net::hash_file(cache, net::HashAlgorithm::sha256);
  ASSERT_TRUE(sum);
  Publisher out(dir.path() + "/mirror");
  ASSERT_TRUE(out.put_artifact("go/a.tar.gz", cache, *sum));
  EXPECT_EQ(read_text(dir.path() + "/mirror/go/a.tar.gz"), "artifact bytes");
  EXPECT_EQ(out.counts().linked, 0);
  // A cache file whose bytes are not the checksum's: refused, nothing left.
  auto other = net::checksum_from_hex(net::HashAlgorithm::sha256, kHexA);
  auto st = out.put_artifact("go/b.tar.gz", cache, *other);
  ::unlink(cache.c_str());
  ASSERT_FALSE(st);
  EXPECT_TRUE(contains(st.error(), "changed while it was copied")) << st.error();
  EXPECT_EQ(test::list_dir(dir.path() + "/mirror/go"), std::vector<std::string>{"a.tar.gz"});
}

}  // namespace
}  // namespace rtx::mirror
