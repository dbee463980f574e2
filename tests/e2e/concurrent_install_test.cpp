// Installers that meet (DESIGN.md §6 step 1): two installs of one tool@version
// build it once, the second waiting and saying for whom; installs of different
// tools, or of different versions of one tool, run side by side.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "harness.hpp"
#include "store_probe.hpp"

namespace rtx::e2e {
namespace {

using namespace std::chrono_literals;

struct InstallRun {
  long long start = 0, end = 0;  // ns since the epoch, as `date +%s%N` prints
};

class ConcurrentInstall : public ::testing::Test {
 protected:
  void SetUp() override { world.set_env("HELLO_INSTALL_SECONDS", "1"); }

  // A copy of examples/asdf-hello linked as `name`, whose bin/install notes
  // each run (start and end) in runs.log around the real install script.
  void link_counted_plugin(const std::string& name) {
    std::string dir = world.root() + "/plugin-src/" + name;
    std::filesystem::create_directories(world.root() + "/plugin-src");
    std::filesystem::copy(source_dir() + "/examples/asdf-hello", dir, std::filesystem::copy_options::recursive);
    std::string install = dir + "/bin/install";
    std::filesystem::remove(install);
    std::ofstream(install) << "#!/usr/bin/env bash\nset -euo pipefail\n"
                           << "echo \"" << name << "@$ASDF_INSTALL_VERSION start $(date +%s%N)\" >> " << log() << "\n"
                           << source_dir() << "/examples/asdf-hello/bin/install\n"
                           << "echo \"" << name << "@$ASDF_INSTALL_VERSION end $(date +%s%N)\" >> " << log() << "\n";
    ::chmod(install.c_str(), 0755);
    Output o = world.rtx({"plugins", "link", name, dir});
    ASSERT_EQ(o.status, 0) << o.err;
  }

  // Starts every `rtx install <spec>` at once; returns when all have exited.
  // Each one's pid, stderr and exit status land in <i>.pid, <i>.err, <i>.rc.
  void install_at_once(const std::vector<std::string>& specs) {
    std::string script;
    for (std::size_t i = 0; i < specs.size(); ++i)
      script +=
          "rtx install " + specs[i] + " 2> " + file(std::to_string(i) + ".err") + " & p" + std::to_string(i) + "=$!; ";
    for (std::size_t i = 0; i < specs.size(); ++i) {
      std::string n = std::to_string(i);
      script += "echo $p" + n + " > " + file(n + ".pid") + "; wait $p" + n + "; echo $? > " + file(n + ".rc") + "; ";
    }
    script += "touch " + file("all.done");
    Background all = world.sh_background(script);
    ASSERT_TRUE(wait_for_file(file("all.done"), 30s)) << "the installs did not finish";
    all.wait();
  }

  // tool@version -> its install runs, from runs.log.
  std::map<std::string, std::vector<InstallRun>> runs() const {
    std::map<std::string, std::vector<InstallRun>> out;
    std::istringstream in(world.read(log()));
    std::string what, edge;
    long long ns = 0;
    while (in >> what >> edge >> ns) {
      auto& list = out[what];
      if (edge == "start")
        list.push_back(InstallRun{ns, 0});
      else if (!list.empty())
        list.back().end = ns;
    }
    return out;
  }

  std::string log() const { return world.root() + "/runs.log"; }
  std::string file(const std::string& name) const { return world.root() + "/" + name; }
  std::string err(int i) const { return world.read(file(std::to_string(i) + ".err")); }
  std::string rc(int i) const { return world.read(file(std::to_string(i) + ".rc")); }
  std::string pid(int i) const { return trim_line(world.read(file(std::to_string(i) + ".pid"))); }

