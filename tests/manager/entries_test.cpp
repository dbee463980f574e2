// store entries (DESIGN.md §2, §3): create in BUILDING, change state, remove,
// list entries and tools.
#include "manager/store/entries.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <map>

#include "fs_helpers.hpp"
#include "tests/support/temp_dir.hpp"

namespace rtx::store {
namespace {

using test::list_dir;
using test::path_exists;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

struct EntriesTest : ::testing::Test {
  test::ScopedTempDir tmp;
  StoreLayout layout{tmp / "data"};
};

TEST_F(EntriesTest, CreateBuildingEntryLaysOutStateLeaseAndPrefix) {
  auto e = create_building_entry(layout, "node", "20.11.1");
  ASSERT_TRUE(e) << e.error();
  EXPECT_EQ(e->tool, "node");
  EXPECT_EQ(e->version, "20.11.1");
  EXPECT_EQ(e->state, EntryState::Building);
  ASSERT_EQ(e->name.rfind("20.11.1-", 0), 0u) << e->name;
  std::string build = e->name.substr(std::string("20.11.1-").size());
  EXPECT_FALSE(build.empty());
  EXPECT_EQ(build.find('-'), std::string::npos) << "a build id must not contain '-': " << build;
  EXPECT_EQ(e->path, layout.store_dir("node") + "/" + e->name);

  EXPECT_EQ(test::read_text(e->path + ".state"), "BUILDING\n");
  EXPECT_EQ(resolver::read_state(e->path), EntryState::Building);
  struct stat st {};
  ASSERT_EQ(::stat((e->path + ".lease").c_str(), &st), 0) << "no lease file";
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_size, 0);
  EXPECT_TRUE(test::is_dir(e->path));
  EXPECT_THAT(list_dir(e->path), IsEmpty());
  EXPECT_THAT(list_dir(layout.store_dir("node")),
              UnorderedElementsAre(e->name, e->name + ".lease", e->name + ".state"));
}

TEST_F(EntriesTest, EveryBuildOfAVersionGetsItsOwnEntry) {
  auto a = create_building_entry(layout, "node", "20.11.1");
  auto b = create_building_entry(layout, "node", "20.11.1");
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->name, b->name);
  EXPECT_TRUE(test::is_dir(a->path));
  EXPECT_TRUE(test::is_dir(b->path));
}

TEST_F(EntriesTest, VersionWithDashesKeepsItsNameInTheEntry) {
  auto e = create_building_entry(layout, "python", "3.13.0-rc1");
  ASSERT_TRUE(e) << e.error();
  EXPECT_EQ(version_of_entry(e->name), "3.13.0-rc1");
  auto listed = list_entries(layout, "python");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].version, "3.13.0-rc1");
}

TEST_F(EntriesTest, CreateFailsCleanlyWhenTheStoreCannotBeCreated) {
  test::write_text(tmp / "data/store", "a file where the store folder should be");
  auto e = create_building_entry(layout, "node", "1.0.0");
  ASSERT_FALSE(e);
  EXPECT_THAT(e.error(), ::testing::HasSubstr(tmp / "data/store"));
}

TEST_F(EntriesTest, SetStateRewritesTheStateFileAtomically) {
  auto e = create_building_entry(layout, "node", "1.0.0");
  ASSERT_TRUE(e);
  for (EntryState s : {EntryState::Ready, EntryState::Retired, EntryState::Reaping, EntryState::Failed}) {
    ASSERT_TRUE(set_state(e->path, s));
    EXPECT_EQ(resolver::read_state(e->path), s);
    EXPECT_EQ(test::read_text(e->path + ".state"), std::string(resolver::state_name(s)) + "\n");
  }
  for (const auto& n : list_dir(layout.store_dir("node"))) EXPECT_NE(n.rfind(".tmp", 0), 0u) << n;
}

TEST_F(EntriesTest, RemoveEntryRemovesTreeLeaseStateAndMetaOnly) {
  auto victim = create_building_entry(layout, "node", "1.0.0");
  auto sibling = create_building_entry(layout, "node", "1.0.0");
  ASSERT_TRUE(victim && sibling);
  test::write_text(victim->path + "/bin/node", "#!/bin/sh\n", 0755);
  test::write_text(victim->path + "/lib/deep/a/b/c.txt", "x");
  test::write_text(victim->path + ".meta", "bin bin\n");
  ::chmod((victim->path + "/lib/deep").c_str(), 0500);  // plugins leave read-only folders
  ASSERT_TRUE(remove_entry(victim->path));
  for (const char* suffix : {"", ".lease", ".state", ".meta"})
    EXPECT_FALSE(path_exists(victim->path + suffix)) << victim->path + suffix << " is still there";
  EXPECT_TRUE(test::is_dir(sibling->path));
  EXPECT_TRUE(path_exists(sibling->path + ".lease"));
  EXPECT_EQ(resolver::read_state(sibling->path), EntryState::Building);
}

