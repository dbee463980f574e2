// Lockfiles end to end (DESIGN.md §11, issue 10 item 1): `rtx lock` on one
// machine, `rtx install --locked` on another behind a different mirror, and
// every way a locked install must refuse: a changed artifact, a changed spec,
// a missing platform, a broken lock. Each "machine" is its own World (data,
// config, cache and state roots); the mirrors are fixture servers on 127.0.0.1.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>

#include "clean_failure.hpp"
#include "text_checks.hpp"

namespace rtx::e2e {
namespace {

namespace fs = std::filesystem;

std::string this_platform() { return std::string("linux-") + (is_arm64() ? "arm64" : "x64"); }

// Every file under `dir` with its bytes, as one comparable string.
std::string tree_of(const std::string& dir) {
  std::string out;
  std::vector<std::string> names;
  for (const auto& e : fs::recursive_directory_iterator(dir)) names.push_back(e.path().string());
  std::sort(names.begin(), names.end());
  for (const auto& n : names) {
    out += n.substr(dir.size()) + "\n";
    if (fs::is_regular_file(fs::symlink_status(n))) out += slurp(n) + "\n";
  }
  return out;
}

class Lockfile : public NodeWorld {
 protected:
  Lockfile() {
    node.add("20.10.0", "Iron");
    iron = node.add("20.11.1", "Iron");
    project = world.make_project("p", "rtx.toml", "# the team's tools\n[tools]\nnode = \"20\"\n");
  }

  // A second machine: its own roots, the project copied over (config and lock
  // only, as a clone of the repository), node served by `mirror`.
  struct Machine {
    World world;
    std::string project;
  };
  std::unique_ptr<Machine> another_machine(const std::string& mirror) const {
    auto m = std::make_unique<Machine>();
    m->world.set_env("RTX_NODE_MIRROR", mirror);
    m->project = m->world.make_project("p", "rtx.toml", world.read(project + "/rtx.toml"));
    if (fs::exists(project + "/rtx.lock")) fs::copy_file(project + "/rtx.lock", m->project + "/rtx.lock");
    return m;
  }

  std::string node_entry(const World& w) const {
    for (const auto& name : w.store_names("node"))
      if (fs::is_directory(w.data() + "/store/node/" + name)) return w.data() + "/store/node/" + name;
    return {};
  }

