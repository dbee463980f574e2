// The python and rust core backends end to end (DESIGN.md §8, §9; issue 4
// items 3 and 6): the real rtx against fixture mirrors on 127.0.0.1 in the
// upstream shapes, installs through the real code path (rust's own install.sh
// runs), shims, ls-remote, and bad mirrors that must change nothing.
#include <gtest/gtest.h>

#include "harness.hpp"
#include "python_rust_fixture.hpp"
#include "store_probe.hpp"

namespace rtx::e2e {
namespace {

using pyrust::PythonMirror;
using pyrust::RustMirror;

std::string last_line(const std::string& text) {
  std::string t = text;
  while (!t.empty() && t.back() == '\n') t.pop_back();
  return t.substr(t.rfind('\n') == std::string::npos ? 0 : t.rfind('\n') + 1);
}

// Nothing half-made is left, and every build is READY (or kept RETIRED).
void expect_clean_store(const World& world, const std::string& tool) {
  for (const auto& b : builds(world, tool)) {
    EXPECT_TRUE(b.state == "READY" || b.state == "RETIRED") << b.name << " is " << b.state;
    EXPECT_TRUE(b.tree) << b.name;
  }
}

class CoreRust : public ::testing::Test {
 protected:
  void SetUp() override {
    world.set_env("RTX_RUST_MIRROR", rust.url());
    rust.add("1.81.0");
    rust.add("1.82.0");
    rust.set_stable("1.82.0");
    rust.set_versions_txt("# what this mirror carries\n1.81.0\n1.82.0\n");
  }
  // rustc through its shim, from a project asking for `version`.
  std::string rustc_in(const std::string& version) {
    std::string p = world.make_project("p-" + version, ".tool-versions", "rust " + version + "\n");
    Output o = world.shim("rustc", {"--version"}, p);
    EXPECT_EQ(o.status, 0) << o.err;
    return o.out;
  }
  test::HttpServer server;
  RustMirror rust{server, "/rust"};
  World world;
};

TEST_F(CoreRust, InstallsThroughItsOwnInstallShAndRunsThroughTheShim) {
  Output o = world.rtx({"install", "rust@latest", "rust@1.81.0"});  // latest: channel-rust-stable.toml
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.err.find("install.sh: rust is ready to roll."), std::string::npos) << o.err;  // streamed to stderr
  EXPECT_EQ(rustc_in("1.81.0"), "rustc 1.81.0 (f6e511eec 2024-10-15)\n");
  EXPECT_EQ(rustc_in("1.82"), "rustc 1.82.0 (f6e511eec 2024-10-15)\n");

