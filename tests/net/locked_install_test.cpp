// Locked installs (issue 10 items 1 and 2, DESIGN.md §11) through the real
// install transaction: a lock made on one "machine" against fixture mirror
// A installs on another from mirror B, which serves the same path and no
// checksum list, with an identical result; different bytes at that path are
// refused and change nothing; a plain http:// mirror that is not loopback
// (reached through the fixture server acting as the HTTP proxy) serves an
// artifact only when its checksum is locked. Until `rtx install --locked`
// exists this is the level the lock is tested at.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "backend_fixture.hpp"
#include "manager/backends/core/go.hpp"
#include "manager/backends/core/node.hpp"
#include "manager/backends/core/npm.hpp"
#include "manager/backends/core/python.hpp"
#include "manager/backends/core/rust.hpp"
#include "manager/store/install_transaction.hpp"
#include "tests/e2e/mirror_fixture.hpp"
#include "tests/e2e/python_rust_fixture.hpp"

namespace rtx::test {
namespace {

using ::testing::HasSubstr;

class LockedInstall : public BackendTest {
 protected:
  // Installs `version` on `name`'s store; with `locked`, from the lock.
  Expected<store::InstallOutcome> install(const std::string& name, backends::Backend& backend, const std::string& tool,
                                          const std::string& version, const backends::Artifact* locked = nullptr) {
    store::InstallOptions o;
    o.shim_binary = tmp / (name + "/bin/rtx-shim");
    o.download_root = tmp / (name + "/cache/plugin-downloads");
    if (locked) {
      o.locked_url = locked->url;
      o.locked_checksum = locked->checksum.to_string();
    }
    return store::install_version(machine(name).layout, backend, tool, version, o);
  }

  // Every file under `dir` with its bytes (a symlink: "-> target").
  static std::map<std::string, std::string> contents(const std::string& dir) {
    std::map<std::string, std::string> out;
    for (const auto& rel : files_under(dir)) {
      std::error_code ec;
      auto target = std::filesystem::read_symlink(dir + "/" + rel, ec);
      out[rel] = ec ? read_file(dir + "/" + rel) : "-> " + target.string();
    }
    return out;
  }

  // A build and its meta file, as the store holds them.
  static std::map<std::string, std::string> build_of(const store::InstallOutcome& outcome) {
    auto out = contents(outcome.entry_path);
    out[".meta"] = read_file(resolver::meta_path(outcome.entry_path));
    return out;
  }

  // What `name` has installed: its store and installs folders.
  std::map<std::string, std::string> installed(const std::string& name) const {
    auto out = contents(machine(name).layout.data + "/store");
    for (const auto& [path, bytes] : contents(machine(name).layout.data + "/installs")) out["installs/" + path] = bytes;
    return out;
  }

  // What the server serves at `path`, fetched as any client would.
  std::string bytes_at(const std::string& path) {
    auto req = request_for(path, "fetched/" + std::to_string(++fetched_));
    auto got = net::download(req);
    EXPECT_TRUE(got) << got.error();
    return read_file(req.dest);
  }
  int fetched_ = 0;

  static std::string this_platform() { return "linux-" + e2e::NodeMirror::arch(); }

