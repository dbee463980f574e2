// Hostile archives, an expansion limit and a full disk through a whole
// `rtx install` (DESIGN.md §9; issue 4 item 6): the real rtx against a fixture
// node mirror on 127.0.0.1 whose 20.11.1 tarball is hostile but listed in
// SHASUMS256.txt with its true checksum, so it passes verification and reaches
// extraction. Each install must fail with one line, leave nothing in the store
// nor outside it, and keep 20.10.0 running. tests/archive/ checks the same
// refusals one module down.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <archive_entry.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "clean_failure.hpp"
#include "tests/archive/archive_builder.hpp"
#include "tests/support/scoped_tmpfs.hpp"
#include "tests/support/temp_dir.hpp"

namespace rtx::e2e {
namespace {

namespace fs = std::filesystem;
using test::ArchiveBuilder;

// n times "../": from any folder under /tmp, enough to reach "/".
std::string up(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += "../";
  return out;
}

std::string random_bytes(std::size_t size, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string out(size, '\0');
  for (std::size_t i = 0; i + 8 <= size; i += 8) {
    std::uint64_t x = rng();
    std::memcpy(&out[i], &x, 8);
  }
  return out;
}

// Every path under `root` (relative, sorted); links are listed, not followed.
// locks/ is left out: its flock files stay by design (DESIGN.md §2), one per
// tool@version ever asked for.
std::vector<std::string> tree(const std::string& root) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    std::string rel = it->path().lexically_relative(root).string();
    if (rel.rfind("locks/", 0) != 0) out.push_back(rel);
  }
  std::sort(out.begin(), out.end());
  return out;
}

class HostileInstall : public NodeWorld {
 protected:
  // The top folder every node tarball has (stripped by the backend).
  static std::string top() { return "node-v20.11.1-linux-" + NodeMirror::arch(); }

  // A working node 20.11.1 so far: the hostile entry comes after something was written.
  static ArchiveBuilder starting_fine() {
    ArchiveBuilder b;
    b.dir(top()).dir(top() + "/bin").file(top() + "/bin/node", "#!/bin/sh\necho v20.11.1\n", 0755);
    return b;
  }

  // A folder outside the world's roots holding a file an escaping entry would
  // overwrite.
  void SetUp() override {
    outside = world.root() + "/outside";
    fs::create_directories(outside);
    std::ofstream(outside + "/victim") << "original";
  }

  // Replaces 20.11.1's tarball by `archive`, with its true sha256 in SHASUMS256.txt.
  void publish_20_11_1(const ArchiveBuilder& archive) {
    test::ScopedTempDir tmp;
    std::string path = tmp / NodeMirror::artifact_name("20.11.1");
    archive.write(path, test::Format::TarXz);
    std::string sha = capture("sha256sum '" + path + "' | cut -d' ' -f1");
    sha.resize(64);
    tarball_bytes = slurp(path).size();
    server.add_file(node.tarball_path("20.11.1"), slurp(path));
    server.add_file(node.shasums_path("20.11.1"), sha + "  " + NodeMirror::artifact_name("20.11.1") + "\n");
  }

  // `rtx install node@20.11.1` fails cleanly (clean_failure.hpp) with one line
  // naming `what`; the data dir is exactly as before and nothing appeared outside.
  void expect_refused(const std::string& what) {
    std::vector<std::string> before = tree(world.data());
    Output o = expect_clean_failure("node@20.11.1", what);
    EXPECT_EQ(server.request_count(node.tarball_path("20.11.1")), 1) << "the refusal must come from extraction";
    EXPECT_EQ(tree(world.data()), before) << o.err;
    expect_outside_untouched();
  }

  void expect_outside_untouched() const {
    EXPECT_EQ(tree(outside), std::vector<std::string>{"victim"});
    EXPECT_EQ(world.read(outside + "/victim"), "original");
    struct stat st {};
    ASSERT_EQ(::stat((outside + "/victim").c_str(), &st), 0);
    EXPECT_EQ(st.st_nlink, 1u) << "a hardlink to the victim was made";
  }

  // `outside` as a path relative to "/", for entries that climb there.
  std::string outside_from_root() const { return outside.substr(1); }

  std::string outside;
  std::size_t tarball_bytes = 0;
};

TEST_F(HostileInstall, EntryWithDotDot) {
  with_node_installed();
  publish_20_11_1(starting_fine().file(top() + "/" + up(20) + outside_from_root() + "/escaped", "x"));
  expect_refused("climbs out of the destination");
}

TEST_F(HostileInstall, AbsolutePath) {
  with_node_installed();
  publish_20_11_1(starting_fine().file(outside + "/escaped", "x"));
  expect_refused("'" + outside + "/escaped' has an absolute path");
}