  World world;
};

bool overlap(const InstallRun& a, const InstallRun& b) { return a.start < b.end && b.start < a.end; }

TEST_F(ConcurrentInstall, TheSameVersionTwiceIsBuiltOnceAndTheSecondSaysWhomItWaitsFor) {
  link_counted_plugin("hello");
  install_at_once({"hello@1.1.0", "hello@1.1.0"});

  EXPECT_EQ(rc(0), "0\n") << err(0);
  EXPECT_EQ(rc(1), "0\n") << err(1);
  auto r = runs();
  EXPECT_EQ(r["hello@1.1.0"].size(), 1u) << "the plugin ran more than once:\n" << world.read(log());

  std::string both = "[0, pid " + pid(0) + "] " + err(0) + "[1, pid " + pid(1) + "] " + err(1);
  int waiter = err(0).find("waiting for") != std::string::npos ? 0 : 1;
  int holder = 1 - waiter;
  EXPECT_NE(err(waiter).find("waiting for"), std::string::npos) << "neither installer waited:\n" << both;
  EXPECT_EQ(err(holder).find("waiting for"), std::string::npos) << "both installers waited:\n" << both;
  // §6 step 1: the second installer says for whom it waits.
  EXPECT_NE(err(waiter).find("rtx: waiting for pid " + pid(holder) + ","), std::string::npos)
      << "the waiter does not name the holder's pid:\n"
      << both;
  EXPECT_NE(err(waiter).find("already installed"), std::string::npos) << both;

  EXPECT_EQ(states_of(world, "hello", "1.1.0"), std::vector<std::string>{"READY"});
  EXPECT_EQ(leftovers(world, "hello"), std::vector<std::string>{});
  std::string project = world.make_project("proj", ".tool-versions", "hello 1.1.0\n");
  EXPECT_TRUE(prints_version(world.shim("hello", {}, project), "1.1.0"));
}

TEST_F(ConcurrentInstall, TwoToolsInstallInParallel) {
  link_counted_plugin("hello");
  link_counted_plugin("hello2");
  install_at_once({"hello@1.1.0", "hello2@2.0.0"});

  EXPECT_EQ(rc(0), "0\n") << err(0);
  EXPECT_EQ(rc(1), "0\n") << err(1);
  auto r = runs();
  ASSERT_EQ(r["hello@1.1.0"].size(), 1u) << world.read(log());
  ASSERT_EQ(r["hello2@2.0.0"].size(), 1u) << world.read(log());
  EXPECT_TRUE(overlap(r["hello@1.1.0"][0], r["hello2@2.0.0"][0])) << "the installs ran one after the other:\n"
                                                                  << world.read(log());
  EXPECT_EQ(err(0).find("waiting for"), std::string::npos) << err(0);
  EXPECT_EQ(err(1).find("waiting for"), std::string::npos) << err(1);
  EXPECT_EQ(states_of(world, "hello", "1.1.0"), std::vector<std::string>{"READY"});
  EXPECT_EQ(states_of(world, "hello2", "2.0.0"), std::vector<std::string>{"READY"});
}

TEST_F(ConcurrentInstall, TwoVersionsOfOneToolInstallInParallel) {
  link_counted_plugin("hello");
  install_at_once({"hello@1.1.0", "hello@2.0.0"});

  EXPECT_EQ(rc(0), "0\n") << err(0);
  EXPECT_EQ(rc(1), "0\n") << err(1);
  auto r = runs();
  ASSERT_EQ(r["hello@1.1.0"].size(), 1u) << world.read(log());
  ASSERT_EQ(r["hello@2.0.0"].size(), 1u) << world.read(log());
  EXPECT_TRUE(overlap(r["hello@1.1.0"][0], r["hello@2.0.0"][0])) << "the installs ran one after the other:\n"
                                                                 << world.read(log());
  EXPECT_EQ(states_of(world, "hello", "1.1.0"), std::vector<std::string>{"READY"});
  EXPECT_EQ(states_of(world, "hello", "2.0.0"), std::vector<std::string>{"READY"});
  // Both commits went through: each version's pointer and the fuzzy links agree.
  EXPECT_EQ(pointer(world, "hello", "1"), "1.1.0");
  EXPECT_EQ(pointer(world, "hello", "2"), "2.0.0");
  EXPECT_EQ(pointer(world, "hello", "latest"), "2.0.0");
}

}  // namespace
}  // namespace rtx::e2e
