// Offline (issue 10 item 3; docs/decisions.md "Offline and the metadata
// cache"): node installed once from a fixture mirror, then the mirror's server
// is stopped for good. With RTX_OFFLINE=1 (or --offline) the version list
// comes from the cache with its age, a version whose index, checksums and
// tarball were fetched before installs again, and anything never fetched
// fails with one line and changes nothing. Without it, the stopped server is
// an error as before: rtx never falls back to old data on its own.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>

#include "clean_failure.hpp"
#include "text_checks.hpp"

namespace rtx::e2e {
namespace {

// The lines of stderr that are not notes: the offline notices ("rtx: using …
// from the cache") and the "installing … with" line are notes.
std::vector<std::string> offline_error_lines(const Output& o) {
  std::vector<std::string> out;
  for (const auto& l : error_lines(o)) {
    bool installing_note = l.rfind("rtx: installing ", 0) == 0 && has(l, " with ") && !has(l, " failed");
    if (l.rfind("rtx: using ", 0) != 0 && !installing_note) out.push_back(l);
  }
  return out;
}

class Offline : public ::testing::Test {
 protected:
  Offline() {
    world.set_env("RTX_NODE_MIRROR", node->url());
    node->add("20.10.0", "Iron");
    node->add("20.11.1", "Iron");
    node->add("22.1.0");
    index_url = node->url() + "/index.json";
    shasums_url = server->url(node->shasums_path("20.11.1"));
    tarball_url = server->url(node->tarball_path("20.11.1"));
    shasums22_url = server->url(node->shasums_path("22.1.0"));
  }

  Output rtx(const std::vector<std::string>& args) const { return world.rtx(args); }

  // node 20.11.1 installed and uninstalled with the network: its index,
  // checksum list and tarball are in the cache, its build is gone.
  void fetch_then_stop_the_server() {
    Output in = rtx({"install", "node@20.11.1"});
    ASSERT_EQ(in.status, 0) << in.err;
    ASSERT_EQ(rtx({"uninstall", "node@20.11.1"}).status, 0);
    ASSERT_EQ(server->request_count(node->tarball_path("20.11.1")), 1);
    node.reset();
    server.reset();  // stopped: nothing listens on its port any more
  }

  // Makes the cached copy of `url` look fetched `seconds` ago (its header
  // line; the checksum covers the body only).
  void age_cached_copy(const std::string& url, long seconds) {
    for (const auto& e : std::filesystem::directory_iterator(world.root() + "/cache/metadata")) {
      std::string text = world.read(e.path());
      if (!has(text, "\nurl " + url + "\n")) continue;
      std::size_t at = text.find("\nfetched ") + 9;
      std::size_t end = text.find('\n', at);
      long now =
          long(std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                   .count());
      text.replace(at, end - at, std::to_string(now - seconds));
      std::ofstream(e.path(), std::ios::binary | std::ios::trunc) << text;
      return;
    }
    FAIL() << "no cached copy of " << url;
  }

  void expect_node_prints(const std::string& version) const {
    Output o = world.shim("node", {"--version"}, world.make_project("p", ".tool-versions", "node " + version + "\n"));
    EXPECT_EQ(o.status, 0) << o.err;
    EXPECT_EQ(o.out, "v" + version + "\n");
  }

