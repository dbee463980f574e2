// npm version ranges (npm_semver.hpp) against node-semver's own cases: the
// strict-mode rows of its test/fixtures (range-parse.js, range-include.js,
// range-exclude.js, comparisons.js, equality.js) and its README's examples.
#include "manager/backends/core/npm_semver.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rtx::backends::core {
namespace {

struct RangeCase {
  std::string range;
  std::string expected;  // normalized range, or a version
};

std::string normalized(const std::string& text) {
  auto range = parse_npm_range(text);
  return range ? range->normalized() : "error: " + range.error();
}

bool satisfies(const std::string& range_text, const std::string& version) {
  auto range = parse_npm_range(range_text);
  EXPECT_TRUE(range) << range.error();
  return range && npm_satisfies(*range, version);
}

// How node-semver rewrites each form into plain comparators ("-0" upper
// bounds keep the next version's prereleases out).
TEST(NpmSemver, NormalizesAsNodeSemver) {
  const std::vector<RangeCase> cases = {
      // range-parse.js
      {"1.0.0 - 2.0.0", ">=1.0.0 <=2.0.0"},
      {"1 - 2", ">=1.0.0 <3.0.0-0"},
      {"1.0 - 2.0", ">=1.0.0 <2.1.0-0"},
      {"1.0.0", "1.0.0"},
      {">=*", "*"},
      {"", "*"},
      {"*", "*"},
      {">=1.0.0", ">=1.0.0"},
      {">1.0.0", ">1.0.0"},
      {"<=2.0.0", "<=2.0.0"},
      {"1", ">=1.0.0 <2.0.0-0"},
      {"<2.0.0", "<2.0.0"},
      {">= 1.0.0", ">=1.0.0"},
      {">=  1.0.0", ">=1.0.0"},
      {"> 1.0.0", ">1.0.0"},
      {"<=   2.0.0", "<=2.0.0"},
      {"<\t2.0.0", "<2.0.0"},
      {">=0.1.97", ">=0.1.97"},
      {"0.1.20 || 1.2.4", "0.1.20||1.2.4"},
      {">=0.2.3 || <0.0.1", ">=0.2.3||<0.0.1"},
      {"||", "*"},
      {"2.x.x", ">=2.0.0 <3.0.0-0"},
      {"1.2.x", ">=1.2.0 <1.3.0-0"},
      {"1.2.x || 2.x", ">=1.2.0 <1.3.0-0||>=2.0.0 <3.0.0-0"},
      {"x", "*"},
      {"X", "*"},
      {"2.*.*", ">=2.0.0 <3.0.0-0"},
      {"1.2.*", ">=1.2.0 <1.3.0-0"},
      {"1.2.* || 2.*", ">=1.2.0 <1.3.0-0||>=2.0.0 <3.0.0-0"},
      {"2", ">=2.0.0 <3.0.0-0"},
      {"2.3", ">=2.3.0 <2.4.0-0"},
      {"~2.4", ">=2.4.0 <2.5.0-0"},
      {"~>3.2.1", ">=3.2.1 <3.3.0-0"},
      {"~1", ">=1.0.0 <2.0.0-0"},
      {"~>1", ">=1.0.0 <2.0.0-0"},
      {"~> 1", ">=1.0.0 <2.0.0-0"},
      {"~1.0", ">=1.0.0 <1.1.0-0"},
      {"~ 1.0", ">=1.0.0 <1.1.0-0"},
      {"^0", "<1.0.0-0"},
      {"^ 1", ">=1.0.0 <2.0.0-0"},
      {"^0.1", ">=0.1.0 <0.2.0-0"},
      {"^1.0", ">=1.0.0 <2.0.0-0"},
      {"^1.2", ">=1.2.0 <2.0.0-0"},
      {"^0.0.1", ">=0.0.1 <0.0.2-0"},
      {"^0.0.1-beta", ">=0.0.1-beta <0.0.2-0"},
      {"^0.1.2", ">=0.1.2 <0.2.0-0"},
      {"^1.2.3", ">=1.2.3 <2.0.0-0"},
      {"^1.2.3-beta.4", ">=1.2.3-beta.4 <2.0.0-0"},
      {"<1", "<1.0.0-0"},
      {"< 1", "<1.0.0-0"},
      {">=1", ">=1.0.0"},
      {">= 1", ">=1.0.0"},
      {"<1.2", "<1.2.0-0"},
      {"< 1.2", "<1.2.0-0"},
      {"^ 1.2 ^ 1", ">=1.2.0 <2.0.0-0 >=1.0.0"},
      {"1.2 - 3.4.5", ">=1.2.0 <=3.4.5"},
      {"1.2.3 - 3.4", ">=1.2.3 <3.5.0-0"},
      {"1.2 - 3.4", ">=1.2.0 <3.5.0-0"},
      {">1", ">=2.0.0"},
      {">1.2", ">=1.3.0"},
      {">X", "<0.0.0-0"},
      {"<X", "<0.0.0-0"},
      {"<x <* || >* 2.x", "<0.0.0-0"},
      {">x 2.x || * || <x", "*"},
      // tilde, caret, hyphen and comparator-with-x forms of the README
      {"~1.2.3", ">=1.2.3 <1.3.0-0"},
      {"~1.2", ">=1.2.0 <1.3.0-0"},
      {"~0.2.3", ">=0.2.3 <0.3.0-0"},
      {"~0", "<1.0.0-0"},
      {"~1.2.3-beta.2", ">=1.2.3-beta.2 <1.3.0-0"},
      {"^0.2.3", ">=0.2.3 <0.3.0-0"},
      {"^0.0.3", ">=0.0.3 <0.0.4-0"},
      {"^1.2.3-beta.2", ">=1.2.3-beta.2 <2.0.0-0"},
      {"^0.0.3-beta", ">=0.0.3-beta <0.0.4-0"},
      {"^1.2.x", ">=1.2.0 <2.0.0-0"},
      {"^0.0.x", "<0.1.0-0"},
      {"^0.0", "<0.1.0-0"},
      {"^1.x", ">=1.0.0 <2.0.0-0"},
      {"^0.x", "<1.0.0-0"},
      {"^x", "*"},
      {"1.2.3 - 2.3.4", ">=1.2.3 <=2.3.4"},
      {"1.2.3 - 2.3", ">=1.2.3 <2.4.0-0"},
      {"1.2.3 - 2", ">=1.2.3 <3.0.0-0"},
      {"1.2 - 2.3.4", ">=1.2.0 <=2.3.4"},
      {"1.2.3-pre+asdf - 2.4.3-pre+asdf", ">=1.2.3-pre <=2.4.3-pre"},
      {"x - 1.0.0", "<=1.0.0"},
      {"1.0.0 - x", ">=1.0.0"},
      {"<=1.2", "<1.3.0-0"},
      {">=1.2", ">=1.2.0"},
      {"=0.7.x", ">=0.7.0 <0.8.0-0"},
      {"<=0.7.x", "<0.8.0-0"},
      {">=0.0.0", "*"},
      {"1.2.x 1.2.x", ">=1.2.0 <1.3.0-0"},
      // a leading 'v' or '=', build metadata, whitespace around the range
      {"v1.2.3", "1.2.3"},
      {"=1.2.3", "1.2.3"},
      {"=v1.2.3", "1.2.3"},
      {"~v0.5.4-pre", ">=0.5.4-pre <0.6.0-0"},
      {"^1.2.3+build", ">=1.2.3 <2.0.0-0"},
      {"  1.2.3  ", "1.2.3"},
      {"1.2.3 ||", "*"},  // an empty set admits anything, as in node-semver
  };
  for (const auto& c : cases) EXPECT_EQ(normalized(c.range), c.expected) << "range '" << c.range << "'";
}

TEST(NpmSemver, IncludesTheVersionsNodeSemverIncludes) {
  const std::vector<RangeCase> cases = {
      // range-include.js (strict mode, without includePrerelease)
      {"1.0.0 - 2.0.0", "1.2.3"},
      {"^1.2.3+build", "1.2.3"},
      {"^1.2.3+build", "1.3.0"},
      {"1.2.3-pre+asdf - 2.4.3-pre+asdf", "1.2.3"},
      {"1.2.3-pre+asdf - 2.4.3-pre+asdf", "1.2.3-pre.2"},
      {"1.2.3-pre+asdf - 2.4.3-pre+asdf", "2.4.3-alpha"},
      {"1.2.3+asdf - 2.4.3+asdf", "1.2.3"},
      {"1.0.0", "1.0.0"},
      {">=*", "0.2.4"},
      {"", "1.0.0"},
      {"*", "1.2.3"},
      {"*", "v1.2.3"},
      {">=1.0.0", "1.0.0"},
      {">=1.0.0", "1.0.1"},
      {">=1.0.0", "1.1.0"},
      {">1.0.0", "1.0.1"},
      {">1.0.0", "1.1.0"},
      {"<=2.0.0", "2.0.0"},
      {"<=2.0.0", "1.9999.9999"},
      {"<=2.0.0", "0.2.9"},
      {"<2.0.0", "1.9999.9999"},
      {"<2.0.0", "0.2.9"},
      {">= 1.0.0", "1.0.0"},
      {">=  1.0.0", "1.0.1"},
      {"> 1.0.0", "1.0.1"},
      {"<=   2.0.0", "2.0.0"},
      {"<    2.0.0", "1.9999.9999"},
      {"<\t2.0.0", "0.2.9"},
      {">=0.1.97", "v0.1.97"},
      {">=0.1.97", "0.1.97"},
      {"0.1.20 || 1.2.4", "1.2.4"},
      {">=0.2.3 || <0.0.1", "0.0.0"},
      {">=0.2.3 || <0.0.1", "0.2.3"},
      {">=0.2.3 || <0.0.1", "0.2.4"},
      {"||", "1.3.4"},
      {"2.x.x", "2.1.3"},
      {"1.2.x", "1.2.3"},
      {"1.2.x || 2.x", "2.1.3"},
      {"1.2.x || 2.x", "1.2.3"},
      {"x", "1.2.3"},
      {"2.*.*", "2.1.3"},
      {"1.2.*", "1.2.3"},
      {"1.2.* || 2.*", "2.1.3"},
      {"1.2.* || 2.*", "1.2.3"},
      {"2", "2.1.2"},
      {"2.3", "2.3.1"},
      {"~0.0.1", "0.0.1"},
      {"~0.0.1", "0.0.2"},
      {"~x", "0.0.9"},
      {"~2", "2.0.9"},
      {"~2.4", "2.4.0"},
      {"~2.4", "2.4.5"},
      {"~>3.2.1", "3.2.2"},
      {"~1", "1.2.3"},
      {"~>1", "1.2.3"},
      {"~> 1", "1.2.3"},
      {"~1.0", "1.0.2"},
      {"~ 1.0", "1.0.2"},
      {"~ 1.0.3", "1.0.12"},
      {">=1", "1.0.0"},
      {">= 1", "1.0.0"},
      {"<1.2", "1.1.1"},
      {"< 1.2", "1.1.1"},
      {"~v0.5.4-pre", "0.5.5"},
      {"~v0.5.4-pre", "0.5.4"},
      {"=0.7.x", "0.7.2"},
      {"<=0.7.x", "0.7.2"},
      {">=0.7.x", "0.7.2"},
      {"<=0.7.x", "0.6.2"},
      {"~1.2.1 >=1.2.3", "1.2.3"},
      {"~1.2.1 =1.2.3", "1.2.3"},
      {"~1.2.1 1.2.3", "1.2.3"},
      {"~1.2.1 >=1.2.3 1.2.3", "1.2.3"},
      {"~1.2.1 1.2.3 >=1.2.3", "1.2.3"},
      {">=1.2.1 1.2.3", "1.2.3"},
      {"1.2.3 >=1.2.1", "1.2.3"},
      {">=1.2.3 >=1.2.1", "1.2.3"},
      {">=1.2.1 >=1.2.3", "1.2.3"},
      {">=1.2", "1.2.8"},
      {"^1.2.3", "1.8.1"},
      {"^0.1.2", "0.1.2"},
      {"^0.1", "0.1.2"},
      {"^0.0.1", "0.0.1"},
      {"^1.2", "1.4.2"},
      {"^1.2 ^1", "1.4.2"},
      {"^1.2.3-alpha", "1.2.3-pre"},
      {"^1.2.0-alpha", "1.2.0-pre"},
      {"^0.0.1-alpha", "0.0.1-beta"},
      {"^0.0.1-alpha", "0.0.1"},
      {"^0.1.1-alpha", "0.1.1-beta"},
      {"^x", "1.2.3"},
      {"x - 1.0.0", "0.9.7"},
      {"x - 1.x", "0.9.7"},
      {"1.0.0 - x", "1.9.7"},
      {"1.x - x", "1.9.7"},
      {"<=7.x", "7.9.9"},
      // README: prereleases of the named major.minor.patch only
      {">1.2.3-alpha.3", "1.2.3-alpha.7"},
      {">1.2.3-alpha.3", "3.4.5"},
      {">=1.2.3-beta.2 <1.3.0 || 2.x", "1.2.3-beta.4"},
      {"~1.2.3-beta.2", "1.2.3-beta.4"},
      {"~1.2.3-beta.2", "1.2.9"},
      {"^1.2.3-beta.2", "1.2.3-beta.4"},
      {"^1.2.3-beta.2", "1.9.0"},
      {"1.2.3-beta", "1.2.3-beta"},
      // README: tilde, caret, hyphen, x-ranges
      {"~1.2.3", "1.2.9"},
      {"~0.2.3", "0.2.9"},
      {"^0.2.3", "0.2.9"},
      {"^0.0.3", "0.0.3"},
      {"^0.0.x", "0.0.9"},
      {"^0.0", "0.0.9"},
      {"^0.x", "0.9.9"},
      {"^1.x", "1.99.0"},
      {"1.2.3 - 2.3.4", "2.3.4"},
      {"1.2.3 - 2.3", "2.3.99"},
      {"1.2.3 - 2", "2.99.0"},
      {"1.2 - 2.3.4", "1.2.0"},
      {">1", "2.0.0"},
      {"<=1.2", "1.2.99"},
      {"*", "0.0.0"},
      // the version: 'v', '=', surrounding whitespace, build metadata ignored
      {"1.2.3", "1.2.3+build.5"},
      {"1.2.3", "=1.2.3"},
      {"1.2.3", "  v1.2.3 "},
      {"1.2.3-beta+x", "1.2.3-beta+y"},
  };
  for (const auto& c : cases) EXPECT_TRUE(satisfies(c.range, c.expected)) << c.expected << " in '" << c.range << "'";
}

TEST(NpmSemver, ExcludesTheVersionsNodeSemverExcludes) {
  const std::vector<RangeCase> cases = {
      // range-exclude.js (strict mode, without includePrerelease)
      {"1.0.0 - 2.0.0", "2.2.3"},
      {"1.2.3+asdf - 2.4.3+asdf", "1.2.3-pre.2"},
      {"1.2.3+asdf - 2.4.3+asdf", "2.4.3-alpha"},
      {"^1.2.3+build", "2.0.0"},
      {"^1.2.3+build", "1.2.0"},
      {"^1.2.3", "1.2.3-pre"},
      {"^1.2", "1.2.0-pre"},
      {">1.2", "1.3.0-beta"},
      {"<=1.2.3", "1.2.3-beta"},
      {"^1.2.3", "1.2.3-beta"},
      {"=0.7.x", "0.7.0-asdf"},
      {">=0.7.x", "0.7.0-asdf"},
      {"1", "1.0.0beta"},
      {"<1", "1.0.0beta"},
      {"< 1", "1.0.0beta"},
      {"1.0.0", "1.0.1"},
      {">=1.0.0", "0.0.0"},
      {">=1.0.0", "0.0.1"},
      {">=1.0.0", "0.1.0"},
      {">1.0.0", "0.0.1"},
      {">1.0.0", "0.1.0"},
      {"<=2.0.0", "3.0.0"},
      {"<=2.0.0", "2.9999.9999"},
      {"<=2.0.0", "2.2.9"},
      {"<2.0.0", "2.9999.9999"},
      {"<2.0.0", "2.2.9"},
      {">=0.1.97", "v0.1.93"},
      {">=0.1.97", "0.1.93"},
      {"0.1.20 || 1.2.4", "1.2.3"},
      {">=0.2.3 || <0.0.1", "0.0.3"},
      {">=0.2.3 || <0.0.1", "0.2.2"},
      {"2.x.x", "1.1.3"},
      {"2.x.x", "3.1.3"},
      {"1.2.x", "1.3.3"},
      {"1.2.x || 2.x", "3.1.3"},
      {"1.2.x || 2.x", "1.1.3"},
      {"2.*.*", "1.1.3"},
      {"2.*.*", "3.1.3"},
      {"1.2.*", "1.3.3"},
      {"1.2.* || 2.*", "3.1.3"},
      {"1.2.* || 2.*", "1.1.3"},
      {"2", "1.1.2"},
      {"2.3", "2.4.1"},
      {"~0.0.1", "0.1.0-alpha"},
      {"~0.0.1", "0.1.0"},
      {"~2.4", "2.5.0"},
      {"~2.4", "2.3.9"},
      {"~>3.2.1", "3.3.2"},
      {"~>3.2.1", "3.2.0"},
      {"~1", "0.2.3"},
      {"~>1", "2.2.3"},
      {"~1.0", "1.1.0"},
      {"<1", "1.0.0"},
      {">=1.2", "1.1.1"},
      {"1", "2.0.0beta"},
      {"~v0.5.4-beta", "0.5.4-alpha"},
      {"=0.7.x", "0.8.2"},
      {">=0.7.x", "0.6.2"},
      {"<0.7.x", "0.7.2"},
      {"<1.2.3", "1.2.3-beta"},
      {"=1.2.3", "1.2.3-beta"},
      {">1.2", "1.2.8"},
      {"^0.0.1", "0.0.2-alpha"},
      {"^0.0.1", "0.0.2"},
      {"^1.2.3", "2.0.0-alpha"},
      {"^1.2.3", "1.2.2"},
      {"^1.2", "1.1.9"},
      {"*", "v1.2.3-foo"},
      {"^1.0.0", "2.0.0-rc1"},
      // invalid versions never satisfy
      {"*", "not a version"},
      {">=2", "glorp"},
      {"*", ""},
      {"*", "1.2"},
      {"*", "1.2.3.4"},
      {"*", "01.2.3"},
      {"*", "1.02.3"},
      {"*", "1.2.3-01"},
      {"*", "1.2.3-"},
      {"*", "1.2.3+"},
      {"*", "1.2.3-a..b"},
      {"*", "1.2.3-a_b"},
      {"*", "90071992547409910.0.0"},  // above MAX_SAFE_INTEGER
      {"*", "0.0." + std::string(300, '1')},
      {"*", "x.2.3"},
      {"*", "= 1.2.3"},
      // README: prereleases of other versions stay out, "-0" bounds included
      {">1.2.3-alpha.3", "3.4.5-alpha.9"},
      {">1.2.3-alpha.3", "1.2.3-alpha.1"},
      {"~1.2.3-beta.2", "1.2.4-beta.2"},
      {"~1.2.3-beta.2", "1.2.3-beta.1"},
      {"^1.2.3-beta.2", "1.2.4-beta.2"},
      {"~1.2.3", "1.3.0-0"},
      {"~1.2.3", "1.2.4-rc.1"},
      {"^1.2.3", "2.0.0-0"},
      {"1.2.x", "1.3.0-alpha"},
      {"<2.0.0-0", "1.9.9-rc.1"},
      // README: tilde, caret, hyphen, x-ranges
      {"~1.2.3", "1.3.0"},
      {"~1.2.3", "1.2.2"},
      {"~0.2.3", "0.3.0"},
      {"^0.2.3", "0.3.0"},
      {"^0.0.3", "0.0.4"},
      {"^0.0.x", "0.1.0"},
      {"^0.x", "1.0.0"},
      {"1.2.3 - 2.3.4", "2.3.5"},
      {"1.2.3 - 2.3.4", "1.2.2"},
      {"1.2.3 - 2.3", "2.4.0"},
      {"1.2.3 - 2", "3.0.0"},
      {"1.2 - 2.3.4", "1.1.9"},
      {">1", "1.99.99"},
      {"<=1.2", "1.3.0"},
      {"<1.2", "1.2.0"},
      {">X", "1.0.0"},
      {"<x <* || >* 2.x", "2.0.0"},
  };
  for (const auto& c : cases) EXPECT_FALSE(satisfies(c.range, c.expected)) << c.expected << " in '" << c.range << "'";
}

TEST(NpmSemver, RefusesWhatIsNotARange) {
  const std::vector<std::string> cases = {
      "latest",
      "next",
      "git+https://github.com/npm/cli.git",
      "github:npm/cli",
      "https://example.com/x.tgz",
      "file:../x",
      "npm:alias@1",
      "workspace:*",
      ">=",
      "~",
      "^",
      "1.2.3 >=",
      "1.2.3 -",
      "- 1.2.3",
      "1.2.3 - 2 - 3",
      "1.2.3 - >2",
      ">1 - 2",
      ">=>1",
      "1.2.3>=1",
      ">01.02.03",
      "01",
      "~1.2.3beta",
      "1.2-beta",
      "1.x-beta",
      "1.2.3.4",
      "1.2.3-",
      "1.2.3-01",
      "a.b.c",
      "1 | 2",
      "1 ||| 2",
      "90071992547409910",
      "1.2.3 || foo",
  };
  for (const auto& text : cases) {
    auto range = parse_npm_range(text);
    ASSERT_FALSE(range) << "'" << text << "' parsed as " << range->normalized();
    EXPECT_EQ(range.error().rfind("'" + text + "' is not an npm version range (", 0), 0u) << range.error();
  }
  EXPECT_EQ(parse_npm_range("latest").error(), "'latest' is not an npm version range ('latest' is not a version)");
  EXPECT_EQ(parse_npm_range("^1 >=").error(), "'^1 >=' is not an npm version range (no version after '>=')");
}

TEST(NpmSemver, ComparesByPrecedence) {
  // semver.org §11, in order
  const std::vector<std::string> ordered = {"1.0.0-alpha",  "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                                            "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",       "1.0.0",
                                            "1.0.1",        "1.2.0",         "1.10.0",           "2.0.0"};
  for (std::size_t i = 0; i < ordered.size(); ++i)
    for (std::size_t j = 0; j < ordered.size(); ++j)
      EXPECT_EQ(npm_compare(ordered[i], ordered[j]), i < j ? -1 : i > j ? 1 : 0) << ordered[i] << " vs " << ordered[j];

  // comparisons.js: the first is greater
  const std::vector<std::pair<std::string, std::string>> greater = {
      {"0.0.0", "0.0.0-foo"},
      {"0.0.1", "0.0.0"},
      {"1.0.0", "0.9.9"},
      {"0.10.0", "0.9.0"},
      {"0.99.0", "0.10.0"},
      {"2.0.0", "1.2.3"},
      {"v0.0.0", "0.0.0-foo"},
      {"v1.0.0", "0.9.9"},
      {"0.0.0", "v0.0.0-foo"},
      {"1.2.3", "1.2.3-asdf"},
      {"1.2.3", "1.2.3-4"},
      {"1.2.3", "1.2.3-4-foo"},
      {"1.2.3-5-foo", "1.2.3-5"},
      {"1.2.3-5", "1.2.3-4"},
      {"1.2.3-5-foo", "1.2.3-5-Foo"},
      {"3.0.0", "2.7.2+asdf"},
      {"1.2.3-a.10", "1.2.3-a.5"},
      {"1.2.3-a.b", "1.2.3-a.5"},
      {"1.2.3-a.b", "1.2.3-a"},
      {"1.2.3-a.b.c.10.d.5", "1.2.3-a.b.c.5.d.100"},
      {"1.2.3-r2", "1.2.3-r100"},
      {"1.2.3-r100", "1.2.3-R2"},
      {"0.0.0-0", "not a version"},  // invalid sorts lowest
  };
  for (const auto& [a, b] : greater) {
    EXPECT_EQ(npm_compare(a, b), 1) << a << " > " << b;
    EXPECT_EQ(npm_compare(b, a), -1) << b << " < " << a;
  }

  // equality.js (strict rows) and the accepted prefixes
  const std::vector<std::pair<std::string, std::string>> equal = {
      {"1.2.3", "v1.2.3"},
      {"1.2.3", "=1.2.3"},
      {"1.2.3-beta", "=v1.2.3-beta"},
      {"1.2.3-beta+build", "1.2.3-beta+otherbuild"},
      {"1.2.3+build", "1.2.3+otherbuild"},
      {"  v1.2.3+build", "1.2.3+otherbuild"},
      {"garbage", "1.2"},
  };
  for (const auto& [a, b] : equal) EXPECT_EQ(npm_compare(a, b), 0) << a << " == " << b;
}

TEST(NpmSemver, MaxSatisfyingPicksTheHighestByPrecedence) {
  const std::vector<std::string> published = {"1.0.0",         "1.2.0",     "1.2.3-beta.1",  "1.3.0-rc.1",
                                              "not-a-version", "1.9.0",     "1.10.0",        "2.0.0-alpha",
                                              "2.0.0",         "1.2.3beta", "v1.11.0+build", "0.9.0"};
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"^1.0.0", "v1.11.0+build"},  // as written in the list
      {"~1.2.0", "1.2.0"},          // 1.2.3-beta.1 is not asked for
      {">=1.2.3-beta.0 <1.2.3", "1.2.3-beta.1"},
      {"1.3.0-rc.1", "1.3.0-rc.1"},
      {"<1.10.0", "1.9.0"},
      {"*", "2.0.0"},
      {"^2.0.0-0", "2.0.0"},
      {"2.0.0-alpha || 0.x", "2.0.0-alpha"},
      {"^0.9", "0.9.0"},
  };
  for (const auto& [text, want] : cases) {
    auto range = parse_npm_range(text);
    ASSERT_TRUE(range) << range.error();
    EXPECT_EQ(npm_max_satisfying(published, *range).value_or("(none)"), want) << "'" << text << "'";
  }
  for (std::string text : {"^3", "1.2.3-beta.2", ">2.0.0"}) {
    auto range = parse_npm_range(text);
    ASSERT_TRUE(range) << range.error();
    EXPECT_EQ(npm_max_satisfying(published, *range), std::nullopt) << "'" << text << "'";
  }

  // max-satisfying.js (strict rows); equal versions: the first one listed
  auto pick = [](std::vector<std::string> versions, const std::string& text) {
    auto range = parse_npm_range(text);
    EXPECT_TRUE(range) << range.error();
    return range ? npm_max_satisfying(versions, *range).value_or("(none)") : "";
  };
  EXPECT_EQ(pick({"1.2.3", "1.2.4"}, "1.2"), "1.2.4");
  EXPECT_EQ(pick({"1.2.4", "1.2.3"}, "1.2"), "1.2.4");
  EXPECT_EQ(pick({"1.2.3", "1.2.4", "1.2.5", "1.2.6"}, "~1.2.3"), "1.2.6");
  EXPECT_EQ(pick({"1.1.0", "1.2.0", "1.2.1", "1.3.0", "2.0.0b1", "2.0.0b2", "2.0.0", "2.1.0"}, "~2.0.0"), "2.0.0");
  EXPECT_EQ(pick({"1.2.3+a", "1.2.3+b"}, "1.2.3"), "1.2.3+a");
  EXPECT_EQ(pick({}, "*"), "(none)");
}

TEST(NpmSemver, RangesAreCopyable) {
  std::optional<NpmRange> copy;
  {
    auto range = parse_npm_range("^1.2.3 || ~0.4");
    ASSERT_TRUE(range) << range.error();
    copy = *range;
  }
  EXPECT_EQ(copy->normalized(), ">=1.2.3 <2.0.0-0||>=0.4.0 <0.5.0-0");
  EXPECT_TRUE(npm_satisfies(*copy, "0.4.7"));
  EXPECT_FALSE(npm_satisfies(*copy, "0.5.0"));
}

}  // namespace
}  // namespace rtx::backends::core
