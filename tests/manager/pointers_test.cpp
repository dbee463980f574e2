// installs/<tool>/ pointers and fuzzy links (DESIGN.md §2, §4).
#include "manager/store/pointers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <map>

#include "fs_helpers.hpp"
#include "resolver/build_meta.hpp"
#include "tests/support/temp_dir.hpp"

namespace rtx::store {
namespace {

using test::link_target;
using test::path_exists;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

struct PointersTest : ::testing::Test {
  test::ScopedTempDir tmp;
  resolver::StoreLayout layout{tmp / "data"};

  // A pointer for `version` naming a made-up build (the pointer code never
  // looks into the store).
  void point(const std::string& tool, const std::string& version) {
    ASSERT_TRUE(set_pointer(layout, tool, version, version + "-b" + std::to_string(++builds_)));
  }
  // Every name in installs/<tool>/ with its link target.
  std::map<std::string, std::string> links(const std::string& tool) {
    std::map<std::string, std::string> out;
    for (const auto& n : test::list_dir(layout.installs_dir(tool))) out[n] = link_target(layout.pointer_path(tool, n));
    return out;
  }
  int builds_ = 0;
};

TEST_F(PointersTest, SetPointerWritesARelativeLinkIntoTheStore) {
  ASSERT_TRUE(set_pointer(layout, "node", "20.11.1", "20.11.1-abc"));
  EXPECT_EQ(link_target(tmp / "data/installs/node/20.11.1"), "../../store/node/20.11.1-abc");
  EXPECT_EQ(resolver::pointer_entry(layout, "node", "20.11.1"), "20.11.1-abc");
  ASSERT_TRUE(set_pointer(layout, "node", "20.11.1", "20.11.1-def"));
  EXPECT_EQ(resolver::pointer_entry(layout, "node", "20.11.1"), "20.11.1-def");
  EXPECT_THAT(test::list_dir(layout.installs_dir("node")), ElementsAre("20.11.1"));
}

TEST_F(PointersTest, ScopedToolNamesUsePlus) {
  ASSERT_TRUE(set_pointer(layout, "npm:@scope/pkg", "1.0.0", "1.0.0-abc"));
  EXPECT_EQ(link_target(tmp / "data/installs/npm:@scope+pkg/1.0.0"), "../../store/npm:@scope+pkg/1.0.0-abc");
  auto ps = list_pointers(layout, "npm:@scope/pkg");
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].entry, "1.0.0-abc");
}

TEST_F(PointersTest, RemovePointerRemovesOnlyThatPointer) {
  point("node", "18.0.0");
  point("node", "20.0.0");
  ASSERT_TRUE(remove_pointer(layout, "node", "18.0.0"));
  EXPECT_FALSE(path_exists(layout.pointer_path("node", "18.0.0")));
  EXPECT_TRUE(path_exists(layout.pointer_path("node", "20.0.0")));
  EXPECT_TRUE(remove_pointer(layout, "node", "18.0.0")) << "removing a missing pointer is not an error";
  EXPECT_TRUE(remove_pointer(layout, "deno", "1.0.0")) << "nor is a tool without installs/";
}

TEST_F(PointersTest, ListPointersSkipsFuzzyLinks) {
  point("node", "20.1.0");
  point("node", "18.2.0");
  ASSERT_TRUE(refresh_fuzzy_links(layout, "node"));
  ASSERT_TRUE(path_exists(layout.pointer_path("node", "latest")));
  std::vector<std::string> versions;
  for (const auto& p : list_pointers(layout, "node")) versions.push_back(p.version + "=" + p.entry);
  EXPECT_THAT(versions, UnorderedElementsAre("20.1.0=20.1.0-b1", "18.2.0=18.2.0-b2"));
}