  Artifact iron;  // node 20.11.1's tarball
  std::string project;
};

TEST_F(Lockfile, LockRecordsTheUpstreamUrlAndChecksumForEachPlatform) {
  Output o = rtx({"lock"}, project);
  ASSERT_EQ(o.status, 0) << o.err;
  std::string lock = world.read(project + "/rtx.lock");
  EXPECT_TRUE(has(lock, "lockfile_version = 3")) << lock;
  EXPECT_TRUE(has(lock, "[[tools.node]]")) << lock;
  EXPECT_TRUE(has(lock, "version = \"20.11.1\"")) << lock;
  EXPECT_TRUE(has(lock, "backend = \"core:node\"")) << lock;
  EXPECT_TRUE(has(lock, "specifiers = [\"20\"]")) << lock;
  EXPECT_TRUE(has(lock, "[tools.node.\"platforms." + this_platform() + "\"]")) << lock;
  // The upstream's URL, not the fixture mirror's: the lock works behind any mirror.
  EXPECT_TRUE(has(lock, "url = \"https://nodejs.org/dist/v20.11.1/" + NodeMirror::artifact_name("20.11.1") + "\""))
      << lock;
  EXPECT_TRUE(has(lock, "checksum = \"sha256:")) << lock;
  EXPECT_TRUE(world.store_names("node").empty()) << "rtx lock installs nothing";
}

TEST_F(Lockfile, LockedInstallOnAnotherMachineBehindAnotherMirrorGivesTheSameBytes) {
  ASSERT_EQ(rtx({"install"}, project).status, 0);  // machine 1 uses node 20.11.1…
  ASSERT_EQ(rtx({"lock"}, project).status, 0);     // …and locks it
  node.add("20.12.0", "Iron");                     // upstream moves on

  // Machine 2's mirror serves the same files under another path.
  test::HttpServer other;
  NodeMirror fleet(other, "/mirror/node");
  fleet.add("20.12.0", "Iron");
  other.add_file(fleet.tarball_path("20.11.1"), iron.bytes);
  auto m = another_machine(fleet.url());
  Output o = m->world.rtx({"install", "--locked"}, m->project);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_TRUE(has(o.err, "installed node 20.11.1")) << o.err;
  EXPECT_EQ(other.request_count(fleet.tarball_path("20.11.1")), 1);
  EXPECT_EQ(other.request_count(fleet.shasums_path("20.11.1")), 0) << "a locked checksum needs no SHASUMS256.txt";
  EXPECT_EQ(tree_of(node_entry(world)), tree_of(node_entry(m->world)));
  Output runs = m->world.shim("node", {"--version"}, m->project);
  EXPECT_EQ(runs.out, "v20.11.1\n") << runs.err;
}

TEST_F(Lockfile, LockedInstallRefusesAnArtifactTheMirrorChanged) {
  ASSERT_EQ(rtx({"lock"}, project).status, 0);
  // The mirror now serves other bytes under the same name, with a matching SHASUMS256.txt.
  Artifact evil = make_tool_tarball(NodeMirror::artifact_name("20.11.1"), "x", "node", "evil", "J");
  server.add_file(node.tarball_path("20.11.1"), evil.bytes);
  server.add_file(node.shasums_path("20.11.1"), evil.sha256 + "  " + evil.name + "\n");
  auto m = another_machine(node.url());
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"install", "--locked"}, std::vector<std::string>{"install"}}) {
    Output o = m->world.rtx(args, m->project);
    EXPECT_NE(o.status, 0);
    auto errors = error_lines(o);
    ASSERT_EQ(errors.size(), 1u) << o.err;
    EXPECT_TRUE(has(errors[0], "checksum mismatch")) << o.err;
    EXPECT_TRUE(m->world.store_names("node").empty() || node_entry(m->world).empty()) << "nothing installed";
  }
}

TEST_F(Lockfile, LockedInstallFailsOnAChangedSpecAMissingPlatformAndABadLock) {
  ASSERT_EQ(rtx({"lock"}, project).status, 0);
  const std::string lock = world.read(project + "/rtx.lock");
  auto refuses = [&](const std::string& config, const std::string& lock_text, const std::string& what) {
    auto m = another_machine(node.url());
    m->world.make_project("p", "rtx.toml", config);
    m->world.make_project("p", "rtx.lock", lock_text);
    Output o = m->world.rtx({"install", "--locked"}, m->project);
    EXPECT_NE(o.status, 0) << what;
    auto errors = error_lines(o);
    EXPECT_EQ(errors.size(), 1u) << o.err;
    EXPECT_TRUE(has(o.err, what)) << o.err;
    EXPECT_TRUE(node_entry(m->world).empty()) << what;
  };
  refuses("[tools]\nnode = \"21\"\n", lock, "has no entry for node '21'");
  std::string no_platform = lock;
  auto at = no_platform.find("[tools.node.\"platforms." + this_platform() + "\"]");
  ASSERT_NE(at, std::string::npos);
  no_platform.replace(at, std::string("[tools.node.\"platforms.").size(), "[tools.node.\"platforms.x");
  refuses("[tools]\nnode = \"20\"\n", no_platform, "no " + this_platform() + " artifact");
  refuses("[tools]\nnode = \"20\"\n", "[[tools.node]]\nversion = \"../../etc\"\n", "rtx.lock:");
  auto m = another_machine(node.url());
  fs::remove(m->project + "/rtx.lock");
  Output none = m->world.rtx({"install", "--locked"}, m->project);
  EXPECT_NE(none.status, 0);
  EXPECT_TRUE(has(none.err, "run 'rtx lock'")) << none.err;
  EXPECT_NE(rtx({"install", "--locked", "node@20"}, project).status, 0) << "a command-line spec is not locked";
}

