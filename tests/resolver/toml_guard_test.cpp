// Non-ASCII outside TOML strings and comments is refused before toml++ sees it
// (toml++ 3.3.0 reaches undefined behaviour on some such bytes: fuzz/config_toml).
#include <gtest/gtest.h>

#include "resolver/config_file.hpp"
#include "resolver/toml_guard.hpp"

namespace rtx::resolver {
namespace {

TEST(TomlGuard, NonAsciiInStringsAndCommentsIsFine) {
  EXPECT_EQ(toml_non_ascii_line("\xEF\xBB\xBF[tools]\nnode = \"20\" # é\n\"clé\" = 'ü'\n"), 0);
  EXPECT_EQ(toml_non_ascii_line("a = \"\"\"\nünï\n\"\"\"\nb = '''\n€\n'''\n"), 0);
  EXPECT_EQ(toml_non_ascii_line("a = \"esc \\\" é\"\n"), 0);
  EXPECT_EQ(toml_non_ascii_line("a = \"\"\"x\"\"\"\"\"\n"), 0) << "up to two quotes after the closing triple";
  EXPECT_EQ(toml_non_ascii_line("[\"t\".'u']\nx = { \"k\" = [ # c\n  'v', \"w\" ] }\n[[\"arr\"]]\n"), 0);
}

TEST(TomlGuard, NonAsciiElsewhereGivesItsLine) {
  EXPECT_EQ(toml_non_ascii_line("[[\xEF\xBB\xBB"), 1);
  EXPECT_EQ(toml_non_ascii_line("[tools]\n\"t\"\xC3\x9Bt\" = 1\n"), 2);
  EXPECT_EQ(toml_non_ascii_line("a = \"x\"\nb = 'y'\nné = 1\n"), 3);
  EXPECT_EQ(toml_non_ascii_line("a = \"unterminated\nü = 1\n"), 2) << "a string ends at its line";
  EXPECT_EQ(toml_non_ascii_line("[tools]\npython = [\".\" ,131\"[\xEF\xBB\xBB.r2\" }\n"), 2)
      << "a quote where no string can start (toml++ scans on through it)";
}

TEST(TomlGuard, ConfigParsingReportsItAsOneLine) {
  auto parsed = parse_config("/p/rtx.toml", "[tools]\nnode\xC2\xA0= \"20\"\n", ConfigFormat::Toml);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().rfind("/p/rtx.toml:2: invalid TOML: a non-ASCII character", 0), 0u) << parsed.error();
}

}  // namespace
}  // namespace rtx::resolver