  // This machine's artifact among what lock_artifacts gave.
  static backends::Artifact mine(const Expected<std::vector<backends::Artifact>>& lock) {
    EXPECT_TRUE(lock) << lock.error();
    if (lock)
      for (const auto& a : *lock)
        if (a.platform == this_platform()) return a;
    ADD_FAILURE() << "no artifact for " << this_platform();
    return {};
  }
};

TEST_F(LockedInstall, NodeLockedOnMirrorAInstallsIdenticallyFromMirrorB) {
  e2e::NodeMirror a(server, "/a");
  const e2e::Artifact& tarball = a.add("20.11.1", "Iron");
  backends::Artifact locked;
  std::map<std::string, std::string> built_on_one;
  {
    ScopedEnv mirror("RTX_NODE_MIRROR", a.url());
    auto node = backends::core::make_node_backend(machine("one"));
    locked = mine(node->lock_artifacts("20.11.1", kAllLockPlatforms));
    EXPECT_EQ(locked.url, "https://nodejs.org/dist/v20.11.1/" + tarball.name);
    EXPECT_EQ(locked.checksum, (net::Checksum{net::HashAlgorithm::sha256, tarball.sha256}));
    auto one = install("one", *node, "node", "20.11.1");
    ASSERT_TRUE(one) << one.error();
    built_on_one = build_of(*one);
  }
  // Mirror B: the same path and an index.json (for the LTS aliases), no SHASUMS256.txt.
  server.add_file("/b/v20.11.1/" + tarball.name, tarball.bytes);
  server.add_file("/b/index.json",
                  "[{\"version\":\"v20.11.1\",\"files\":[\"linux-x64\",\"linux-arm64\"],\"lts\":\"Iron\"}]");
  ScopedEnv mirror("RTX_NODE_MIRROR", server.url("/b"));
  auto node = backends::core::make_node_backend(machine("two"));
  auto two = install("two", *node, "node", "20.11.1", &locked);
  ASSERT_TRUE(two) << two.error();
  EXPECT_EQ(build_of(*two), built_on_one);
  EXPECT_THAT(built_on_one[".meta"], HasSubstr("lts-iron"));
  EXPECT_EQ(server.request_count("/b/v20.11.1/" + tarball.name), 1);
  EXPECT_EQ(server.request_count("/b/v20.11.1/SHASUMS256.txt"), 0);
}

TEST_F(LockedInstall, NodeLockedWithoutAnIndexBuildsWithoutAliases) {
  e2e::NodeMirror a(server, "/a");
  const e2e::Artifact& tarball = a.add("20.11.1", "Iron");
  server.add_file("/c/v20.11.1/" + tarball.name, tarball.bytes);  // no index.json at all
  ScopedEnv mirror("RTX_NODE_MIRROR", server.url("/c"));
  backends::Artifact locked{this_platform(), "https://nodejs.org/dist/v20.11.1/" + tarball.name,
                            net::Checksum{net::HashAlgorithm::sha256, tarball.sha256}, std::nullopt};
  auto node = backends::core::make_node_backend(machine("two"));
  auto two = install("two", *node, "node", "20.11.1", &locked);
  ASSERT_TRUE(two) << two.error();
  EXPECT_THAT(read_file(two->entry_path + "/bin/node"), HasSubstr("v20.11.1"));
  EXPECT_THAT(read_file(resolver::meta_path(two->entry_path)), ::testing::Not(HasSubstr("lts")));
}

TEST_F(LockedInstall, NodeLockedRefusesOtherBytesAtTheLockedPathAndChangesNothing) {
  e2e::NodeMirror a(server, "/a");
  a.add("20.10.0");
  const e2e::Artifact& tarball = a.add("20.11.1", "Iron");
  ScopedEnv mirror("RTX_NODE_MIRROR", a.url());
  auto node = backends::core::make_node_backend(machine("three"));
  backends::Artifact locked = mine(node->lock_artifacts("20.11.1", kAllLockPlatforms));
  auto before = install("three", *node, "node", "20.10.0");  // something already installed
  ASSERT_TRUE(before) << before.error();
  auto was = installed("three");

  // The mirror's file changes (and its SHASUMS256.txt with it): the lock still says the old bytes.
  e2e::Artifact other =
      e2e::make_tool_tarball(tarball.name, "node-v20.11.1-" + this_platform(), "node", "v20.11.1 tampered", "J");
  server.add_file(a.tarball_path("20.11.1"), other.bytes);
  server.add_file(a.shasums_path("20.11.1"), other.sha256 + "  " + other.name + "\n");
  auto refused = install("three", *node, "node", "20.11.1", &locked);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error(), HasSubstr("installing node 20.11.1 failed, nothing changed: "));
  EXPECT_THAT(refused.error(), HasSubstr("checksum mismatch: expected sha256:" + tarball.sha256));
  EXPECT_EQ(refused.error().find('\n'), std::string::npos);
  EXPECT_EQ(installed("three"), was);
}

TEST_F(LockedInstall, PlainHttpMirrorServesOnlyALockedChecksum) {
  e2e::NodeMirror a(server, "/node");
  const e2e::Artifact& tarball = a.add("20.11.1", "Iron");
  // mirror.example resolves nowhere: only the fixture server, as the proxy, answers for it.
  ScopedEnv proxy("http_proxy", server.base_url());
  ScopedEnv mirror("RTX_NODE_MIRROR", "http://mirror.example/node");
  auto node = backends::core::make_node_backend(machine("four"));
  auto refused = install("four", *node, "node", "20.11.1");
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error(),
              HasSubstr("refusing http://mirror.example/node/v20.11.1/" + tarball.name + ": over plain http://"));
  EXPECT_EQ(server.request_count(a.tarball_path("20.11.1")), 0);  // refused before any byte
  EXPECT_TRUE(installed("four").empty());