TEST_F(Lockfile, UseAndUpgradeKeepTheLockCurrentAndLeaveTheRestOfItAlone) {
  ASSERT_EQ(rtx({"lock"}, project).status, 0);
  std::string lock = world.read(project + "/rtx.lock");
  world.make_project("p", "rtx.lock", "# reviewed by the release team\n" + lock);
  node.add("21.6.2");
  Output use = rtx({"use", "node@21"}, project);
  ASSERT_EQ(use.status, 0) << use.err;
  lock = world.read(project + "/rtx.lock");
  EXPECT_TRUE(has(lock, "# reviewed by the release team\n")) << lock;
  EXPECT_TRUE(has(lock, "version = \"21.6.2\"")) << lock;
  EXPECT_TRUE(has(lock, "specifiers = [\"21\"]")) << lock;
  EXPECT_FALSE(has(lock, "20.11.1")) << "the entry for '20' went with the spec\n" << lock;

  node.add("21.7.0");
  Output up = rtx({"upgrade"}, project);
  ASSERT_EQ(up.status, 0) << up.err;
  lock = world.read(project + "/rtx.lock");
  EXPECT_TRUE(has(lock, "version = \"21.7.0\"")) << lock;
  EXPECT_TRUE(has(lock, "# reviewed by the release team\n")) << lock;
  // Unchanged when nothing moves: the same bytes.
  ASSERT_EQ(rtx({"install"}, project).status, 0);
  EXPECT_EQ(world.read(project + "/rtx.lock"), lock);
}

TEST_F(Lockfile, AnInstallWithALockPresentTakesTheLockedVersionNotTheNewest) {
  ASSERT_EQ(rtx({"lock"}, project).status, 0);  // 20.11.1
  node.add("20.12.0", "Iron");
  Output o = rtx({"install"}, project);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_TRUE(has(o.err, "installed node 20.11.1")) << o.err;
  EXPECT_TRUE(has(world.read(project + "/rtx.lock"), "version = \"20.11.1\""));
}

TEST_F(Lockfile, MiseLockIsReadWhenThereIsNoRtxLock) {
  ASSERT_EQ(rtx({"lock"}, project).status, 0);
  std::string lock = world.read(project + "/rtx.lock");
  auto m = another_machine(node.url());
  fs::remove(m->project + "/rtx.lock");
  m->world.make_project("p", "mise.lock", lock);
  node.add("20.12.0", "Iron");
  Output o = m->world.rtx({"install", "--locked"}, m->project);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_TRUE(has(o.err, "installed node 20.11.1")) << o.err;
  EXPECT_TRUE(has(o.err, "mise.lock")) << o.err;
  EXPECT_FALSE(fs::exists(m->project + "/rtx.lock"));
}

TEST_F(Lockfile, SettingLockfileCreatesOneAndLockedRefusesUpgrades) {
  world.make_project("config", "config.toml", "[settings]\nlockfile = true\n");
  ASSERT_EQ(rtx({"install"}, project).status, 0);
  EXPECT_TRUE(has(world.read(project + "/rtx.lock"), "version = \"20.11.1\""));
  world.set_env("RTX_LOCKED", "1");
  Output up = rtx({"upgrade"}, project);
  EXPECT_NE(up.status, 0);
  EXPECT_TRUE(has(up.err, "locked mode")) << up.err;
  world.set_env("RTX_LOCKED", "maybe");
  Output bad = rtx({"install"}, project);
  EXPECT_NE(bad.status, 0);
  EXPECT_TRUE(has(bad.err, "RTX_LOCKED='maybe'")) << bad.err;
}

TEST_F(Lockfile, AnAsdfPluginIsLockedByVersionOnly) {
  world.link_sample_plugin("hello");
  world.make_project("p", "rtx.toml", "[tools]\nhello = \"1\"\n");
  Output o = rtx({"lock"}, project);
  ASSERT_EQ(o.status, 0) << o.err;
  std::string lock = world.read(project + "/rtx.lock");
  EXPECT_TRUE(has(lock, "backend = \"asdf:hello\"")) << lock;
  EXPECT_FALSE(has(lock, "platforms.")) << lock;
  Output locked = rtx({"install", "--locked"}, project);
  EXPECT_EQ(locked.status, 0) << locked.err;
}

}  // namespace
}  // namespace rtx::e2e
