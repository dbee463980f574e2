// Version ordering, prerelease detection and validation (DESIGN.md §4).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "resolver/version.hpp"

namespace rtx::resolver {
namespace {

int sign(int v) { return (v > 0) - (v < 0); }

struct OrderCase {
  const char* lower;
  const char* higher;
};

// Every pair must compare lower < higher, and the reverse must agree.
const OrderCase kOrdered[] = {
    {"1.2.9", "1.2.10"},  // numeric per component, not lexical
    {"1.9", "1.10"},
    {"9", "10"},
    {"1.2.3", "2"},
    {"0.9.9", "1.0.0"},
    {"1.2", "1.2.1"},  // a shorter version is below its extensions
    {"1.2.0", "1.2.0.1"},
    {"1.2.0-rc1", "1.2.0"},  // prereleases below their release
    {"1.2.0-rc1", "1.2.0.1"},
    {"1.2.2", "1.2.3-rc1"},  // but above the previous release
    {"20.11.1", "21.0.0-rc1"},
    {"3.12.0a1", "3.12.0b2"},  // python's a < b < rc < release
    {"3.12.0b2", "3.12.0rc1"},
    {"3.12.0rc1", "3.12.0"},
    {"3.12.0a1", "3.12.0"},
    {"3.12.0a1", "3.12.0a2"},
    {"1.0.0-alpha", "1.0.0-beta"},
    {"1.0.0-alpha", "1.0.0-alpha.1"},
    {"1.0.0-beta.2", "1.0.0-beta.11"},
    {"1.0.0-rc.1", "1.0.0"},
    {"1.0.0-dev", "1.0.0-alpha"},
    {"1.0.0-preview1", "1.0.0-rc1"},
    {"2.0.0-SNAPSHOT", "2.0.0"},
    {"1.0.0-RC1", "1.0.0"},  // markers are case-insensitive
    {"1.09", "1.10"},        // leading zeros do not make a number smaller
    {"1.9", "1.010"},
    {"v1.2.9", "v1.2.10"},  // a 'v' prefix is ignored
    {"v1.2.9", "1.2.10"},
    {"1.2.9", "v1.2.10"},
};

TEST(VersionOrder, OrderedPairs) {
  for (const auto& c : kOrdered) {
    SCOPED_TRACE(std::string(c.lower) + " < " + c.higher);
    EXPECT_LT(compare_versions(c.lower, c.higher), 0);
    EXPECT_GT(compare_versions(c.higher, c.lower), 0);
  }
}

TEST(VersionOrder, EqualPairs) {
  const OrderCase equal[] = {
      {"1.2.3", "1.2.3"},    {"v1.2.3", "1.2.3"},        {"V1.2.3", "1.2.3"},
      {"01.02.03", "1.2.3"}, {"1.0.0-rc1", "1.0.0-rc1"}, {"3.12.0rc1", "3.12.0-rc.1"},
  };
  for (const auto& c : equal) {
    SCOPED_TRACE(std::string(c.lower) + " == " + c.higher);
    EXPECT_EQ(compare_versions(c.lower, c.higher), 0);
    EXPECT_EQ(compare_versions(c.higher, c.lower), 0);
  }
}

TEST(VersionOrder, SortsAShuffledList) {
  std::vector<std::string> v = {"3.12.0", "3.11.9", "3.12.0rc1", "3.12.10", "3.12.0a1", "3.12.2", "3.12.0b2", "3.9.18"};
  std::sort(v.begin(), v.end(), [](const std::string& a, const std::string& b) { return compare_versions(a, b) < 0; });
  EXPECT_EQ(v, (std::vector<std::string>{"3.9.18", "3.11.9", "3.12.0a1", "3.12.0b2", "3.12.0rc1", "3.12.0", "3.12.2",
                                         "3.12.10"}));
}

// std::sort (ranked_matches) needs a strict weak order: no cycles a < b < c < a.
void expect_transitive(const std::vector<std::string>& versions) {
  for (const auto& a : versions)
    for (const auto& b : versions)
      for (const auto& c : versions) {
        if (compare_versions(a, b) < 0 && compare_versions(b, c) < 0) {
          EXPECT_LT(compare_versions(a, c), 0) << a << " < " << b << " < " << c << " but not " << a << " < " << c;
        }
        EXPECT_EQ(sign(compare_versions(a, b)), -sign(compare_versions(b, a))) << a << " vs " << b;
      }
}

TEST(VersionOrder, IsTransitiveOverReleasesAndPrereleases) {
  expect_transitive({"1.0.0", "1.0.0-rc1", "1.0.0-alpha", "1.0.0-beta.2", "1.0.0.1", "1.0", "0.9", "1.0.1-rc1",
                     "v1.0.0", "1.0.0a1", "1.0.0-dev"});
}

TEST(VersionOrder, IsTransitiveWithNonPrereleaseSuffixWords) {
  // A suffix word that is not a prerelease marker ("+build1", "-lts") sorts above
  // its release; it must then also sort above that release's prereleases.
  expect_transitive({"1.0.0-rc1", "1.0.0", "1.0.0+build1"});
  expect_transitive({"20.0.0-beta", "20.0.0", "20.0.0-lts"});
}

struct PrereleaseCase {
  const char* version;
  bool prerelease;
};

TEST(VersionOrder, IsPrerelease) {
  const PrereleaseCase cases[] = {
      {"1.2.0-rc1", true},      {"3.12.0a1", true},       {"3.12.0b2", true},       {"3.12.0rc1", true},
      {"1.0.0-alpha", true},    {"1.0.0-beta.2", true},   {"2.0.0-dev", true},      {"1.0.0-preview.1", true},
      {"23.0.0-nightly", true}, {"4.0.0-SNAPSHOT", true}, {"1.0.0-canary.3", true}, {"15.0.0-next.1", true},
      {"2.0.0-M1", true},       {"1.0.0-pre", true},      {"1.0.0-RC1", true},      {"v2.0.0-beta", true},
      {"1.2.0", false},         {"20.11.1", false},       {"1.2.3+build5", false},  {"temurin-17.0.1", false},
      {"latest", false},        {"v1.2.3", false},        {"1.2.3-1", false},       {"17.0.1+12", false},
  };
  for (const auto& c : cases) EXPECT_EQ(is_prerelease(c.version), c.prerelease) << c.version;
}

TEST(VersionOrder, ValidateRefuses) {
  const std::string refused[] = {
      "",
      "1.2/3",
      "../x",
      "/etc",
      "1\\2",
      "1..2",
      "..",
      std::string("1.2\0.3", 6),  // embedded NUL
      std::string("\0", 1),
      " 1.2",
      "1.2 ",
      "1. 2",
      "1.2\t",
      "1.2\n",
      "1.2\r",
      std::string("1.2\x7f", 4),
      std::string("1.2\x01", 4),
      ".1.2",
      "-1.2",
      std::string(129, '1'),
      "1" + std::string(128, '0'),
  };
  for (const auto& v : refused) {
    Status st = validate_version(v);
    EXPECT_FALSE(st.ok()) << "accepted '" << v << "' (" << v.size() << " bytes)";
    if (!st.ok()) {
      EXPECT_FALSE(st.error().empty());
    }
  }
}

TEST(VersionOrder, ValidateAccepts) {
  const std::string accepted[] = {
      "1.2.3", "temurin-17.0.1", "latest", "3.12.0rc1",           "v1.2.3", "17.0.1+12",
      "1",     "1.0.0-beta.2",   "1_2",    std::string(128, '1'),  // exactly the limit
  };
  for (const auto& v : accepted) {
    Status st = validate_version(v);
    EXPECT_TRUE(st.ok()) << v << ": " << st.error();
  }
}

TEST(VersionOrder, ValidateErrorNamesTheVersion) {
  Status st = validate_version("1..2");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().find("1..2"), std::string::npos) << st.error();
}

}  // namespace
}  // namespace rtx::resolver