  backends::Artifact locked{this_platform(), "https://nodejs.org/dist/v20.11.1/" + tarball.name,
                            net::Checksum{net::HashAlgorithm::sha256, tarball.sha256}, std::nullopt};
  auto accepted = install("four", *node, "node", "20.11.1", &locked);
  ASSERT_TRUE(accepted) << accepted.error();
  ASSERT_EQ(server.request_count(a.tarball_path("20.11.1")), 1);
  EXPECT_EQ(server.last_request(a.tarball_path("20.11.1"))->target,
            "http://mirror.example/node/v20.11.1/" + tarball.name);
}

TEST_F(LockedInstall, AMalformedLockEntryIsOneLineAndNothingIsFetched) {
  auto node = backends::core::make_node_backend(machine("five"));
  backends::Artifact locked{this_platform(), "https://nodejs.org/dist/v20.11.1/x.tar.xz",
                            net::Checksum{net::HashAlgorithm::sha256, "1234"}, std::nullopt};
  auto got = install("five", *node, "node", "20.11.1", &locked);
  ASSERT_FALSE(got);
  EXPECT_THAT(got.error(), HasSubstr("the locked checksum 'sha256:1234' of https://nodejs.org/dist/v20.11.1/x.tar.xz"
                                     " is not a checksum"));
  EXPECT_EQ(server.total_requests(), 0);
  EXPECT_TRUE(installed("five").empty());
}

// ---- the other core backends: a mirror serving only the artifact is enough ----

TEST_F(LockedInstall, GoInstallsFromTheLockWithoutItsIndex) {
  e2e::GoMirror a(server, "/go");
  const e2e::Artifact& tarball = a.add("1.22.1");
  backends::Artifact locked;
  {
    ScopedEnv mirror("RTX_GO_MIRROR", a.url());
    locked = mine(backends::core::make_go_backend(machine("one"))->lock_artifacts("1.22.1", kAllLockPlatforms));
  }
  EXPECT_EQ(locked.url, "https://go.dev/dl/" + tarball.name);
  EXPECT_EQ(locked.size, tarball.bytes.size());
  server.add_file("/go2/" + tarball.name, tarball.bytes);
  ScopedEnv mirror("RTX_GO_MIRROR", server.url("/go2"));
  auto go = backends::core::make_go_backend(machine("two"));
  auto two = install("two", *go, "go", "1.22.1", &locked);
  ASSERT_TRUE(two) << two.error();
  EXPECT_THAT(read_file(two->entry_path + "/bin/go"), HasSubstr("go1.22.1"));
}

