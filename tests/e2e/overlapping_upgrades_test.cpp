// Upgrades and rollbacks that overlap (DESIGN.md §6 step 5, §7): every
// decision of a commit is made under the tool lock against what is there then,
// so overlapping commands leave what some serial order of them would, and each
// says what actually happened. A project asks for `hello 2`; 2.0.0 is
// installed; the plugin offers newer versions, and a gate holds the build of a
// chosen version until the test lets it go.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "harness.hpp"
#include "store_probe.hpp"
#include "text_checks.hpp"

namespace rtx::e2e {
namespace {

using namespace std::chrono_literals;

// The sample plugin whose bin/install waits, for a version the test holds,
// until the test releases it ($HELLO_GATE_DIR/<version>.hold → .started, .go).
std::string gated_hello_copy(const World& world) {
  std::string dir = world.root() + "/plugin-src/hello-gated";
  std::filesystem::create_directories(world.root() + "/plugin-src");
  std::filesystem::copy(source_dir() + "/examples/asdf-hello", dir, std::filesystem::copy_options::recursive);
  std::filesystem::rename(dir + "/bin/install", dir + "/bin/install.real");
  std::ofstream(dir + "/bin/install") << "#!/usr/bin/env bash\n"
                                         "gate=\"${HELLO_GATE_DIR:-}/$ASDF_INSTALL_VERSION\"\n"
                                         "if [ -n \"${HELLO_GATE_DIR:-}\" ] && [ -e \"$gate.hold\" ]; then\n"
                                         "  touch \"$gate.started\"\n"
                                         "  for _ in $(seq 1 1500); do [ -e \"$gate.go\" ] && break; sleep 0.02; done\n"
                                         "fi\n"
                                         "exec \"$(dirname \"$0\")/install.real\"\n";
  std::filesystem::permissions(dir + "/bin/install", std::filesystem::perms(0755));
  return dir;
}

class OverlappingUpgrades : public ::testing::Test {
 protected:
  void SetUp() override {
    gates = world.root() + "/gates";
    std::filesystem::create_directories(gates);
    world.set_env("HELLO_GATE_DIR", gates);
    world.set_env("HELLO_VERSIONS", "2.0.0");
    Output link = world.rtx({"plugins", "link", "hello", gated_hello_copy(world)});
    ASSERT_EQ(link.status, 0) << link.err;
    Output o = world.rtx({"install", "hello@2.0.0"});
    ASSERT_EQ(o.status, 0) << o.err;
    project = world.make_project("proj", ".tool-versions", "hello 2\n");
    first = pointed_build(world, "hello", "2.0.0");
  }

  // Holds the build of `version` at the gate until release().
  void hold(const std::string& version) { std::ofstream(gates + "/" + version + ".hold").flush(); }
  bool reached_gate(const std::string& version) { return wait_for_file(gates + "/" + version + ".started", 20s); }
  void release(const std::string& version) { std::ofstream(gates + "/" + version + ".go").flush(); }

  // `rtx <args>` in the project, in the background, offered `versions`; its
  // output lands in <name>.out/.err/.rc under the world's root.
  Background start(const std::string& name, const std::string& versions, const std::string& args) {
    std::string base = world.root() + "/" + name;
    return world.sh_background("HELLO_VERSIONS='" + versions + "' rtx " + args + " > " + base + ".out 2> " + base +
                                   ".err; echo $? > " + base + ".tmp && mv " + base + ".tmp " + base + ".rc",
                               project);
  }
  Output finish(const std::string& name) {
    std::string base = world.root() + "/" + name;
    if (!wait_for_file(base + ".rc", 60s)) return Output{-1, "", name + " never finished"};
    return Output{std::stoi(world.read(base + ".rc")), world.read(base + ".out"), world.read(base + ".err")};
  }
  Output upgrade(const std::string& versions, std::vector<std::string> flags = {}) {
    world.set_env("HELLO_VERSIONS", versions);
    flags.insert(flags.begin(), "upgrade");
    return world.rtx(flags, project);
  }
  Output hello_here() const { return world.shim("hello", {}, project); }

  // Every READY build, by name.
  std::vector<std::string> ready() const {
    std::vector<std::string> out;
    for (const auto& b : builds(world, "hello"))
      if (b.state == "READY") out.push_back(b.name);
    return out;
  }

