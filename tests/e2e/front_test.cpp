// `rtx` is a static front (manager/query/front_main.cpp) that answers
// --version, current, which, ls and ps itself and hands everything else to
// rtx-manager beside it: the same bytes either way, crash recovery still done
// first, and one clear line when the manager is missing.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "harness.hpp"

namespace rtx::e2e {
namespace {

std::string manager_binary() { return std::filesystem::path(rtx_binary()).parent_path().string() + "/rtx-manager"; }

// `rtx-manager ARGS…` in `cwd`, in the world's environment.
Output run_manager(const World& world, const std::vector<std::string>& args, const std::string& cwd) {
  std::string script = "exec '" + manager_binary() + "'";
  for (const auto& a : args) script += " '" + a + "'";
  return world.sh(script, cwd);
}

class Front : public ::testing::Test {
 protected:
  void SetUp() override {
    world.link_sample_plugin();
    ASSERT_EQ(world.rtx({"install", "hello@1.1.0", "hello@2.0.0"}).status, 0);
    project = world.make_project("p", ".tool-versions", "hello 2 1\nnope 3\n");
  }
  World world;
  std::string project;
};

TEST_F(Front, AnswersWithTheManagersBytesAndStatus) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--version"},
           {"current"},
           {"current", "--json"},
           {"current", "hello"},
           {"current", "nope", "--json"},
           {"current", "absent"},
           {"which", "hello"},
           {"which", "absent"},
           {"ls"},
           {"ls", "--json", "hello"},
           {"ps"},
           {"ps", "--json"},
           {"ps", "bad/name"},
           {"current", "bad/name"},
           {"ls", "../x", "--json"},
           {"-v", "current"},
           {"ls", "--offline", "-q"},
       }) {
    Output front = world.rtx(args, project);
    Output full = run_manager(world, args, project);
    // -v's first line names argv[0]: rtx-manager here, rtx when the front hands over.
    if (auto at = full.err.find("/rtx-manager "); at != std::string::npos) full.err.replace(at, 13, "/rtx ");
    std::string what = args.front() + (args.size() > 1 ? " " + args[1] : "");
    EXPECT_EQ(front.status, full.status) << what;
    EXPECT_EQ(front.out, full.out) << what;
    EXPECT_EQ(front.err, full.err) << what;
  }
}

TEST_F(Front, HandsOverWhenCrashRecoveryHasWork) {
  // A temporary file whose writer is dead: only the manager's recovery removes it.
  std::string leftover = world.shims() + "/.tmp.hello.999999999.1";
  std::ofstream(leftover) << "x";
  Output o = world.rtx({"current"}, project);
  EXPECT_EQ(o.status, 127) << o.err;  // nope 3 is not installed
  EXPECT_FALSE(std::filesystem::exists(leftover));
}

TEST_F(Front, SaysOneLineWhenTheManagerIsMissing) {
  std::string alone = world.root() + "/alone";
  std::filesystem::create_directories(alone);
  std::filesystem::copy_file(rtx_binary(), alone + "/rtx");
  Output version = world.sh("'" + alone + "/rtx' --version");
  EXPECT_EQ(version.status, 0);
  Output o = world.sh("'" + alone + "/rtx' install hello@1.1.0");
  EXPECT_EQ(o.status, 126);
  EXPECT_EQ(o.err, "rtx: cannot run the rtx manager " + alone +
                       "/rtx-manager: No such file or directory: it is installed beside rtx; reinstall rtx\n");
}

}  // namespace
}  // namespace rtx::e2e