TEST_F(LockedInstall, PythonInstallsFromTheLockWithoutAnySha256Sums) {
  e2e::pyrust::PythonMirror a(server, "/py");
  a.add("20241016", "3.12.7");
  backends::Artifact locked;
  {
    ScopedEnv mirror("RTX_PYTHON_MIRROR", a.url());
    locked = mine(backends::core::make_python_backend(machine("one"))->lock_artifacts("3.12.7", kAllLockPlatforms));
  }
  std::string name = e2e::pyrust::PythonMirror::artifact_name("20241016", "3.12.7", e2e::pyrust::gnu_arch());
  EXPECT_EQ(locked.url, "https://github.com/indygreg/python-build-standalone/releases/download/20241016/" + name);
  server.add_file("/py2/20241016/" + name, bytes_at(a.tarball_path("20241016", "3.12.7")));
  ScopedEnv mirror("RTX_PYTHON_MIRROR", server.url("/py2"));
  auto python = backends::core::make_python_backend(machine("two"));
  auto two = install("two", *python, "python", "3.12.7", &locked);
  ASSERT_TRUE(two) << two.error();
  EXPECT_EQ(server.request_count("/py2/releases.txt"), 0);
}

TEST_F(LockedInstall, RustInstallsFromTheLockWithoutItsManifest) {
  e2e::pyrust::RustMirror a(server, "/rust");
  const e2e::pyrust::Tarball& tarball = a.add("1.82.0");
  backends::Artifact locked;
  {
    ScopedEnv mirror("RTX_RUST_MIRROR", a.url());
    locked = mine(backends::core::make_rust_backend(machine("one"))->lock_artifacts("1.82.0", kAllLockPlatforms));
  }
  EXPECT_EQ(locked.url, "https://static.rust-lang.org/dist/2024-10-17/" + tarball.name);
  server.add_file("/rust2/dist/2024-10-17/" + tarball.name, tarball.bytes);
  ScopedEnv mirror("RTX_RUST_MIRROR", server.url("/rust2"));
  auto rust = backends::core::make_rust_backend(machine("two"));
  auto two = install("two", *rust, "rust", "1.82.0", &locked);
  ASSERT_TRUE(two) << two.error();
  EXPECT_THAT(read_file(two->entry_path + "/bin/rustc"), HasSubstr("rustc 1.82.0"));
  EXPECT_EQ(server.request_count("/rust2/dist/channel-rust-1.82.0.toml"), 0);
}

TEST_F(LockedInstall, NpmTarballLockedOnTheDefaultRegistryComesFromTheConfiguredOne) {
  e2e::pyrust::Tarball tgz = e2e::pyrust::make_tarball(
      "greeter-1.0.0.tgz",
      {{"package/package.json", "{\"name\":\"greeter\",\"version\":\"1.0.0\",\"bin\":{\"greet\":\"bin/greet.sh\"}}"},
       {"package/bin/greet.sh", "#!/bin/sh\necho hello\n", true}},
      "z");
  server.add_file("/r2/greeter/-/greeter-1.0.0.tgz", tgz.bytes);
  ScopedEnv registry("NPM_CONFIG_REGISTRY", server.url("/r2/"));
  backends::Artifact locked{this_platform(), "https://registry.npmjs.org/greeter/-/greeter-1.0.0.tgz",
                            sha512_of(tgz.bytes), std::nullopt};
  auto npm = backends::core::make_npm_backend(machine("two"), "npm:greeter");
  auto two = install("two", *npm, "npm:greeter", "1.0.0", &locked);
  ASSERT_TRUE(two) << two.error();
  EXPECT_TRUE(exists(two->entry_path + "/.rtx-bin/greet"));
  EXPECT_EQ(server.request_count("/r2/greeter"), 0);  // the package's document is not read
  EXPECT_EQ(server.request_count("/r2/greeter/-/greeter-1.0.0.tgz"), 1);
}

}  // namespace
}  // namespace rtx::test
