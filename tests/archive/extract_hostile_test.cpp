// DESIGN.md §9: hostile archives are refused with one line naming the entry,
// and nothing is left behind: not in the destination's folder, not outside it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <archive_entry.h>

#include "extract_fixture.hpp"

namespace rtx::test {
namespace {

class Hostile : public ExtractTest {
 protected:
  // A harmless entry first, so a refusal comes after something was written.
  ArchiveBuilder starting_fine() {
    ArchiveBuilder b;
    b.dir("pkg", 0755);
    b.file("pkg/ok", "fine", 0644);
    return b;
  }
};

TEST_F(Hostile, DotDotEntry) {
  expect_refused(build_and_extract(starting_fine().file("../evil", "x")), "'../evil' climbs out of the destination");
  EXPECT_FALSE(exists(tmp_ / "out/evil"));
}

TEST_F(Hostile, DotDotInTheMiddle) {
  expect_refused(build_and_extract(starting_fine().file("pkg/../../evil", "x")), "climbs out");
  EXPECT_FALSE(exists(tmp_ / "out/evil"));
}

TEST_F(Hostile, AbsolutePath) {
  std::string victim = tmp_ / "absolute-victim";
  expect_refused(build_and_extract(starting_fine().file(victim, "x")), "has an absolute path");
  EXPECT_FALSE(exists(victim));
}

TEST_F(Hostile, SymlinkToAnAbsolutePath) {
  expect_refused(build_and_extract(starting_fine().symlink("pkg/etc", "/etc")),
                 "is a symlink to the absolute path '/etc'");
}

TEST_F(Hostile, SymlinkClimbingOutRelatively) {
  // From pkg/sub the target climbs three levels: one past the destination.
  expect_refused(build_and_extract(starting_fine().dir("pkg/sub").symlink("pkg/sub/out", "../../../x")),
                 "points outside the destination");
}

TEST_F(Hostile, SymlinkClimbingOutThroughAnotherSymlink) {
  // "d/up" -> ".." stays inside; "esc" -> "d/up/../.." reads as inside, but
  // the kernel follows d/up first and then climbs out.
  ArchiveBuilder b = starting_fine();
  b.dir("d").symlink("d/up", "..").symlink("esc", "d/up/../..");
  expect_refused(build_and_extract(b), "not a plain directory");
}

TEST_F(Hostile, HardlinkEscaping) {
  expect_refused(build_and_extract(starting_fine().hardlink("pkg/passwd", "../../../etc/passwd")),
                 "is a hardlink whose target climbs out");
}

TEST_F(Hostile, HardlinkToAnAbsolutePath) {
  expect_refused(build_and_extract(starting_fine().hardlink("pkg/passwd", "/etc/passwd")),
                 "is a hardlink whose target has an absolute path");
}

TEST_F(Hostile, HardlinkToSomethingNotYetExtracted) {
  expect_refused(build_and_extract(starting_fine().hardlink("pkg/h", "pkg/later").file("pkg/later", "x")),
                 "which no earlier entry extracted");
}

// A second name for a symlink would resolve from another directory.
TEST_F(Hostile, HardlinkToASymlink) {
  ArchiveBuilder b = starting_fine();
  b.dir("a/b").symlink("a/b/l", "../../pkg/ok").hardlink("top", "a/b/l");
  expect_refused(build_and_extract(b), "which is not a regular file");
}

TEST_F(Hostile, CharacterDevice) {
  expect_refused(build_and_extract(starting_fine().special("pkg/null", AE_IFCHR)), "'pkg/null' is a device file");
}

TEST_F(Hostile, BlockDevice) {
  expect_refused(build_and_extract(starting_fine().special("pkg/disk", AE_IFBLK)), "is a device file");
}

TEST_F(Hostile, Fifo) { expect_refused(build_and_extract(starting_fine().special("pkg/pipe", AE_IFIFO)), "is a FIFO"); }

// A device node is refused even where strip_components would drop it.
TEST_F(Hostile, DeviceFileEvenWhenStrippedAway) {
  ArchiveBuilder b;
  b.special("null", AE_IFCHR);
  b.file("pkg/ok", "fine");
  expect_refused(build_and_extract(b, Format::TarGz, 1), "is a device file");
}

// The classic: a symlink to somewhere, then a file "through" it. Even with a
// symlink that stays inside, nothing is ever written through a symlink.
TEST_F(Hostile, SymlinkThenWriteThroughIt) {
  ArchiveBuilder b = starting_fine();
  b.symlink("link", "pkg").file("link/planted", "x");
  expect_refused(build_and_extract(b), "'link/planted' goes through 'link', a symlink made by an earlier entry");
}

TEST_F(Hostile, SymlinkThenDirectoryThroughIt) {
  ArchiveBuilder b = starting_fine();
  b.symlink("link", ".").dir("link/sub");
  expect_refused(build_and_extract(b), "goes through 'link'");
}

TEST_F(Hostile, SymlinkThenHardlinkThroughIt) {
  ArchiveBuilder b = starting_fine();
  b.symlink("link", "pkg").hardlink("link/h", "pkg/ok");
  expect_refused(build_and_extract(b), "goes through 'link'");
}

TEST_F(Hostile, SymlinkThenDeepWriteThroughIt) {
  ArchiveBuilder b = starting_fine();
  b.dir("pkg/deep").symlink("pkg/deep/link", "..").file("pkg/deep/link/deeper/f", "x");
  expect_refused(build_and_extract(b), "goes through 'pkg/deep/link'");
}

// A symlink replaced by a directory of the same name would let an earlier
// check be outdated: directories and symlinks never replace each other.
TEST_F(Hostile, DirectoryOverASymlink) {
  ArchiveBuilder b = starting_fine();
  b.symlink("x", "pkg").dir("x");
  expect_refused(build_and_extract(b), "is a directory, but an earlier entry made it a file or symlink");
}

TEST_F(Hostile, FileOverADirectory) {
  ArchiveBuilder b = starting_fine();
  b.file("pkg", "x");
  expect_refused(build_and_extract(b), "replaces a directory");
}

TEST_F(Hostile, EntryNamesWithControlCharactersStayOnOneLine) {
  expect_refused(build_and_extract(starting_fine().file("../a\nb", "x")), "'../a\\x0ab'");
}

}  // namespace
}  // namespace rtx::test
