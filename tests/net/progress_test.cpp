// What downloads print: sizes, rates, the summary line, the live line.
#include "manager/net/progress.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace rtx::net {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(Progress, FormatBytesPicksBinaryUnits) {
  EXPECT_EQ(format_bytes(0), "0 B");
  EXPECT_EQ(format_bytes(1023), "1023 B");
  EXPECT_EQ(format_bytes(1024), "1.0 KiB");
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
  EXPECT_EQ(format_bytes(std::uint64_t(12.3 * 1024 * 1024)), "12.3 MiB");
  EXPECT_EQ(format_bytes(std::uint64_t(3) << 30), "3.0 GiB");
}

TEST(Progress, FormatSeconds) {
  EXPECT_EQ(format_seconds(0.04), "0.0 s");
  EXPECT_EQ(format_seconds(1.25), "1.2 s");
  EXPECT_EQ(format_seconds(42.4), "42 s");
  EXPECT_EQ(format_seconds(185), "3m05s");
}

TEST(Progress, SummaryLineMatchesTheDocumentedFormat) {
  std::uint64_t size = std::uint64_t(12.3 * 1024 * 1024);
  EXPECT_EQ(format_summary("https://x/node.tar.xz", size, size, 1.2),
            "downloaded https://x/node.tar.xz: 12.3 MiB in 1.2 s (10.2 MiB/s)");
  // A resumed download says where it resumed; the rate is what this run moved.
  EXPECT_EQ(format_summary("u", 2 * 1024 * 1024, 1024 * 1024, 1.0),
            "downloaded u: 2.0 MiB in 1.0 s (1.0 MiB/s, resumed at 1.0 MiB)");
}

TEST(Progress, LiveLineHasBytesRateAndEtaOnlyWhenTheSizeIsKnown) {
  std::string known = format_progress_line("node.tar.xz", 1024 * 1024, 4 * 1024 * 1024, 1024 * 1024, 1.0);
  EXPECT_EQ(known, "node.tar.xz  1.0 MiB / 4.0 MiB  1.0 MiB/s  ETA 3.0 s");
  std::string unknown = format_progress_line("f", 2048, std::nullopt, 2048, 1.0);
  EXPECT_EQ(unknown, "f  2.0 KiB  2.0 KiB/s");
  EXPECT_THAT(unknown, Not(HasSubstr("ETA")));
}

}  // namespace
}  // namespace rtx::net
