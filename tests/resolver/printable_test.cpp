// What rtx echoes from outside is escaped and cut (issue 8 item 11).
#include <gtest/gtest.h>

#include "resolver/printable.hpp"

namespace rtx::resolver {
namespace {

TEST(Printable, ControlCharactersAreEscaped) {
  EXPECT_EQ(printable("1\x1b]0;HACKED\x07"), "1\\e]0;HACKED\\x07");
  EXPECT_EQ(printable("a\nb\tc\rd\x7f"), "a\\nb\\tc\\rd\\x7f");
  EXPECT_EQ(printable("\xc2\x9b"
                      "31m"),
            "\\x9b31m")
      << "C1 CSI as UTF-8";
  EXPECT_EQ(printable("héllo ✓"), "héllo ✓");
}

TEST(Printable, LongTextIsCut) {
  std::string out = printable(std::string(100000, 'x'), 100);
  EXPECT_LT(out.size(), 130u);
  EXPECT_NE(out.find("(+99900 bytes)"), std::string::npos) << out;
  EXPECT_EQ(printable("short", 100), "short");
}

TEST(Printable, ControlCharacterDetection) {
  EXPECT_TRUE(has_control_chars("a\nb"));
  EXPECT_TRUE(has_control_chars("\x1b"));
  EXPECT_TRUE(has_control_chars(std::string("a\0b", 3)));
  EXPECT_FALSE(has_control_chars("lts-iron é"));
}

}  // namespace
}  // namespace rtx::resolver
