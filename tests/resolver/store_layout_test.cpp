// Store paths and the read side of entry states (DESIGN.md §2, §3).
#include <gtest/gtest.h>

#include <algorithm>

#include "fake_store.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::resolver {
namespace {

TEST(StoreLayout, Paths) {
  StoreLayout l{"/d"};
  EXPECT_EQ(l.entry_path("node", "20.1.0-b1"), "/d/store/node/20.1.0-b1");
  EXPECT_EQ(l.pointer_path("node", "20.1.0"), "/d/installs/node/20.1.0");
  EXPECT_EQ(StoreLayout::pointer_target("node", "20.1.0-b1"), "../../store/node/20.1.0-b1");
  EXPECT_EQ(l.tool_lock("node"), "/d/locks/node.lock");
  EXPECT_EQ(l.shim_index(), "/d/shims/.index");
  EXPECT_EQ(lease_path("/d/store/node/20.1.0-b1"), "/d/store/node/20.1.0-b1.lease");
  EXPECT_EQ(state_path("/d/store/node/20.1.0-b1"), "/d/store/node/20.1.0-b1.state");
}

TEST(StoreLayout, ScopedToolNamesNeverNestDirectories) {
  EXPECT_EQ(tool_dir_name("npm:@scope/pkg"), "npm:@scope+pkg");
  StoreLayout l{"/d"};
  EXPECT_EQ(l.store_dir("npm:@scope/pkg"), "/d/store/npm:@scope+pkg");
  EXPECT_EQ(StoreLayout::pointer_target("npm:@scope/pkg", "1.0.0-b1"), "../../store/npm:@scope+pkg/1.0.0-b1");
}

TEST(StoreLayout, ParseState) {
  EXPECT_EQ(parse_state("BUILDING"), EntryState::Building);
  EXPECT_EQ(parse_state("READY"), EntryState::Ready);
  EXPECT_EQ(parse_state("READY\n"), EntryState::Ready);
  EXPECT_EQ(parse_state("RETIRED\r\n"), EntryState::Retired);
  EXPECT_EQ(parse_state("REAPING"), EntryState::Reaping);
  EXPECT_EQ(parse_state("FAILED"), EntryState::Failed);
  EXPECT_EQ(parse_state("ready"), EntryState::Unknown);
  EXPECT_EQ(parse_state("READYX"), EntryState::Unknown);
  EXPECT_EQ(parse_state(""), EntryState::Unknown);
  for (EntryState s :
       {EntryState::Building, EntryState::Ready, EntryState::Retired, EntryState::Reaping, EntryState::Failed})
    EXPECT_EQ(parse_state(state_name(s)), s) << state_name(s);
}

TEST(StoreLayout, ReadState) {
  test::FakeStore store;
  std::string e = store.add_build("node", "1.0.0", "b1", "RETIRED\n");
  EXPECT_EQ(read_state(e), EntryState::Retired);
  test::FakeStore::set_state(e, "READY");
  EXPECT_EQ(read_state(e), EntryState::Ready);
  EXPECT_EQ(read_state(store.layout().entry_path("node", "9.9.9-b9")), EntryState::Missing);
}

TEST(StoreLayout, PointerEntryAndFuzzyLinks) {
  test::FakeStore store;
  store.install("node", "20.11.1", "b3");
  store.fuzzy("node", "20", "20.11.1");
  EXPECT_EQ(pointer_entry(store.layout(), "node", "20.11.1"), "20.11.1-b3");
  EXPECT_EQ(pointer_entry(store.layout(), "node", "20"), "");  // fuzzy: a sibling name
  EXPECT_EQ(pointer_entry(store.layout(), "node", "21"), "");  // missing
  test::make_symlink("../../store/node/x/y", store.layout().pointer_path("node", "9"));
  EXPECT_EQ(pointer_entry(store.layout(), "node", "9"), "");  // not an entry directly in store/node
  test::make_symlink("../../store/node/", store.layout().pointer_path("node", "8"));
  EXPECT_EQ(pointer_entry(store.layout(), "node", "8"), "");

  auto names = list_install_names(store.layout(), "node");
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"20", "20.11.1", "8", "9"}));
}

TEST(StoreLayout, ListInstallNamesSkipsDotFilesAndMissingTools) {
  test::FakeStore store;
  store.install("node", "1.0.0", "b1");
  test::make_symlink("1.0.0", store.layout().pointer_path("node", ".tmp-link"));
  EXPECT_EQ(list_install_names(store.layout(), "node"), (std::vector<std::string>{"1.0.0"}));
  EXPECT_TRUE(list_install_names(store.layout(), "ruby").empty());
}

}  // namespace
}  // namespace rtx::resolver
