// Version specs: exact, whole-component prefix, latest, system (DESIGN.md §4).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "resolver/version_spec.hpp"

namespace rtx::resolver {
namespace {

VersionSpec spec(const char* text) {
  auto s = parse_spec(text);
  if (!s) ADD_FAILURE() << "parse_spec(" << text << "): " << s.error();
  return s ? *s : VersionSpec{};
}

TEST(VersionSpec, ParseKinds) {
  EXPECT_EQ(spec("latest").kind, SpecKind::Latest);
  EXPECT_EQ(spec("system").kind, SpecKind::System);
  EXPECT_EQ(spec("1.2").kind, SpecKind::Version);
  EXPECT_EQ(spec("1.2").text, "1.2");
  EXPECT_EQ(spec("3.12.0rc1").kind, SpecKind::Version);
}

// node's LTS names as nvm (.nvmrc) and mise spell them all become the name of
// the alias link: lts-<codename>, lower case.
TEST(VersionSpec, LtsNamesAreNormalised) {
  EXPECT_EQ(spec("lts/iron").text, "lts-iron");
  EXPECT_EQ(spec("lts/Iron").text, "lts-iron");
  EXPECT_EQ(spec("LTS-Hydrogen").text, "lts-hydrogen");
  EXPECT_EQ(spec("lts").text, "lts");
  EXPECT_FALSE(parse_spec("lts/iron/x").ok());
  EXPECT_FALSE(parse_spec("lts/").ok()) << "an empty codename is no LTS name";
  EXPECT_EQ(spec("ltsx").text, "ltsx");
}

TEST(VersionSpec, ParseRefusesUnsafeVersions) {
  for (const char* bad : {"", "../x", "1/2", "..", "1 2", "-1"}) {
    auto s = parse_spec(bad);
    EXPECT_FALSE(s.ok()) << "accepted '" << bad << "'";
    if (!s.ok()) {
      EXPECT_FALSE(s.error().empty());
    }
  }
}

struct MatchCase {
  const char* spec;
  const char* version;
  bool matches;
};

TEST(VersionSpec, Matches) {
  const MatchCase cases[] = {
      // prefix by whole dotted components
      {"1.2", "1.2.7", true},
      {"1.2", "1.20.0", false},
      {"1.2", "1.2", true},
      {"1.2", "1.2.7.1", true},
      {"1", "1.9.9", true},
      {"1", "10.0.0", false},
      {"20", "20.11.1", true},
      {"20", "2.0.0", false},
      {"20", "200.1", false},
      {"1.2.3", "1.2.3", true},
      {"1.2.3", "1.2.30", false},
      {"1.2.3", "1.2.4", false},
      {"1.2.3", "1.2", false},
      // prefixes skip prereleases; only an exact spec selects one
      {"1", "1.2.0-rc1", false},
      {"1.2", "1.2.0-rc1", false},
      {"1.2.0", "1.2.0-rc1", false},
      {"3.12", "3.12.0a1", false},
      {"3.12.0", "3.12.0a1", false},
      {"3.12.0", "3.12.0rc1", false},
      {"1.2.0-rc1", "1.2.0-rc1", true},
      {"3.12.0a1", "3.12.0a1", true},
      {"1.2.0-rc1", "1.2.0-rc2", false},
      {"1.2.0-rc1", "1.2.0", false},
      // latest: any release, never a prerelease
      {"latest", "20.11.1", true},
      {"latest", "0.0.1", true},
      {"latest", "21.0.0-rc1", false},
      {"latest", "3.13.0b2", false},
      // system: nothing installed
      {"system", "1.2.3", false},
      {"system", "system", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(spec_matches(spec(c.spec), c.version), c.matches) << "spec " << c.spec << " vs " << c.version;
  }
}

const std::vector<std::string> kInstalled = {"1.2.9", "1.2.10", "1.20.0", "1.2.11-rc1", "1.1.0", "1.2", "2.0.0-beta"};

std::vector<std::string> ranked(const char* text) {
  std::vector<std::string> out;
  for (std::size_t i : ranked_matches(spec(text), kInstalled)) out.push_back(kInstalled.at(i));
  return out;
}

TEST(VersionSpec, RankedMatchesPrefixBestFirst) {
  // "1.2" names an installed 1.2: that one first, as mise 2026.9.15 resolves
  // it (`mise where` with 1.2, 1.2.9 and 1.2.10 installed), then the newest.
  EXPECT_EQ(ranked("1.2"), (std::vector<std::string>{"1.2", "1.2.10", "1.2.9"}));
  EXPECT_EQ(ranked("1.2.9"), (std::vector<std::string>{"1.2.9"}));
  EXPECT_EQ(ranked("1"), (std::vector<std::string>{"1.20.0", "1.2.10", "1.2.9", "1.2", "1.1.0"}));
}

TEST(VersionSpec, RankedMatchesLatestSkipsPrereleases) {
  EXPECT_EQ(ranked("latest"), (std::vector<std::string>{"1.20.0", "1.2.10", "1.2.9", "1.2", "1.1.0"}));
}

TEST(VersionSpec, RankedMatchesExactPrerelease) {
  EXPECT_EQ(ranked("1.2.11-rc1"), (std::vector<std::string>{"1.2.11-rc1"}));
  EXPECT_EQ(ranked("2.0.0-beta"), (std::vector<std::string>{"2.0.0-beta"}));
  EXPECT_TRUE(ranked("2").empty());  // 2.0.0-beta only through an exact spec
}

TEST(VersionSpec, RankedMatchesNone) {
  EXPECT_TRUE(ranked("system").empty());
  EXPECT_TRUE(ranked("3").empty());
  EXPECT_TRUE(ranked_matches(spec("latest"), std::vector<std::string>{}).empty());
}

TEST(VersionSpec, RankedMatchesReturnsIndexesIntoInput) {
  const std::vector<std::string> v = {"1.0.0", "3.0.0", "2.0.0"};
  EXPECT_EQ(ranked_matches(spec("latest"), v), (std::vector<std::size_t>{1, 2, 0}));
}

}  // namespace
}  // namespace rtx::resolver
