// Each test gets a fresh temporary world: archives are built in in/, and
// extracted to out/dest, so "nothing left behind" means out/ is still empty.
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "archive_builder.hpp"
#include "manager/archive/extract.hpp"
#include "tests/support/temp_dir.hpp"
#include "tree_helpers.hpp"

namespace rtx::test {

class ExtractTest : public ::testing::Test {
 protected:
  ExtractTest() {
    ::mkdir((tmp_ / "in").c_str(), 0755);
    ::mkdir((tmp_ / "out").c_str(), 0755);
  }

  std::string archive_path(const std::string& name = "a") const { return tmp_ / ("in/" + name); }
  std::string out() const { return tmp_ / "out"; }
  std::string dest() const { return tmp_ / "out/dest"; }
  std::string at(const std::string& rel) const { return dest() + "/" + rel; }

  // Builds `builder` as `format` into in/, then extracts it into out/dest.
  Expected<archive::ExtractStats> build_and_extract(const ArchiveBuilder& builder, Format format = Format::TarGz,
                                                    int strip = 0) {
    std::string path = archive_path();
    builder.write(path, format);
    return extract_file(path, strip);
  }

  Expected<archive::ExtractStats> extract_file(const std::string& path, int strip = 0) {
    archive::ExtractRequest request;
    request.archive = path;
    request.destination = dest();
    request.strip_components = strip;
    return archive::extract(request);
  }

  // Refused with a message containing `expected`, and out/ left as it was (empty).
  void expect_refused(const Expected<archive::ExtractStats>& result, const std::string& expected) {
    ASSERT_FALSE(result.ok()) << "extraction succeeded, expected an error containing: " << expected;
    EXPECT_NE(result.error().find(expected), std::string::npos) << result.error();
    EXPECT_EQ(result.error().find('\n'), std::string::npos) << "not one line: " << result.error();
    EXPECT_NE(result.error().find(dest()), std::string::npos) << "does not name the destination: " << result.error();
    expect_nothing_left();
  }

  void expect_nothing_left() {
    EXPECT_EQ(list_dir(out()), std::vector<std::string>{}) << "left behind in " << out();
    EXPECT_EQ(list_dir(tmp_.path()), (std::vector<std::string>{"in", "out"})) << "written beside out/";
  }

  ScopedTempDir tmp_;
};

}  // namespace rtx::test