  // install.sh ran with the final prefix (built in place, DESIGN.md §2).
  Output where = world.rtx({"where", "rust@1.82.0"});
  ASSERT_EQ(where.status, 0) << where.err;
  std::string prefix = last_line(where.out);
  EXPECT_EQ(world.read(prefix + "/lib/rustlib/install-args"), "--prefix=" + prefix + " --disable-ldconfig\n");
  // The tarball came from the mirror, not the manifest's upstream host.
  EXPECT_EQ(server.request_count("/rust/dist/2024-10-17/rust-1.82.0-" + RustMirror::triple() + ".tar.xz"), 1);
  expect_clean_store(world, "rust");
}

TEST_F(CoreRust, LsRemoteListsTheStableVersionAndVersionsTxt) {
  rust.set_versions_txt("1.80.1\n1.81.0\n");
  Output o = world.rtx({"ls-remote", "rust"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out, "1.80.1\n1.81.0\n1.82.0\n");
  server.add_status("/rust/versions.txt", 404);  // optional: upstream has none
  o = world.rtx({"ls-remote", "rust"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out, "1.82.0\n");
}

// Upstream has a channel manifest for every release but no list of them: an
// exact version (or a minor like 1.80, as rustup reads it) missing from
// versions.txt is looked up by its own manifest.
TEST_F(CoreRust, AVersionMissingFromVersionsTxtIsFoundByItsManifest) {
  rust.add("1.80.1");
  Output o = world.rtx({"install", "rust@1.80.1"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(rustc_in("1.80.1"), "rustc 1.80.1 (f6e511eec 2024-10-15)\n");
  EXPECT_EQ(server.request_count("/rust/dist/channel-rust-1.80.1.toml"), 2);  // looked up, then installed

  rust.set_manifest("1.79", RustMirror::manifest("1.79.0", "", "", false));
  rust.add("1.79.0");
  Output minor = world.rtx({"install", "rust@1.79"});
  ASSERT_EQ(minor.status, 0) << minor.err;
  EXPECT_NE(minor.err.find("installed rust 1.79.0"), std::string::npos) << minor.err;

  Output none = world.rtx({"install", "rust@1.70.0"});
  EXPECT_NE(none.status, 0);
  EXPECT_NE(last_line(none.err).find("no version of rust matches '1.70.0'"), std::string::npos) << none.err;
  expect_clean_store(world, "rust");
}

class CoreRustBadMirror : public CoreRust {
 protected:
  void SetUp() override {
    CoreRust::SetUp();
    rust.set_versions_txt("1.81.0\n1.82.0\n1.90.0\n");
    ASSERT_EQ(world.rtx({"install", "rust@1.81.0"}).status, 0);
  }
  // `rtx install rust@1.90.0` fails with one line containing `what`, and 1.81.0 still works.
  void expect_refused(const std::string& what) {
    Output o = world.rtx({"install", "rust@1.90.0"});
    EXPECT_NE(o.status, 0);
    EXPECT_NE(last_line(o.err).find(what), std::string::npos) << o.err;
    EXPECT_EQ(o.err.find(what), o.err.rfind(what)) << o.err;  // said once
    expect_clean_store(world, "rust");
    EXPECT_TRUE(builds_of(world, "rust", "1.90.0").empty());
    EXPECT_EQ(rustc_in("1.81.0"), "rustc 1.81.0 (f6e511eec 2024-10-15)\n");
  }
};

TEST_F(CoreRustBadMirror, MalformedManifestNamesItsLine) {
  rust.set_manifest("1.90.0", "manifest-version = \"2\"\n[pkg.rust]\nversion = \"1.90.0 (x)\n");
  expect_refused("/rust/dist/channel-rust-1.90.0.toml:3: invalid TOML: ");
  Output o = world.rtx({"install", "rust@1.90.0"});
  EXPECT_NE(last_line(o.err).find(": check RTX_RUST_MIRROR"), std::string::npos) << o.err;
}

TEST_F(CoreRustBadMirror, ManifestWithoutTheHostTarget) {
  rust.set_manifest("1.90.0", RustMirror::manifest("1.90.0", "", "", false));
  expect_refused("rust 1.90.0 has no build for " + RustMirror::triple() + " in ");
}

TEST_F(CoreRustBadMirror, WrongXzHash) {
  rust.add("1.90.0", std::string(64, 'e'));
  expect_refused("sha256:" + std::string(64, 'e'));
}

TEST_F(CoreRustBadMirror, BrokenInstallSh) {
  std::string top = "rust-1.90.0-" + RustMirror::triple();
  auto t =
      pyrust::make_tarball(top + ".tar.xz", {{top + "/install.sh", "#!/bin/sh\necho half >&2\nexit 3\n", true}}, "J");
  server.add_file("/rust/dist/2024-10-17/" + t.name, t.bytes);
  rust.set_manifest("1.90.0", RustMirror::manifest("1.90.0", "https://static.rust-lang.org/dist/2024-10-17/" + t.name,
                                                   t.sha256, true));
  expect_refused("install.sh of ");
}

class CorePython : public ::testing::Test {
 protected:
  void SetUp() override {
    world.set_env("RTX_PYTHON_MIRROR", python.url());
    python.add("20240107", "3.11.7");
    python.add("20240107", "3.12.1");
    python.add("20241016", "3.12.1");  // rebuilt: the newer release wins
    python.add("20241016", "3.12.7");
    python.add_foreign("20241016", "3.13.0");  // no build for this machine: never listed
  }
  std::string python3_in(const std::string& version) {
    std::string p = world.make_project("p-" + version, "rtx.toml", "[tools]\npython = \"" + version + "\"\n");
    Output o = world.shim("python3", {"--version"}, p);
    EXPECT_EQ(o.status, 0) << o.err;
    return o.out;
  }
  test::HttpServer server;
  PythonMirror python{server, "/python"};
  World world;
};

TEST_F(CorePython, InstallsAndRunsThroughTheShim) {
  Output o = world.rtx({"install", "python@3.12", "python@3.12.1"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(python3_in("3.12"), "Python 3.12.7\n");
  EXPECT_EQ(python3_in("3.12.1"), "Python 3.12.1\n");
  Output where = world.rtx({"where", "python@3.12.1"});
  ASSERT_EQ(where.status, 0) << where.err;
  EXPECT_EQ(world.read(last_line(where.out) + "/RELEASE"), "20241016\n");  // python/ stripped; newest release
  expect_clean_store(world, "python");
}

TEST_F(CorePython, LsRemoteReadsEveryReleasesSha256Sums) {
  Output o = world.rtx({"ls-remote", "python"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out, "3.11.7\n3.12.1\n3.12.7\n");
  world.set_env("RTX_PYTHON_RELEASES", "20240107");
  o = world.rtx({"ls-remote", "python", "3.12"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out, "3.12.1\n");
}

class CorePythonBadMirror : public CorePython {
 protected:
  void SetUp() override {
    CorePython::SetUp();
    ASSERT_EQ(world.rtx({"install", "python@3.11.7"}).status, 0);
  }
  void expect_refused(const std::string& spec, const std::string& what) {
    Output o = world.rtx({"install", "python@" + spec});
    EXPECT_NE(o.status, 0);
    EXPECT_NE(last_line(o.err).find(what), std::string::npos) << o.err;
    expect_clean_store(world, "python");
    EXPECT_EQ(builds(world, "python").size(), 1u);
    EXPECT_EQ(python3_in("3.11"), "Python 3.11.7\n");
  }
};

TEST_F(CorePythonBadMirror, Sha256SumsWithoutTheArtifact) {
  expect_refused("3.13.0", "no version of python matches '3.13.0'");
}

TEST_F(CorePythonBadMirror, WrongChecksum) {
  python.add("20241016", "3.10.15", std::string(64, 'f'));
  expect_refused("3.10.15", "sha256:" + std::string(64, 'f'));
}

TEST_F(CorePythonBadMirror, MissingTarball) {
  python.add("20241016", "3.10.15");
  server.add_status(python.tarball_path("20241016", "3.10.15"), 404);
  expect_refused("3.10.15", "HTTP 404");
}

}  // namespace
}  // namespace rtx::e2e