  World world;
  std::unique_ptr<test::HttpServer> server = std::make_unique<test::HttpServer>();
  std::unique_ptr<NodeMirror> node = std::make_unique<NodeMirror>(*server, "/dist");
  std::string index_url, shasums_url, tarball_url, shasums22_url;
};

TEST_F(Offline, LsRemoteShowsTheCachedListAndItsAge) {
  fetch_then_stop_the_server();
  age_cached_copy(index_url, 3 * 3600 + 60);
  world.set_env("RTX_OFFLINE", "1");
  Output o = rtx({"ls-remote", "node"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out, "20.10.0\n20.11.1\n22.1.0\n");
  EXPECT_EQ(o.err, "rtx: using " + index_url + " from the cache (fetched 3 h ago): offline (RTX_OFFLINE=1)\n");
}

TEST_F(Offline, ReinstallsFromTheCacheWithTheVariableOrTheFlag) {
  fetch_then_stop_the_server();
  world.set_env("RTX_OFFLINE", "1");
  Output o = rtx({"install", "node@20"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_TRUE(has(o.err, "installed node 20.11.1")) << o.err;
  EXPECT_TRUE(has(o.err, "rtx: using " + index_url + " from the cache (fetched ")) << o.err;
  EXPECT_TRUE(has(o.err, "rtx: using " + shasums_url + " from the cache (fetched ")) << o.err;
  expect_node_prints("20.11.1");

  // The flag, without the variable: the same, and before or after the command.
  world.unset_env("RTX_OFFLINE");
  ASSERT_EQ(rtx({"uninstall", "node@20.11.1"}).status, 0);
  Output flag = rtx({"--offline", "install", "node@20.11.1"});
  ASSERT_EQ(flag.status, 0) << flag.err;
  EXPECT_TRUE(has(flag.err, "installed node 20.11.1")) << flag.err;
  EXPECT_TRUE(has(flag.err, "offline (RTX_OFFLINE=1)")) << flag.err;
  Output after = rtx({"ls-remote", "node", "22", "--offline"});
  ASSERT_EQ(after.status, 0) << after.err;
  EXPECT_EQ(after.out, "22.1.0\n");
  expect_node_prints("20.11.1");
}

TEST_F(Offline, WhatWasNeverFetchedFailsWithOneLineAndChangesNothing) {
  fetch_then_stop_the_server();
  ASSERT_EQ(rtx({"--offline", "install", "node@20.11.1"}).status, 0);
  std::vector<std::string> store = world.store_names("node");
  world.set_env("RTX_OFFLINE", "1");

  // node 22's checksum list was never fetched.
  Output o = rtx({"install", "node@22"});
  EXPECT_EQ(o.status, 1);
  auto errors = offline_error_lines(o);
  ASSERT_EQ(errors.size(), 1u) << o.err;
  EXPECT_TRUE(has(errors[0],
                  "installing node 22.1.0 failed, nothing changed: offline (RTX_OFFLINE=1): " + shasums22_url +
                      " was never fetched with the network, so rtx has no copy (" + world.root() + "/cache/metadata/"))
      << errors[0];
  EXPECT_TRUE(has(errors[0], "): run the command once with the network (without RTX_OFFLINE or --offline), then retry"))
      << errors[0];
  EXPECT_EQ(world.store_names("node"), store);

  // The tarball's checksum is known, but the download cache lost it.
  ASSERT_EQ(rtx({"uninstall", "node@20.11.1"}).status, 0);
  store = world.store_names("node");
  std::filesystem::remove_all(world.root() + "/cache/downloads");
  Output gone = rtx({"install", "node@20.11.1"});
  EXPECT_EQ(gone.status, 1);
  errors = offline_error_lines(gone);
  ASSERT_EQ(errors.size(), 1u) << gone.err;
  EXPECT_TRUE(has(errors[0], "installing node 20.11.1 failed, nothing changed: offline (RTX_OFFLINE=1): " +
                                 tarball_url + " is not in the download cache ("))
      << errors[0];
  EXPECT_EQ(world.store_names("node"), store);
  EXPECT_FALSE(std::filesystem::exists(world.root() + "/cache/downloads")) << "nothing made on the way out";

  // A bad value is one line, and only where the network would be used.
  world.set_env("RTX_OFFLINE", "maybe");
  Output bad = rtx({"ls-remote", "node"});
  EXPECT_EQ(bad.status, 1);
  EXPECT_EQ(bad.err,
            "rtx: RTX_OFFLINE='maybe' is not a yes/no value: set it to 1 (no network at all) or 0, or unset it\n");
  EXPECT_EQ(rtx({"ls", "node"}).status, 0);
}

// A lock names the version, the URL and the checksum: offline, a locked
// install needs only the download cache, not even the cached index.
TEST_F(Offline, ALockedInstallNeedsOnlyTheDownloadCache) {
  std::string p = world.make_project("p", "rtx.toml", "[tools]\nnode = \"20\"\n");
  ASSERT_EQ(world.rtx({"install"}, p).status, 0);
  Output locked = world.rtx({"lock"}, p);
  ASSERT_EQ(locked.status, 0) << locked.err;
  ASSERT_EQ(rtx({"uninstall", "node@20.11.1"}).status, 0);
  node.reset();
  server.reset();
  std::filesystem::remove_all(world.root() + "/cache/metadata");
  world.set_env("RTX_OFFLINE", "1");
  Output o = world.rtx({"install", "--locked"}, p);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_TRUE(has(o.err, "installed node 20.11.1")) << o.err;
  EXPECT_FALSE(has(o.err, "from the cache (fetched")) << o.err;
  expect_node_prints("20.11.1");
}

TEST_F(Offline, WithoutItAStoppedServerIsStillAnErrorNeverOldData) {
  fetch_then_stop_the_server();
  Output ls = rtx({"ls-remote", "node"});
  EXPECT_EQ(ls.status, 1);
  EXPECT_EQ(lines(ls.err), 1) << ls.err;
  EXPECT_TRUE(has(ls.err, "rtx: download of " + index_url + " failed after 3 attempts: ")) << ls.err;
  EXPECT_TRUE(has(ls.err, "check the network")) << ls.err;
  EXPECT_EQ(ls.out, "");
  Output in = rtx({"install", "node@20.11.1"});
  EXPECT_EQ(in.status, 1);
  EXPECT_TRUE(has(in.err, "download of " + index_url + " failed")) << in.err;
  EXPECT_FALSE(has(in.err, "from the cache")) << in.err;
}

// An asdf plugin's scripts fetch by themselves: offline, rtx serves the list
// the last ls-remote kept and installs nothing it would have to run them for.
TEST_F(Offline, AnAsdfToolIsListedFromTheCacheAndNotInstalled) {
  world.link_sample_plugin("hello");
  ASSERT_EQ(rtx({"install", "hello@1.0.0"}).status, 0);
  world.set_env("RTX_OFFLINE", "1");
  Output never = rtx({"ls-remote", "hello"});
  EXPECT_EQ(never.status, 1);
  EXPECT_EQ(never.err,
            "rtx: offline (RTX_OFFLINE=1): plugin hello lists its versions with its own bin/list-all, which may use "
            "the network, and rtx kept no list of them: run 'rtx ls-remote hello' once with the network, then retry\n");

  world.unset_env("RTX_OFFLINE");
  ASSERT_EQ(rtx({"ls-remote", "hello"}).status, 0);
  world.set_env("RTX_OFFLINE", "1");
  // Something that would show if list-all ran: it does not.
  world.set_env("HELLO_VERSIONS", "9.9.9");
  Output listed = rtx({"ls-remote", "hello"});
  ASSERT_EQ(listed.status, 0) << listed.err;
  EXPECT_EQ(listed.out, "1.0.0\n1.1.0\n2.0.0\n2.1.0-rc1\n");
  EXPECT_EQ(lines(listed.err), 1) << listed.err;
  EXPECT_TRUE(has(listed.err, "rtx: using the versions of hello from the cache (listed ")) << listed.err;
  EXPECT_TRUE(has(listed.err, " s ago): offline (RTX_OFFLINE=1)\n")) << listed.err;

  Output installed = rtx({"install", "hello@1.0.0"});
  EXPECT_EQ(installed.status, 0) << installed.err;
  std::vector<std::string> store = world.store_names("hello");
  Output refused = rtx({"install", "hello@2"});
  EXPECT_EQ(refused.status, 1);
  auto errors = offline_error_lines(refused);
  ASSERT_EQ(errors.size(), 1u) << refused.err;
  EXPECT_TRUE(has(errors[0],
                  "offline (RTX_OFFLINE=1): plugin hello installs 2.0.0 with its own bin/download and "
                  "bin/install, which fetch by themselves: run 'rtx install hello@2.0.0' once with the "
                  "network, then retry"))
      << errors[0];
  EXPECT_EQ(world.store_names("hello"), store);
}

// Plugins come from git: offline, only from a repository on this machine.
TEST_F(Offline, PluginsAreAddedOnlyFromThisMachine) {
  world.set_env("RTX_OFFLINE", "1");
  Output remote = rtx({"plugins", "add", "hello", "https://github.com/example/asdf-hello.git"});
  EXPECT_EQ(remote.status, 1);
  EXPECT_EQ(remote.err,
            "rtx: offline (RTX_OFFLINE=1): adding plugin hello from https://github.com/example/asdf-hello.git needs "
            "the network: run it with the network, or 'rtx plugins link hello DIR' for a local copy\n");
  EXPECT_FALSE(std::filesystem::exists(world.data() + "/plugins/hello"));

  std::string repo = world.root() + "/repo";
  std::filesystem::copy(source_dir() + "/examples/asdf-hello", repo, std::filesystem::copy_options::recursive);
  Output init = world.sh("cd '" + repo +
                         "' && git init -q && git add -A && git -c user.name=t -c user.email=t@example.invalid "
                         "commit -qm v1");
  ASSERT_EQ(init.status, 0) << init.err;
  Output local = rtx({"plugins", "add", "hello", repo});
  ASSERT_EQ(local.status, 0) << local.err;
  Output update = rtx({"plugins", "update", "hello"});
  EXPECT_EQ(update.status, 1);
  EXPECT_EQ(update.err,
            "rtx: offline (RTX_OFFLINE=1): updating plugin hello (git fetch) needs the network: run it with the "
            "network\n");
}

}  // namespace
}  // namespace rtx::e2e
