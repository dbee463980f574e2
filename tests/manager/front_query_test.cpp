// The front (`rtx`, manager/query/front_main.cpp) answers a command itself only
// when its arguments are fully understood (front_args) and crash recovery has
// nothing to do (recovery_check); every other case is the manager's.
#include <filesystem>
#include <fstream>
#include <functional>

#include <gtest/gtest.h>

#include "manager/query/front_args.hpp"
#include "manager/query/recovery_check.hpp"
#include "manager/store/recovery.hpp"
#include "store_fixture.hpp"

namespace rtx::query {
namespace {

using resolver::EntryState;

TEST(FrontArgs, AnswersTheReadOnlyCommandsWithTheirFlags) {
  auto v = parse_front_args({"--version"});
  ASSERT_TRUE(v);
  EXPECT_EQ(v->command, FrontCommand::version);

  auto a = parse_front_args({"-q", "current", "node", "--json", "--offline", "-vv"});
  ASSERT_TRUE(a);
  EXPECT_EQ(a->command, FrontCommand::current);
  EXPECT_EQ(a->operand, "node");
  EXPECT_TRUE(a->json);
  EXPECT_TRUE(a->quiet);
  EXPECT_TRUE(a->offline);
  EXPECT_EQ(a->verbose, 2);

  auto w = parse_front_args({"which", "node"});
  ASSERT_TRUE(w);
  EXPECT_EQ(w->command, FrontCommand::which);
  EXPECT_EQ(w->operand, "node");

  auto l = parse_front_args({"ls"});
  ASSERT_TRUE(l);
  EXPECT_EQ(l->command, FrontCommand::ls);
  EXPECT_FALSE(l->operand);

  auto p = parse_front_args({"ps", "--json", "--verbose"});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->command, FrontCommand::ps);
  EXPECT_EQ(p->verbose, 1);
}

TEST(FrontArgs, HandsEverythingElseToTheManager) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {},
           {"install", "node@20"},
           {"--version", "ls"},
           {"-v", "--version"},
           {"version"},
           {"--help"},
           {"ls", "--help"},
           {"ls", "-h"},
           {"which"},
           {"which", "node", "--json"},
           {"ls", "a", "b"},
           {"ls", ""},
           {"ls", "--", "x"},
           {"ls", "--json", "--json"},
           {"ls", "--json=1"},
           {"-qv", "ls"},
           {"-q", "-q", "ls"},
           {"--json", "ls"},
           {"__auto-install", "node", "20", "--", "node"},
           {"__parse-legacy-file", "ruby", "--", "ruby"},
       })
    EXPECT_FALSE(parse_front_args(args)) << (args.empty() ? std::string("(none)") : args.front());
}

using RecoveryCheck = test::StoreFixture;

TEST_F(RecoveryCheck, ACleanStoreNeedsNothing) {
  make_entry("node", "20.0.0-aaa", EntryState::Ready);
  point("node", "20.0.0", "20.0.0-aaa");
  make_entry("node", "18.0.0-bbb", EntryState::Retired);
  EXPECT_FALSE(needs_recovery(layout, tmp / "downloads"));
  EXPECT_TRUE(store::recover_store(layout, shim_binary).actions.empty());
  EXPECT_FALSE(needs_recovery(layout, ""));
}

// Each leftover recover_store repairs is seen; once repaired, nothing is.
TEST_F(RecoveryCheck, SeesWhatRecoveryRepairs) {
  const std::string downloads = tmp / "downloads";
  std::vector<std::function<void()>> crashes = {
      [&] { make_entry("node", "20.0.0-bbb", EntryState::Building); },
      [&] { make_entry("node", "20.0.0-bbb", EntryState::Failed); },
      [&] { make_entry("node", "20.0.0-bbb", EntryState::Reaping); },
      [&] { make_entry("node", "20.0.0-bbb", EntryState::Ready); },  // no pointer names it
      [&] { std::filesystem::create_directories(layout.store_dir("node") + "/.19.0.0-zzz.extract-XyZ789"); },
      [&] { std::ofstream(layout.store_dir("node") + "/.tmp.x.999999999.1") << "x"; },
      [&] { std::ofstream(layout.shims_dir() + "/.tmp.node.999999999.1") << "x"; },
      [&] { std::filesystem::create_directories(downloads + "/20.0.0-bbb"); },
  };
  for (std::size_t i = 0; i < crashes.size(); ++i) {
    std::filesystem::remove_all(tmp / "data");
    std::filesystem::remove_all(downloads);
    make_entry("node", "18.0.0-aaa", EntryState::Ready);
    point("node", "18.0.0", "18.0.0-aaa");
    std::filesystem::create_directories(layout.shims_dir());
    ASSERT_FALSE(needs_recovery(layout, downloads)) << i;
    crashes[i]();
    EXPECT_TRUE(needs_recovery(layout, downloads)) << i;
    EXPECT_FALSE(store::recover_store(layout, shim_binary, "", downloads).actions.empty()) << i;
    EXPECT_FALSE(needs_recovery(layout, downloads)) << i;
  }
}

TEST_F(RecoveryCheck, SeesAPointerToABuildThatIsNotReady) {
  make_entry("node", "20.0.0-aaa", EntryState::Retired);
  point("node", "20.0.0", "20.0.0-aaa");
  EXPECT_TRUE(needs_recovery(layout, ""));
  EXPECT_FALSE(store::recover_store(layout, shim_binary).actions.empty());
  EXPECT_FALSE(needs_recovery(layout, ""));
}

}  // namespace
}  // namespace rtx::query
