// What a failed install must look like end to end (DESIGN.md §6, §9): one
// error line, a non-zero exit, no build left half-made, and the build that was
// running still served. Shared by the fixture-mirror stories of the core
// backends (core_node_go_test.cpp, hostile_install_test.cpp):
//
//   class MyStory : public NodeWorld {};
//   TEST_F(MyStory, Case) {
//     with_node_installed();                       // 20.10.0 runs in `project`
//     server.add_status(node.tarball_path("20.11.1"), 404);
//     expect_clean_failure("node@20.11.1", "404");
//   }
#pragma once

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "harness.hpp"
#include "mirror_fixture.hpp"

namespace rtx::e2e {

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The lines of stderr that report a failure: not the "installing …" note nor
// the downloader's "retrying in …" and "downloaded …" notes.
inline std::vector<std::string> error_lines(const Output& o) {
  std::vector<std::string> out;
  for (const auto& l : lines_of(o.err)) {
    bool note = (l.rfind("rtx: installing ", 0) == 0 && l.find(" with core backend ") != std::string::npos) ||
                l.find("; retrying in ") != std::string::npos || l.rfind("downloaded ", 0) == 0;
    if (!l.empty() && !note) out.push_back(l);
  }
  return out;
}

// Every store entry of `tool` is a READY or RETIRED build: no BUILDING or
// FAILED leftover, no folder without a state.
inline void expect_store_clean(const World& world, const std::string& tool) {
  for (const auto& name : world.store_names(tool)) {
    if (name.size() > 6 && name.substr(name.size() - 6) == ".state") {
      std::string state = world.read(world.data() + "/store/" + tool + "/" + name);
      EXPECT_TRUE(state.rfind("READY", 0) == 0 || state.rfind("RETIRED", 0) == 0) << name << ": " << state;
    }
  }
}

// A world with a node mirror (RTX_NODE_MIRROR) on a local HttpServer.
class NodeWorld : public ::testing::Test {
 protected:
  NodeWorld() { world.set_env("RTX_NODE_MIRROR", node.url()); }

  Output rtx(const std::vector<std::string>& args, const std::string& cwd = {}) const { return world.rtx(args, cwd); }

  void expect_node_prints(const std::string& version, const std::string& cwd) const {
    Output o = world.shim("node", {"--version"}, cwd);
    EXPECT_EQ(o.status, 0) << o.err;
    EXPECT_EQ(o.out, "v" + version + "\n");
  }

  void expect_store_clean(const std::string& tool) const { e2e::expect_store_clean(world, tool); }

  // A bad install of node 20.11.1 after 20.10.0 is installed: one error line
  // naming `what`, a non-zero exit, nothing left, 20.10.0 still served.
  // Returns what rtx printed, for further checks.
  Output expect_clean_failure(const std::string& spec, const std::string& what) {
    Output o = rtx({"install", spec});
    EXPECT_NE(o.status, 0);
    auto errors = error_lines(o);
    EXPECT_EQ(errors.size(), 1u) << o.err;
    EXPECT_NE((errors.empty() ? std::string() : errors[0]).find(what), std::string::npos) << o.err;
    expect_store_clean("node");
    for (const auto& name : world.store_names("node")) EXPECT_EQ(name.rfind("20.11.1", 0), std::string::npos) << name;
    expect_node_prints("20.10.0", project);
    return o;
  }

  // node 20.10.0 installed and configured, 20.11.1 published too.
  void with_node_installed() {
    node.add("20.10.0", "Iron");
    project = world.make_project("app", "rtx.toml", "[tools]\nnode = \"20.10.0\"\n");
    ASSERT_EQ(rtx({"install", "node@20.10.0"}).status, 0);
    next = node.add("20.11.1", "Iron");
  }

  test::HttpServer server;
  NodeMirror node{server, "/dist"};
  World world;
  std::string project;
  Artifact next;  // 20.11.1, published but not installed
};

}  // namespace rtx::e2e