TEST_F(PointersTest, FuzzyLinksNameTheNewestMatchByWholeComponents) {
  for (const char* v : {"1.2.3", "1.2.10", "1.10.0", "1.9.9", "2.0.0"}) point("node", v);
  ASSERT_TRUE(refresh_fuzzy_links(layout, "node"));
  auto l = links("node");
  EXPECT_EQ(l["1"], "1.10.0");
  EXPECT_EQ(l["1.2"], "1.2.10") << "numeric order per component: 1.2.10 > 1.2.3";
  EXPECT_EQ(l["1.10"], "1.10.0");
  EXPECT_EQ(l["1.9"], "1.9.9");
  EXPECT_EQ(l["2"], "2.0.0");
  EXPECT_EQ(l["2.0"], "2.0.0");
  EXPECT_EQ(l["latest"], "2.0.0");
  EXPECT_EQ(l.size(), 12u) << "5 pointers and 7 fuzzy links, nothing else";
}

// A spec matches at any of . - + _ (1.2 matches 1.2-5), so the links are made
// at each: the link named like a spec is what the listing would pick.
TEST_F(PointersTest, FuzzyLinksAtEverySeparatorAChildOfTheSpecCanFollow) {
  for (const char* v : {"1.2.9", "1.2-5", "17.0.2+8", "3_1_0"}) point("node", v);
  ASSERT_TRUE(refresh_fuzzy_links(layout, "node"));
  auto l = links("node");
  EXPECT_EQ(l["1"], "1.2.9");
  EXPECT_EQ(l["1.2"], "1.2.9") << "1.2.9 > 1.2-5";
  EXPECT_EQ(l["17"], "17.0.2+8");
  EXPECT_EQ(l["17.0.2"], "17.0.2+8");
  EXPECT_EQ(l["3"], "3_1_0");
  EXPECT_EQ(l["3_1"], "3_1_0");
}

TEST_F(PointersTest, FuzzyLinksSkipPrereleases) {
  for (const char* v : {"2.0.0", "2.1.0-rc1", "3.0.0-beta2"}) point("node", v);
  ASSERT_TRUE(refresh_fuzzy_links(layout, "node"));
  auto l = links("node");
  EXPECT_EQ(l["latest"], "2.0.0");
  EXPECT_EQ(l["2"], "2.0.0");
  EXPECT_EQ(l.count("2.1"), 0u);
  EXPECT_EQ(l.count("3"), 0u);
  EXPECT_EQ(l.count("3.0"), 0u);
}

TEST_F(PointersTest, OnlyPrereleasesGiveNoLatest) {
  point("node", "3.0.0-rc1");
  ASSERT_TRUE(refresh_fuzzy_links(layout, "node"));
  EXPECT_THAT(links("node"), ElementsAre(::testing::Key("3.0.0-rc1")));
}

TEST_F(PointersTest, StaleFuzzyLinksAreRemovedAndMovedOnes) {
  point("node", "1.0.0");
  point("node", "2.0.0");
  ASSERT_TRUE(refresh_fuzzy_links(layout, "node"));
  ASSERT_EQ(links("node")["2"], "2.0.0");
  ASSERT_EQ(links("node")["latest"], "2.0.0");
  ASSERT_TRUE(::symlink("9.9.9", layout.pointer_path("node", "9").c_str()) == 0);  // left by an older run

  ASSERT_TRUE(remove_pointer(layout, "node", "2.0.0"));
  ASSERT_TRUE(refresh_fuzzy_links(layout, "node"));
  auto l = links("node");
  EXPECT_EQ(l.count("2"), 0u);
  EXPECT_EQ(l.count("2.0"), 0u);
  EXPECT_EQ(l.count("9"), 0u);
  EXPECT_EQ(l["latest"], "1.0.0");
  EXPECT_EQ(l["1"], "1.0.0");
  EXPECT_EQ(l.size(), 4u);  // 1.0.0, 1, 1.0, latest
}

