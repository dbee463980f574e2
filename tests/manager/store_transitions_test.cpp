// The store's transitions with an in-process fake builder (store::Builder): an
// upgrade's commit decides under the tool lock from what is there then
// (DESIGN.md §6 step 5), a rollback and an uninstall retire in the one order.
// "Meanwhile" is a callback the fake runs inside its build, between the
// upgrade's plan and its commit: deterministic, no plugin, no FIFO.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "fs_helpers.hpp"
#include "manager/store/builder.hpp"
#include "manager/store/entries.hpp"
#include "manager/store/install_transaction.hpp"
#include "manager/store/retire.hpp"
#include "manager/store/rollback.hpp"
#include "manager/store/succession_log.hpp"
#include "manager/store/uninstall.hpp"
#include "resolver/version_spec.hpp"
#include "tests/support/temp_dir.hpp"

namespace rtx::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class FakeBuilder : public Builder {
 public:
  std::function<void()> meanwhile;  // runs inside install(): what other commands do during the build
  std::string describe() const override { return "fake builder"; }
  Status install(const BuildRequest& req) override {
    test::write_text(req.install_path + "/bin/hello", "#!/bin/sh\necho hello " + req.version + "\n", 0755);
    if (auto m = std::exchange(meanwhile, nullptr)) m();
    return ok_status();
  }
  Expected<resolver::BuildMeta> describe_build(const BuildRequest&) override {
    resolver::BuildMeta meta;
    meta.bin_dirs = {"bin"};
    return meta;
  }
  Status smoke_test(const BuildRequest&, const resolver::BuildMeta&) override { return ok_status(); }
};

struct StoreTransitions : ::testing::Test {
  test::ScopedTempDir tmp;
  resolver::StoreLayout layout{tmp / "data"};
  std::string state = tmp / "state";
  FakeBuilder builder;
  std::vector<std::string> configs;

  InstallOptions options() const {
    InstallOptions o;
    o.shim_binary = tmp / "bin/rtx-shim";
    o.download_root = tmp / "cache/plugin-downloads";
    o.state_dir = state;
    return o;
  }
  resolver::Request request(const std::string& spec) const {
    return resolver::Request{"hello", {*resolver::parse_spec(spec)}, "test", 1};
  }
  std::string install(const std::string& version) {
    FakeBuilder plain;
    auto out = install_version(layout, plain, "hello", version, options());
    EXPECT_TRUE(out) << out.error();
    return out ? out->entry_path.substr(out->entry_path.rfind('/') + 1) : std::string();
  }
  // `rtx upgrade` of `spec` to `version`: planned now, built by `builder`.
  Expected<InstallOutcome> upgrade(const std::string& spec, const std::string& version) {
    UpgradePlan plan = plan_upgrade(layout, state, request(spec));
    plan.configs = [this] { return configs; };
    InstallOptions o = options();
    o.upgrade = &plan;
    return install_version(layout, builder, "hello", version, o);
  }
  // A nested upgrade (another rtx), run from inside the fake's build.
  void upgrade_meanwhile(const std::string& spec, const std::string& version) {
    FakeBuilder other;
    UpgradePlan plan = plan_upgrade(layout, state, request(spec));
    InstallOptions o = options();
    o.upgrade = &plan;
    auto out = install_version(layout, other, "hello", version, o);
    ASSERT_TRUE(out) << out.error();
    ASSERT_EQ(out->committed, Committed::Installed);
  }
  resolver::EntryState state_of(const std::string& entry) const {
    return resolver::read_state(layout.entry_path("hello", entry));
  }
  std::vector<std::string> ready() const {
    std::vector<std::string> out;
    for (const auto& e : list_entries(layout, "hello"))
      if (e.state == resolver::EntryState::Ready) out.push_back(e.version);
    return out;
  }
};

TEST_F(StoreTransitions, AnUpgradeSupersedesWhatItsRequestResolvesToAtCommit) {
  std::string first = install("2.0.0");
  std::string middle;
  builder.meanwhile = [&] {  // 2.0.5 lands while 2.1.0 builds
    upgrade_meanwhile("2", "2.0.5");
    middle = resolver::pointer_entry(layout, "hello", "2.0.5");
  };
  auto out = upgrade("2", "2.1.0");
  ASSERT_TRUE(out) << out.error();
  EXPECT_EQ(out->committed, Committed::Installed);
  EXPECT_EQ(out->retired_entry, middle) << "it retired what it planned from, not what was there";
  EXPECT_EQ(state_of(first), resolver::EntryState::Retired);
  EXPECT_EQ(state_of(middle), resolver::EntryState::Retired);
  EXPECT_THAT(ready(), ElementsAre("2.1.0"));
  auto log = SuccessionLog(state, "hello").read();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1].retired, middle);
}

TEST_F(StoreTransitions, AnUpgradeOvertakenMeanwhileDiscardsItsBuild) {
  std::string first = install("2.0.0");
  builder.meanwhile = [&] { upgrade_meanwhile("2", "2.2.0"); };
  auto out = upgrade("2", "2.1.0");
  ASSERT_TRUE(out) << out.error();
  EXPECT_EQ(out->committed, Committed::Overtaken);
  EXPECT_EQ(version_of_entry(out->current), "2.2.0");
  EXPECT_EQ(out->retired_entry, "");
  EXPECT_THAT(ready(), ElementsAre("2.2.0"));
  EXPECT_EQ(resolver::pointer_entry(layout, "hello", "2.1.0"), "");
  for (const auto& e : list_entries(layout, "hello")) EXPECT_NE(e.version, "2.1.0") << e.name << " was left behind";
}