// A link inside a build pointing outside it is removed, never followed.
TEST_F(EntriesTest, RemoveEntryNeverFollowsLinksOutOfTheTree) {
  test::write_text(tmp / "outside/keep/file.txt", "precious");
  auto e = create_building_entry(layout, "node", "1.0.0");
  ASSERT_TRUE(e);
  ASSERT_EQ(::symlink((tmp / "outside/keep").c_str(), (e->path + "/linked-dir").c_str()), 0);
  ASSERT_EQ(::symlink((tmp / "outside/keep/file.txt").c_str(), (e->path + "/linked-file").c_str()), 0);
  ASSERT_TRUE(remove_entry(e->path));
  EXPECT_FALSE(path_exists(e->path));
  EXPECT_EQ(test::read_text(tmp / "outside/keep/file.txt"), "precious");
}

TEST_F(EntriesTest, RemoveEntryOfAHalfGoneEntrySucceeds) {
  auto e = create_building_entry(layout, "node", "1.0.0");
  ASSERT_TRUE(e);
  ASSERT_TRUE(remove_entry(e->path));
  EXPECT_TRUE(remove_entry(e->path)) << "a second removal (a reaper finishing another's work) must succeed";
}

TEST_F(EntriesTest, ListEntriesMergesSidecarsAndReadsStates) {
  auto ready = create_building_entry(layout, "node", "20.1.0");
  auto building = create_building_entry(layout, "node", "18.0.0");
  ASSERT_TRUE(ready && building);
  ASSERT_TRUE(set_state(ready->path, EntryState::Ready));
  test::write_text(ready->path + ".meta", "bin bin\n");
  // A prefix whose state file is gone, and a temporary file being renamed in.
  test::make_dirs(layout.store_dir("node") + "/16.0.0-deadbeef");
  test::write_text(layout.store_dir("node") + "/.tmp.20.1.0-x.state.1.0", "READY\n");

  auto entries = list_entries(layout, "node");
  ASSERT_EQ(entries.size(), 3u);
  std::map<std::string, Entry> by_name;
  for (const auto& e : entries) by_name[e.name] = e;
  ASSERT_TRUE(by_name.count(ready->name));
  EXPECT_EQ(by_name[ready->name].state, EntryState::Ready);
  EXPECT_EQ(by_name[ready->name].version, "20.1.0");
  EXPECT_EQ(by_name[ready->name].path, ready->path);
  EXPECT_EQ(by_name[ready->name].tool, "node");
  ASSERT_TRUE(by_name.count(building->name));
  EXPECT_EQ(by_name[building->name].state, EntryState::Building);
  ASSERT_TRUE(by_name.count("16.0.0-deadbeef"));
  EXPECT_EQ(by_name["16.0.0-deadbeef"].state, EntryState::Missing);
  EXPECT_EQ(by_name["16.0.0-deadbeef"].version, "16.0.0");
}

TEST_F(EntriesTest, ListEntriesOfAnUnknownToolIsEmpty) { EXPECT_THAT(list_entries(layout, "nothing"), IsEmpty()); }

// '/' in tool names (npm:@scope/pkg) is stored as '+' and listed back as '/'.
TEST_F(EntriesTest, ListToolsMapsPlusBackToSlash) {
  EXPECT_THAT(list_tools(layout), IsEmpty());
  auto scoped = create_building_entry(layout, "npm:@scope/pkg", "1.0.0");
  auto node = create_building_entry(layout, "node", "20.0.0");
  ASSERT_TRUE(scoped && node);
  EXPECT_TRUE(test::is_dir(tmp / "data/store/npm:@scope+pkg"));
  EXPECT_EQ(scoped->path, tmp / ("data/store/npm:@scope+pkg/" + scoped->name));
  EXPECT_THAT(list_tools(layout), ElementsAre("node", "npm:@scope/pkg"));
  auto entries = list_entries(layout, "npm:@scope/pkg");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].tool, "npm:@scope/pkg");
  EXPECT_EQ(entries[0].name, scoped->name);
}

}  // namespace
}  // namespace rtx::store
