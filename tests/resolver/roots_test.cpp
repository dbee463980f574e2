// The four roots from the environment (DESIGN.md §2): RTX_* overrides, XDG
// defaults, then ~. Only variables are read; the real home is never touched.
#include <gtest/gtest.h>

#include "resolver/roots.hpp"
#include "tests/support/scoped_env.hpp"

namespace rtx::resolver {
namespace {

class RootsTest : public ::testing::Test {
 protected:
  test::ScopedEnv home_{"HOME", "/h"};
  test::ScopedEnv data_{"RTX_DATA_DIR", std::nullopt};
  test::ScopedEnv config_{"RTX_CONFIG_DIR", std::nullopt};
  test::ScopedEnv cache_{"RTX_CACHE_DIR", std::nullopt};
  test::ScopedEnv state_{"RTX_STATE_DIR", std::nullopt};
  test::ScopedEnv xdg_data_{"XDG_DATA_HOME", std::nullopt};
  test::ScopedEnv xdg_config_{"XDG_CONFIG_HOME", std::nullopt};
  test::ScopedEnv xdg_cache_{"XDG_CACHE_HOME", std::nullopt};
  test::ScopedEnv xdg_state_{"XDG_STATE_HOME", std::nullopt};
};

TEST_F(RootsTest, DefaultsUnderHome) {
  auto r = roots_from_env();
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->home, "/h");
  EXPECT_EQ(r->data, "/h/.local/share/rtx");
  EXPECT_EQ(r->config, "/h/.config/rtx");
  EXPECT_EQ(r->cache, "/h/.cache/rtx");
  EXPECT_EQ(r->state, "/h/.local/state/rtx");
  EXPECT_EQ(r->shims_dir(), "/h/.local/share/rtx/shims");
}

TEST_F(RootsTest, XdgDirectoriesWhenAbsolute) {
  test::ScopedEnv d("XDG_DATA_HOME", "/x/data");
  test::ScopedEnv c("XDG_CONFIG_HOME", "relative/config");  // not absolute: ignored
  auto r = roots_from_env();
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->data, "/x/data/rtx");
  EXPECT_EQ(r->config, "/h/.config/rtx");
}

TEST_F(RootsTest, RtxVariablesWin) {
  test::ScopedEnv xd("XDG_DATA_HOME", "/x/data");
  test::ScopedEnv d("RTX_DATA_DIR", "/d");
  test::ScopedEnv c("RTX_CONFIG_DIR", "/c");
  test::ScopedEnv k("RTX_CACHE_DIR", "/k");
  test::ScopedEnv s("RTX_STATE_DIR", "/s");
  auto r = roots_from_env();
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->data, "/d");
  EXPECT_EQ(r->config, "/c");
  EXPECT_EQ(r->cache, "/k");
  EXPECT_EQ(r->state, "/s");
}

TEST_F(RootsTest, EmptyVariableMeansUnset) {
  test::ScopedEnv d("RTX_DATA_DIR", "");
  auto r = roots_from_env();
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->data, "/h/.local/share/rtx");
}

TEST_F(RootsTest, RelativeOverrideIsRefusedByName) {
  test::ScopedEnv d("RTX_DATA_DIR", "data");
  auto r = roots_from_env();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("RTX_DATA_DIR"), std::string::npos) << r.error();
}

TEST_F(RootsTest, NoHomeNeedsEveryRootGiven) {
  test::ScopedEnv h("HOME", std::nullopt);
  auto r = roots_from_env();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("HOME"), std::string::npos) << r.error();

  test::ScopedEnv d("RTX_DATA_DIR", "/d");
  test::ScopedEnv c("RTX_CONFIG_DIR", "/c");
  test::ScopedEnv k("RTX_CACHE_DIR", "/k");
  test::ScopedEnv s("RTX_STATE_DIR", "/s");
  auto given = roots_from_env();
  ASSERT_TRUE(given.ok()) << given.error();
  EXPECT_TRUE(given->home.empty());
  EXPECT_EQ(given->data, "/d");
}

}  // namespace
}  // namespace rtx::resolver