TEST_F(HostileInstall, SymlinkToAnAbsolutePath) {
  with_node_installed();
  publish_20_11_1(starting_fine().symlink(top() + "/lib", outside).file(top() + "/lib/escaped", "x"));
  expect_refused("is a symlink to the absolute path '" + outside + "'");
}

TEST_F(HostileInstall, SymlinkClimbingOutRelatively) {
  with_node_installed();
  publish_20_11_1(
      starting_fine().symlink(top() + "/lib", up(20) + outside_from_root()).file(top() + "/lib/escaped", "x"));
  expect_refused("points outside the destination");
}

// The classic: a hardlink to a file outside, then data written "into" it.
TEST_F(HostileInstall, HardlinkEscaping) {
  with_node_installed();
  publish_20_11_1(starting_fine()
                      .hardlink(top() + "/lib/victim", up(20) + outside_from_root() + "/victim")
                      .file(top() + "/lib/victim", "pwned"));
  expect_refused("is a hardlink whose target climbs out");
}

TEST_F(HostileInstall, CharacterDevice) {
  with_node_installed();
  publish_20_11_1(starting_fine().special(top() + "/mem", AE_IFCHR));
  expect_refused("'" + top() + "/mem' is a device file");
}

TEST_F(HostileInstall, BlockDevice) {
  with_node_installed();
  publish_20_11_1(starting_fine().special(top() + "/sda", AE_IFBLK));
  expect_refused("'" + top() + "/sda' is a device file");
}

TEST_F(HostileInstall, Fifo) {
  with_node_installed();
  publish_20_11_1(starting_fine().special(top() + "/pipe", AE_IFIFO));
  expect_refused("'" + top() + "/pipe' is a FIFO");
}

// A small bomb: 2 MiB of zeros packs into a few KiB. 20.10.0 installs fine
// under the same limit.
TEST_F(HostileInstall, ExpandedSizePastTheLimit) {
  world.set_env("RTX_MAX_EXTRACT_BYTES", "1M");
  with_node_installed();
  publish_20_11_1(starting_fine().file(top() + "/lib/zeros", std::string(2 << 20, '\0')));
  EXPECT_LT(tarball_bytes, 16u << 10);
  expect_refused("entry '" + top() +
                 "/lib/zeros' declares 2.0 MiB, which takes the expanded size past the limit of 1.0 MiB");
}

// Each file is under the limit; together they are not.
TEST_F(HostileInstall, ManyFilesTogetherPastTheLimit) {
  world.set_env("RTX_MAX_EXTRACT_BYTES", "1024K");
  with_node_installed();
  ArchiveBuilder b = starting_fine();
  for (int i = 0; i < 4; ++i) b.file(top() + "/lib/part" + std::to_string(i), std::string(400 << 10, '\0'));
  publish_20_11_1(b);
  expect_refused("/lib/part2' declares 400 KiB, which takes the expanded size past the limit of 1.0 MiB");
}

TEST_F(HostileInstall, MaxExtractBytesThatIsNotASize) {
  with_node_installed();
  for (std::string value : {"lots", "0", "12X", "1.5G", "-1M", "M", "1 M", "99999999999999999999", "17179869184G"}) {
    SCOPED_TRACE(value);
    world.set_env("RTX_MAX_EXTRACT_BYTES", value);
    Output o = expect_clean_failure("node@20.11.1", "");
    EXPECT_EQ(error_lines(o), std::vector<std::string>{"rtx: installing node 20.11.1 failed, nothing changed: "
                                                       "RTX_MAX_EXTRACT_BYTES='" +
                                                       value + "' is not a size (e.g. 512M, 8G): fix or unset it"});
  }
  EXPECT_EQ(server.request_count(node.tarball_path("20.11.1")), 0) << "downloaded despite the bad setting";
  world.set_env("RTX_MAX_EXTRACT_BYTES", "64m");
  Output fine = rtx({"install", "node@20.11.1"});
  EXPECT_EQ(fine.status, 0) << fine.err;
}

// RTX_DATA_DIR (the store) on a 2 MiB tmpfs, the download cache elsewhere: the
// download succeeds and extraction runs out of space.
TEST_F(HostileInstall, DiskFullDuringExtraction) {
  test::ScopedTmpfs disk(world.data(), "2m");
  if (!disk.mounted()) GTEST_SKIP() << disk.error() << ": the disk-full case needs a small filesystem";
  with_node_installed();
  ArchiveBuilder b = starting_fine();
  for (int i = 0; i < 4; ++i) b.file(top() + "/lib/blob" + std::to_string(i), random_bytes(1 << 20, i + 1));
  publish_20_11_1(b);
  EXPECT_GT(tarball_bytes, 4u << 20) << "the data must not compress";
  expect_refused("no space left on device while extracting ");
}

}  // namespace
}  // namespace rtx::e2e
