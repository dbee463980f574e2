// What `rtx use --pin/--fuzzy` and `rtx upgrade --bump` write as a version
// (config/spec_rewrite.hpp), and the bump edit of one spec in a config file
// (config_edit.hpp's bump_in_toml / bump_in_tool_versions): whole files
// before and after, so any other byte changed fails.
#include "manager/config/spec_rewrite.hpp"

#include <gtest/gtest.h>

#include "manager/config/config_edit.hpp"

namespace rtx::config {
namespace {

TEST(SpecToWrite, AsTypedIsTheDefault) {
  EXPECT_EQ(spec_to_write("20", "20.11.1", SpecStyle::AsTyped), "20");
  EXPECT_EQ(spec_to_write("latest", "22.3.0", SpecStyle::AsTyped), "latest");
}

TEST(SpecToWrite, PinWritesTheExactVersionInstalled) {
  EXPECT_EQ(spec_to_write("20", "20.11.1", SpecStyle::Pin), "20.11.1");
  EXPECT_EQ(spec_to_write("latest", "22.3.0", SpecStyle::Pin), "22.3.0");
  EXPECT_EQ(spec_to_write("lts", "20.11.1", SpecStyle::Pin), "20.11.1");
  EXPECT_EQ(spec_to_write("nightly", "nightly-2024-05-01", SpecStyle::Pin), "nightly-2024-05-01");
}

TEST(SpecToWrite, FuzzyWritesTheMajorOfWhatWasInstalled) {
  EXPECT_EQ(spec_to_write("20.11", "20.11.1", SpecStyle::Fuzzy), "20");
  EXPECT_EQ(spec_to_write("20.11.1", "20.11.1", SpecStyle::Fuzzy), "20");
  EXPECT_EQ(spec_to_write("latest", "22.3.0", SpecStyle::Fuzzy), "22");
  EXPECT_EQ(spec_to_write("lts", "20.11.1", SpecStyle::Fuzzy), "20");
  EXPECT_EQ(spec_to_write("3", "3", SpecStyle::Fuzzy), "3");
}

TEST(SpecToWrite, FuzzyKeepsWhatAMajorCannotSay) {
  // A prefix never selects a prerelease (DESIGN.md §4): "3" would not run 3.0.0-rc1.
  EXPECT_EQ(spec_to_write("3.0.0-rc1", "3.0.0-rc1", SpecStyle::Fuzzy), "3.0.0-rc1");
  // No number to keep: the name as typed.
  EXPECT_EQ(spec_to_write("nightly", "nightly-2024-05-01", SpecStyle::Fuzzy), "nightly");
  EXPECT_EQ(spec_to_write("temurin-21", "temurin-21.0.2", SpecStyle::Fuzzy), "temurin-21");
}

TEST(SpecToWrite, SystemStaysSystem) {
  EXPECT_EQ(spec_to_write("system", "system", SpecStyle::Pin), "system");
  EXPECT_EQ(spec_to_write("system", "system", SpecStyle::Fuzzy), "system");
}

TEST(BumpedSpec, KeepsThePrecisionOfTheOldSpec) {
  EXPECT_EQ(bumped_spec("20", "22.3.0"), "22");
  EXPECT_EQ(bumped_spec("20.11", "22.3.0"), "22.3");
  EXPECT_EQ(bumped_spec("20.11.1", "22.3.0"), "22.3.0");
  EXPECT_EQ(bumped_spec("1", "2.1.0"), "2");
  EXPECT_EQ(bumped_spec("1.0", "2.1.0"), "2.1");
  EXPECT_EQ(bumped_spec("1.0", "1.2.0"), "1.2");
  EXPECT_EQ(bumped_spec("1.2.9", "1.2.10"), "1.2.10");
}

TEST(BumpedSpec, ANewestWithFewerComponentsIsWrittenWhole) {
  EXPECT_EQ(bumped_spec("1.0.0.1", "2.1"), "2.1");
  EXPECT_EQ(bumped_spec("1.0.0", "2"), "2");
}

TEST(BumpedSpec, NamesAndSpecsAlreadyAtTheNewestStay) {
  EXPECT_EQ(bumped_spec("latest", "22.3.0"), std::nullopt);
  EXPECT_EQ(bumped_spec("system", "22.3.0"), std::nullopt);
  EXPECT_EQ(bumped_spec("lts", "22.3.0"), std::nullopt);
  EXPECT_EQ(bumped_spec("stable", "1.78.0"), std::nullopt);
  EXPECT_EQ(bumped_spec("2", "2.1.0"), std::nullopt);
  EXPECT_EQ(bumped_spec("2.1", "2.1.0"), std::nullopt);
  EXPECT_EQ(bumped_spec("22.3.0", "22.3.0"), std::nullopt);
  EXPECT_EQ(bumped_spec("20", "nightly"), std::nullopt);
  EXPECT_EQ(bumped_spec("3.1", "2.9.0"), std::nullopt);  // never backwards
}

TEST(BumpedSpec, APrereleaseSpecMovesToTheRelease) { EXPECT_EQ(bumped_spec("3.13.0rc1", "3.13.0"), "3.13.0"); }

std::string toml_bump(const std::string& before, const std::string& tool, SpecBump bump) {
  auto out = bump_in_toml(before, "/p/mise.toml", tool, bump);
  EXPECT_TRUE(out.ok()) << out.error();
  return out ? *out : std::string{};
}

std::string tv_bump(const std::string& before, const std::string& tool, SpecBump bump) {
  auto out = bump_in_tool_versions(before, "/p/.tool-versions", tool, bump);
  EXPECT_TRUE(out.ok()) << out.error();
  return out ? *out : std::string{};
}

TEST(BumpInToml, ChangesOnlyTheSpecKeepingQuotesAndComments) {
  EXPECT_EQ(toml_bump("# top\n[env]\nA = '1'\n\n[tools]\nnode = '20'  # lts\ngo = \"1.21\"\n", "node", {0, "20", "22"}),
            "# top\n[env]\nA = '1'\n\n[tools]\nnode = '22'  # lts\ngo = \"1.21\"\n");
  EXPECT_EQ(toml_bump("[tools]\nnode = { version = \"20.11\", postinstall = 'x' }\n", "node", {0, "20.11", "22.3"}),
            "[tools]\nnode = { version = \"22.3\", postinstall = 'x' }\n");
  EXPECT_EQ(toml_bump("[tools.node]\nversion = '20' # pinned\n", "node", {0, "20", "22"}),
            "[tools.node]\nversion = '22' # pinned\n");
}

TEST(BumpInToml, ChangesOneElementOfAnArray) {
  EXPECT_EQ(toml_bump("[tools]\npython = [\"3.11\", '3.10']  # two\n", "python", {0, "3.11", "3.13"}),
            "[tools]\npython = [\"3.13\", '3.10']  # two\n");
  EXPECT_EQ(toml_bump("[tools]\npython = [\n  \"3.11\", # newest\n  '3.10',\n]\n", "python", {1, "3.10", "3.12"}),
            "[tools]\npython = [\n  \"3.11\", # newest\n  '3.12',\n]\n");
}

TEST(BumpInToml, RefusesAFileThatNoLongerAsksForTheOldSpec) {
  auto out = bump_in_toml("[tools]\nnode = '21'\n", "/p/mise.toml", "node", {0, "20", "22"});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error(),
            "/p/mise.toml no longer asks for node 20: run 'rtx upgrade --bump' again; rtx left the "
            "file unchanged");
  EXPECT_FALSE(bump_in_toml("[tools]\nnode = '20'\n", "/p/mise.toml", "node", {1, "20", "22"}).ok());
  EXPECT_FALSE(bump_in_toml("[tools]\nnode = \n", "/p/mise.toml", "node", {0, "20", "22"}).ok());
}

TEST(BumpInToolVersions, ChangesOneVersionOfTheLine) {
  EXPECT_EQ(tv_bump("# pins\r\nhello\t1   system # old\r\nother 3\r\n", "hello", {0, "1", "2"}),
            "# pins\r\nhello\t2   system # old\r\nother 3\r\n");
  EXPECT_EQ(tv_bump("\xEF\xBB\xBFpython 3.11 3.10\n", "python", {1, "3.10", "3.12"}), "\xEF\xBB\xBFpython 3.11 3.12\n");
  EXPECT_EQ(tv_bump("hello 1.0", "hello", {0, "1.0", "2.1"}), "hello 2.1");
}

TEST(BumpInToolVersions, RefusesAFileThatNoLongerAsksForTheOldSpec) {
  auto out = bump_in_tool_versions("hello 1.1\n", "/p/.tool-versions", "hello", {0, "1", "2"});
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().find("/p/.tool-versions no longer asks for hello 1"), std::string::npos) << out.error();
  EXPECT_FALSE(bump_in_tool_versions("hello 1\n", "/p/.tool-versions", "hello", {0, "1", "2 3"}).ok());
}

}  // namespace
}  // namespace rtx::config