TEST_F(PointersTest, NoPointersLeaveNoFuzzyLinks) {
  point("node", "1.0.0");
  ASSERT_TRUE(refresh_fuzzy_links(layout, "node"));
  ASSERT_TRUE(remove_pointer(layout, "node", "1.0.0"));
  ASSERT_TRUE(refresh_fuzzy_links(layout, "node"));
  EXPECT_THAT(links("node"), IsEmpty());
}

// A version named like a fuzzy prefix ("2", as go or deno publish) is an exact
// pointer: refresh never turns it into a link to "2.1.0".
TEST_F(PointersTest, NeverReplacesAnExactPointerName) {
  point("tool", "2");
  point("tool", "2.1.0");
  ASSERT_TRUE(refresh_fuzzy_links(layout, "tool"));
  EXPECT_EQ(resolver::pointer_entry(layout, "tool", "2"), "2-b1");
  auto l = links("tool");
  EXPECT_EQ(l["2.1"], "2.1.0");
  EXPECT_EQ(l["latest"], "2.1.0");
  ASSERT_TRUE(refresh_fuzzy_links(layout, "tool"));  // idempotent
  EXPECT_EQ(resolver::pointer_entry(layout, "tool", "2"), "2-b1");
  EXPECT_EQ(links("tool").size(), 4u);  // 2, 2.1, 2.1.0, latest
}

TEST_F(PointersTest, FuzzyLinksFollowANewerInstall) {
  point("node", "20.10.0");
  ASSERT_TRUE(refresh_fuzzy_links(layout, "node"));
  EXPECT_EQ(links("node")["20"], "20.10.0");
  point("node", "20.11.1");
  ASSERT_TRUE(refresh_fuzzy_links(layout, "node"));
  auto l = links("node");
  EXPECT_EQ(l["20"], "20.11.1");
  EXPECT_EQ(l["20.10"], "20.10.0");
  EXPECT_EQ(l["20.11"], "20.11.1");
  EXPECT_EQ(l["latest"], "20.11.1");
  for (const auto& n : test::list_dir(layout.installs_dir("node"))) EXPECT_NE(n[0], '.') << n;
}

// Aliases a build's meta names ("lts", "lts-iron" for node) link to the newest
// build carrying them, and move or vanish with the pointers.
TEST_F(PointersTest, AliasLinksComeFromEachBuildsMeta) {
  auto with_aliases = [&](const std::string& version, const std::string& meta) {
    point("node", version);
    std::string entry = layout.entry_path("node", resolver::pointer_entry(layout, "node", version));
    test::write_text(resolver::meta_path(entry), meta);
  };
  test::make_dirs(layout.store_dir("node"));
  with_aliases("20.10.0", "bin bin\nalias lts\nalias lts-iron\n");
  with_aliases("20.11.1", "bin bin\nalias lts\nalias lts-iron\n");
  with_aliases("18.19.1", "alias lts\nalias lts-hydrogen\nalias ../evil\nalias 7\n");
  with_aliases("21.6.2", "bin bin\n");
  ASSERT_TRUE(refresh_fuzzy_links(layout, "node"));
  auto l = links("node");
  EXPECT_EQ(l["lts"], "20.11.1");
  EXPECT_EQ(l["lts-iron"], "20.11.1");
  EXPECT_EQ(l["lts-hydrogen"], "18.19.1");
  EXPECT_EQ(l["latest"], "21.6.2");
  EXPECT_EQ(l.count("7"), 0u) << "an alias that looks like a version prefix is refused";

  ASSERT_TRUE(remove_pointer(layout, "node", "20.11.1"));
  ASSERT_TRUE(remove_pointer(layout, "node", "20.10.0"));
  ASSERT_TRUE(refresh_fuzzy_links(layout, "node"));
  l = links("node");
  EXPECT_EQ(l["lts"], "18.19.1");
  EXPECT_EQ(l.count("lts-iron"), 0u);
}

}  // namespace
}  // namespace rtx::store