  World world;
  std::string gates, project, first;
};

// Upgrade A (2.0.0 → 2.1.0) builds slowly; upgrade B (2.0.0 → 2.2.0) lands
// meanwhile. Serially (B then A) A finds hello 2 up to date: no 2.1.0 build
// stays READY where nothing resolves to it and gc cannot take it, and A says so.
TEST_F(OverlappingUpgrades, AnUpgradeOvertakenByANewerOneLeavesNoStrayReadyBuild) {
  hold("2.1.0");
  Background a = start("a", "2.0.0 2.1.0", "upgrade");
  ASSERT_TRUE(reached_gate("2.1.0"));
  Output b = upgrade("2.0.0 2.1.0 2.2.0");
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_TRUE(has(b.err, "upgraded hello 2 to 2.2.0")) << b.err;
  release("2.1.0");
  Output ra = finish("a");
  EXPECT_EQ(ra.status, 0) << ra.err;
  EXPECT_FALSE(has(ra.err, "stays READY")) << "2.0.0 is RETIRED, yet A says: " << ra.err;
  EXPECT_FALSE(has(ra.err, "upgraded hello 2 to 2.1.0")) << ra.err;
  EXPECT_TRUE(has(ra.err, "2.2.0") && has(ra.err, "meanwhile")) << ra.err;

  EXPECT_EQ(ready(), std::vector<std::string>{pointed_build(world, "hello", "2.2.0")});
  EXPECT_EQ(pointer(world, "hello", "2.1.0"), "");
  EXPECT_TRUE(prints_version(hello_here(), "2.2.0"));
  write_settings(world, "keep_previous = 0");
  ASSERT_EQ(world.rtx({"gc"}).status, 0);
  EXPECT_EQ(builds(world, "hello").size(), 1u) << "gc left a build nothing resolves to";
  EXPECT_TRUE(leftovers(world, "hello").empty());
}

// Two upgrades to the same version: the second waits for the first's install
// lock, finds 2.1.0 in, and says that, not that 2.0.0 "stays READY".
TEST_F(OverlappingUpgrades, TwoUpgradesToTheSameVersionSayWhatHappened) {
  hold("2.1.0");
  Background a = start("a", "2.0.0 2.1.0", "upgrade");
  ASSERT_TRUE(reached_gate("2.1.0"));
  Background b = start("b", "2.0.0 2.1.0", "upgrade");
  std::this_thread::sleep_for(300ms);  // B plans 2.0.0 → 2.1.0 and waits for A's install lock
  release("2.1.0");
  Output ra = finish("a"), rb = finish("b");
  EXPECT_EQ(ra.status, 0) << ra.err;
  EXPECT_EQ(rb.status, 0) << rb.err;
  for (const Output* o : {&ra, &rb}) EXPECT_FALSE(has(o->err, "stays READY")) << o->err;
  EXPECT_EQ(states_of(world, "hello", "2.1.0"), std::vector<std::string>{"READY"});
  EXPECT_EQ(states_of(world, "hello", "2.0.0"), std::vector<std::string>{"RETIRED"});
  EXPECT_TRUE(prints_version(hello_here(), "2.1.0"));
}

// A rollback while an upgrade builds is the later decision: the upgrade does
// not take the request back over it. It says so, holds its version back like
// the rollback's, and `rtx upgrade --force` takes it.
TEST_F(OverlappingUpgrades, ARollbackDuringASlowUpgradeIsNotUndoneSilently) {
  ASSERT_EQ(upgrade("2.0.0 2.1.0").status, 0);
  ASSERT_TRUE(prints_version(hello_here(), "2.1.0"));
  hold("2.2.0");
  Background a = start("a", "2.0.0 2.1.0 2.2.0", "upgrade");
  ASSERT_TRUE(reached_gate("2.2.0"));
  Output rb = world.rtx({"rollback", "hello"}, project);
  ASSERT_EQ(rb.status, 0) << rb.err;
  EXPECT_TRUE(has(rb.err, "rolled hello back to 2.0.0")) << rb.err;
  release("2.2.0");
  Output ra = finish("a");
  EXPECT_EQ(ra.status, 0) << ra.err;
  EXPECT_FALSE(has(ra.err, "upgraded hello 2 to 2.2.0")) << ra.err;
  EXPECT_TRUE(has(ra.err, "rollback")) << "the upgrade does not say why it gave way: " << ra.err;

  EXPECT_TRUE(prints_version(hello_here(), "2.0.0")) << "the rollback was undone";
  EXPECT_EQ(ready(), std::vector<std::string>{first});
  for (const auto& b : builds_of(world, "hello", "2.2.0")) EXPECT_NE(b.state, "READY") << b.name;

  Output again = upgrade("2.0.0 2.1.0 2.2.0");
  EXPECT_EQ(again.status, 0) << again.err;
  EXPECT_TRUE(has(again.err, "up to date")) << again.err;
  EXPECT_TRUE(prints_version(hello_here(), "2.0.0"));
  Output forced = upgrade("2.0.0 2.1.0 2.2.0", {"--force"});
  ASSERT_EQ(forced.status, 0) << forced.err;
  EXPECT_TRUE(prints_version(hello_here(), "2.2.0"));
}

// N upgraders (each offered a different newest version, each building at its
// own pace) and rollbacks, round after round. After each round and a gc the
// store holds what some serial order leaves: one READY build, the one
// `hello 2` resolves to and the pointers name, at most keep_previous RETIRED,
// nothing half-done; and no command claimed a build stays READY.
TEST_F(OverlappingUpgrades, ConcurrentUpgradesAndRollbacksLeaveWhatASerialOrderWould) {
  const std::vector<std::string> offered{"2.0.0", "2.1.0", "2.2.0", "2.3.0", "2.4.0", "2.5.0", "2.6.0"};
  const char* paces[] = {"0", "0.3", "0.1", "0.6"};
  int rolled_back = 0, upgraded = 0;
  for (int round = 0; round < 6; ++round) {
    std::vector<Background> jobs;
    std::vector<std::string> names;
    for (int u = 0; u < 4; ++u) {
      // Upgrader u is offered up to version 1 + (round + u) % 6.
      std::string versions;
      for (std::size_t i = 0; i <= std::size_t(1 + (round + u) % 6); ++i) versions += offered[i] + " ";
      std::string name = "r" + std::to_string(round) + "u" + std::to_string(u);
      std::string base = world.root() + "/" + name;
      jobs.push_back(world.sh_background("HELLO_INSTALL_SECONDS=" + std::string(paces[u]) + " HELLO_VERSIONS='" +
                                             versions + "' rtx upgrade > " + base + ".out 2> " + base +
                                             ".err; echo $? > " + base + ".tmp && mv " + base + ".tmp " + base + ".rc",
                                         project));
      names.push_back(name);
    }
    for (int r = 0; r < 2; ++r) {
      std::this_thread::sleep_for(std::chrono::milliseconds(150 + 250 * r));
      std::string name = "r" + std::to_string(round) + "b" + std::to_string(r);
      jobs.push_back(start(name, "2.0.0", "rollback hello"));
      names.push_back(name);
    }
    for (const auto& name : names) {
      Output o = finish(name);
      ASSERT_NE(o.status, -1) << o.err;
      EXPECT_FALSE(has(o.err, "stays READY")) << name << ": " << o.err;
      rolled_back += has(o.err, "rolled hello back");
      upgraded += has(o.err, "upgraded hello 2 to");
      if (name.find('u') != std::string::npos) {
        EXPECT_EQ(o.status, 0) << name << ": " << o.err;
      }
    }
    Output gc = world.rtx({"gc"});
    ASSERT_EQ(gc.status, 0) << gc.err;

    SCOPED_TRACE("round " + std::to_string(round));
    EXPECT_TRUE(leftovers(world, "hello").empty());
    auto now = ready();
    ASSERT_EQ(now.size(), 1u) << "READY builds: " << ::testing::PrintToString(now);
    Output here = hello_here();
    EXPECT_TRUE(prints_version(here, now[0].substr(0, now[0].rfind('-')))) << here.out << here.err;
    EXPECT_EQ(pointed_build(world, "hello", now[0].substr(0, now[0].rfind('-'))), now[0]);
    int retired = 0;
    for (const auto& b : builds(world, "hello")) {
      retired += b.state == "RETIRED";
      if (b.state == "RETIRED") {
        EXPECT_EQ(pointer(world, "hello", b.version), "") << b.name;
      }
    }
    EXPECT_LE(retired, 1) << "keep_previous = 1";
  }
  EXPECT_GT(rolled_back, 0) << "no rollback took effect: the story did not overlap anything";
  EXPECT_GT(upgraded, 0);
}

}  // namespace
}  // namespace rtx::e2e
