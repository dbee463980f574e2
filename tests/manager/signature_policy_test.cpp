// RTX_NODE_SIGNATURES / RTX_NPM_SIGNATURES and [settings] node_signatures /
// npm_signatures (issue 10 item 2): the variable wins, then config.toml, then prefer.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fs_helpers.hpp"
#include "manager/config/settings.hpp"
#include "manager/verify/signature_policy.hpp"
#include "tests/support/scoped_env.hpp"
#include "tests/support/temp_dir.hpp"

namespace rtx::verify {
namespace {

using ::testing::HasSubstr;

TEST(SignaturePolicy, ParsesExactlyTheThreeWords) {
  EXPECT_EQ(parse_signature_policy("require"), SignaturePolicy::require);
  EXPECT_EQ(parse_signature_policy("prefer"), SignaturePolicy::prefer);
  EXPECT_EQ(parse_signature_policy("skip"), SignaturePolicy::skip);
  for (const char* bad : {"", "Require", "yes", "true", "require ", "strict"})
    EXPECT_FALSE(parse_signature_policy(bad)) << bad;
  EXPECT_EQ(policy_name(SignaturePolicy::skip), "skip");
  EXPECT_EQ(policy_variable("npm"), "RTX_NPM_SIGNATURES");
}

TEST(SignaturePolicy, VariableWinsOverSettingWhichWinsOverPrefer) {
  EXPECT_EQ(*resolve_signature_policy("node", "skip", SignaturePolicy::require), SignaturePolicy::skip);
  EXPECT_EQ(*resolve_signature_policy("node", nullptr, SignaturePolicy::require), SignaturePolicy::require);
  EXPECT_EQ(*resolve_signature_policy("node", "", SignaturePolicy::skip), SignaturePolicy::skip);
  EXPECT_EQ(*resolve_signature_policy("node", nullptr, std::nullopt), SignaturePolicy::prefer);
}

TEST(SignaturePolicy, BadVariableIsOneLineNamingItAndTheValues) {
  auto p = resolve_signature_policy("npm", "always", std::nullopt);
  ASSERT_FALSE(p);
  EXPECT_THAT(p.error(), HasSubstr("RTX_NPM_SIGNATURES='always'"));
  EXPECT_THAT(p.error(), HasSubstr("require, prefer or skip"));
  EXPECT_EQ(p.error().find('\n'), std::string::npos);
}

struct SignaturePolicyConfig : ::testing::Test {
  test::ScopedTempDir tmp;
  test::ScopedEnv node_env{"RTX_NODE_SIGNATURES", nullptr};
  test::ScopedEnv npm_env{"RTX_NPM_SIGNATURES", nullptr};
  void config(const std::string& text) { test::write_text(tmp / "config.toml", text); }
};

TEST_F(SignaturePolicyConfig, SettingsPerBackend) {
  config("[settings]\nkeep_previous = 1\nnode_signatures = \"require\"\n");
  EXPECT_EQ(*signature_policy("node", tmp.path()), SignaturePolicy::require);
  EXPECT_EQ(*signature_policy("npm", tmp.path()), SignaturePolicy::prefer);
  config("[settings]\nnpm_signatures = \"skip\"\n");
  EXPECT_EQ(*signature_policy("npm", tmp.path()), SignaturePolicy::skip);
  test::ScopedEnv env("RTX_NPM_SIGNATURES", "require");
  EXPECT_EQ(*signature_policy("npm", tmp.path()), SignaturePolicy::require);
}

TEST_F(SignaturePolicyConfig, NoConfigIsPrefer) {
  EXPECT_EQ(*signature_policy("node", tmp.path()), SignaturePolicy::prefer);
}

TEST_F(SignaturePolicyConfig, BadSettingNamesFileLineKeyAndValues) {
  config("[settings]\n\nnode_signatures = \"strict\"\n");
  auto p = signature_policy("node", tmp.path());
  ASSERT_FALSE(p);
  EXPECT_THAT(p.error(), HasSubstr(tmp / "config.toml:3: settings.node_signatures must be require, prefer or skip"));
  config("[settings]\nnpm_signatures = true\n");
  auto s = config::load_settings(tmp.path());
  ASSERT_FALSE(s);
  EXPECT_THAT(s.error(), HasSubstr(":2: settings.npm_signatures must be"));
}

TEST_F(SignaturePolicyConfig, VariableSetMeansConfigIsNotEvenRead) {
  config("[settings]\nnode_signatures = \"strict\"\n");  // broken, but the variable decides
  test::ScopedEnv env("RTX_NODE_SIGNATURES", "skip");
  EXPECT_EQ(*signature_policy("node", tmp.path()), SignaturePolicy::skip);
}

}  // namespace
}  // namespace rtx::verify