TEST_F(StoreTransitions, ARollbackMeanwhileWinsAndHoldsTheVersionBack) {
  std::string first = install("2.0.0");
  ASSERT_TRUE(upgrade("2", "2.1.0"));
  builder.meanwhile = [&] {
    auto rb = rollback(layout, state, tmp / "bin/rtx-shim", "hello", std::nullopt);
    ASSERT_TRUE(rb) << rb.error();
    EXPECT_EQ(rb->restored, first);
  };
  auto out = upgrade("2", "2.2.0");
  ASSERT_TRUE(out) << out.error();
  EXPECT_EQ(out->committed, Committed::HeldBack);
  EXPECT_EQ(out->current, first);
  EXPECT_THAT(ready(), ElementsAre("2.0.0"));
  EXPECT_THAT(SuccessionLog(state, "hello").held_back(), ElementsAre("2.1.0", "2.2.0"));
}

TEST_F(StoreTransitions, ARollbackOfAnotherLineDoesNotStopTheUpgrade) {
  install("1.0.0");
  ASSERT_TRUE(upgrade("1", "1.1.0"));
  std::string two = install("2.0.0");
  builder.meanwhile = [&] { ASSERT_TRUE(rollback(layout, state, tmp / "bin/rtx-shim", "hello", "1.0.0")); };
  auto out = upgrade("2", "2.1.0");
  ASSERT_TRUE(out) << out.error();
  EXPECT_EQ(out->committed, Committed::Installed) << "the rollback did not touch what 'hello 2' resolves to";
  EXPECT_EQ(out->retired_entry, two);
  EXPECT_THAT(ready(), ElementsAre("1.0.0", "2.1.0"));
}

TEST_F(StoreTransitions, ATrackedConfigKeepsTheSupersededBuildAndAMalformedOneIsReported) {
  std::string first = install("2.0.0");
  test::write_text(tmp / "pinned/.tool-versions", "hello 2.0.0\n");
  test::write_text(tmp / "broken/rtx.toml", "[tools\nhello = \n");
  configs = {tmp / "broken/rtx.toml", tmp / "gone/.tool-versions", tmp / "pinned/.tool-versions"};
  auto out = upgrade("2", "2.1.0");
  ASSERT_TRUE(out) << out.error();
  EXPECT_EQ(out->committed, Committed::Installed);
  EXPECT_EQ(out->kept_entry, first);
  EXPECT_EQ(out->kept_for, tmp / "pinned/.tool-versions");
  EXPECT_EQ(out->retired_entry, "");
  EXPECT_THAT(ready(), ElementsAre("2.0.0", "2.1.0"));
  ASSERT_EQ(out->warnings.size(), 1u) << "a config that is gone needs nothing and says nothing";
  EXPECT_THAT(out->warnings[0], HasSubstr(tmp / "broken/rtx.toml"));
}

TEST_F(StoreTransitions, RetireRemovesThePointerBeforeTheStateAndLogsTheSuccessor) {
  std::string first = install("1.0.0");
  auto r = retire_build(layout, "hello", first, "1.1.0-x", state);
  ASSERT_TRUE(r) << r.error();
  EXPECT_TRUE(*r);
  EXPECT_EQ(resolver::pointer_entry(layout, "hello", "1.0.0"), "");
  EXPECT_FALSE(test::path_exists(layout.pointer_path("hello", "latest")));
  EXPECT_EQ(state_of(first), resolver::EntryState::Retired);
  auto again = retire_build(layout, "hello", first, "1.1.0-x", state);
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again) << "a build that is not READY is left alone";
  EXPECT_EQ(SuccessionLog(state, "hello").read().size(), 1u);
}

TEST_F(StoreTransitions, RollbackRefusesABuildThatIsNoLongerRetired) {
  std::string first = install("2.0.0");
  ASSERT_TRUE(upgrade("2", "2.1.0"));
  ASSERT_TRUE(set_state(layout.entry_path("hello", first), resolver::EntryState::Reaping));
  auto rb = rollback(layout, state, tmp / "bin/rtx-shim", "hello", std::nullopt);
  ASSERT_FALSE(rb);
  EXPECT_THAT(rb.error(), HasSubstr("REAPING"));
  EXPECT_THAT(ready(), ElementsAre("2.1.0"));
  EXPECT_EQ(SuccessionLog(state, "hello").rollbacks(), 0u);
  EXPECT_FALSE(rollback(layout, state, tmp / "bin/rtx-shim", "hello", std::string("../x")));
}

TEST_F(StoreTransitions, UninstallRetiresThenReaps) {
  std::string first = install("1.0.0");
  auto out = uninstall(layout, tmp / "bin/rtx-shim", "hello", "1.0.0");
  ASSERT_TRUE(out) << out.error();
  EXPECT_EQ(out->entry, first);
  EXPECT_EQ(out->reap.outcome, ReapOutcome::Reaped);
  EXPECT_THAT(list_entries(layout, "hello"), IsEmpty());
  EXPECT_FALSE(uninstall(layout, tmp / "bin/rtx-shim", "hello", "1.0.0"));
}

}  // namespace
}  // namespace rtx::store
