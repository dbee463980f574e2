// npm packages as tools (DESIGN.md §8, issue 4 item 4): a fixture registry on
// 127.0.0.1 serves metadata and tarballs the tests pack themselves; rtx finds
// it the way npm would (NPM_CONFIG_REGISTRY, else registry= in ~/.npmrc),
// installs through the real code path and exposes package.json "bin" entries
// as shims. The bin scripts are /bin/sh scripts, so no node is needed.
//
// Needs tests/e2e/CMakeLists.txt to link rtx_test_http_server.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "npm_registry_fixture.hpp"

namespace rtx::e2e {
namespace {

namespace fs = std::filesystem;

// The developer's own npm registry setting, read before the fixture clears it.
const std::string kRealRegistryEnv = [] {
  for (const char* v : {"NPM_CONFIG_REGISTRY", "npm_config_registry"})
    if (const char* value = std::getenv(v); value && *value) return std::string(value);
  return std::string();
}();

std::string greeter_json(const std::string& version) {
  return R"({"name":"greeter","version":")" + version + R"(","bin":{"greet":"bin/x.js","greet-too":"./bin/x.js"}})";
}

TEST_F(Npm, InstallsFromNpmConfigRegistryAndRunsItsBinsThroughShims) {
  publish("greeter",
          {{"1.2.0", pack(greeter_json("1.2.0"), "bin/x.js", "greeter 1.2.0")},
           {"2.0.0-beta.1", pack(greeter_json("2.0.0-beta.1"))},
           {"1.10.0", pack(greeter_json("1.10.0"))}},
          "1.2.0");
  Output remote = world.rtx({"ls-remote", "npm:greeter"});
  ASSERT_EQ(remote.status, 0) << remote.err;
  EXPECT_EQ(remote.out, "1.2.0\n1.10.0\n2.0.0-beta.1\n");

  Output o = world.rtx({"install", "npm:greeter@latest"});  // dist-tags.latest, not the newest
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(server.last_request("/registry/greeter")->header("accept").find("application/vnd.npm.install-v1+json"),
            std::string::npos);
  std::string project = world.make_project("p", ".tool-versions", "npm:greeter 1.2.0\n");
  Output run = world.shim("greet", {"world"}, project);
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "greeter 1.2.0 world\n");
  EXPECT_EQ(world.shim("greet-too", {}, project).status, 0);
}

TEST_F(Npm, FindsTheRegistryInTheUsersNpmrc) {
  world.unset_env("NPM_CONFIG_REGISTRY");
  std::ofstream(world.home() + "/.npmrc")
      << "; written by the test\nfund=false\nregistry = " << server.url("/registry/") << "\n";
  publish("hello-cli", {{"0.3.1", pack(R"({"name":"hello-cli","version":"0.3.1","bin":"bin/x.js"})")}}, "0.3.1");
  Output o = world.rtx({"install", "npm:hello-cli@0.3"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(server.request_count("/registry/hello-cli"), 1);
  EXPECT_EQ(world.sh("RTX_NPM_HELLO_CLI_VERSION=0.3.1 hello-cli hi").out, "hello hi\n");
}

TEST_F(Npm, ScopedPackagesUseTheEncodedNameAndTheUnscopedCommand) {
  publish("@acme/tool",
          {{"1.0.0", pack(R"({"name":"@acme/tool","version":"1.0.0","bin":"cli/run.sh"})", "cli/run.sh")}}, "1.0.0");
  Output o = world.rtx({"install", "npm:@acme/tool@1.0.0"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(server.request_count("/registry/@acme%2ftool"), 1);
  ASSERT_EQ(builds("npm:@acme+tool").size(), 1u);  // '/' is '+' in folder names
  std::string project = world.make_project("p", "rtx.toml", "[tools]\n\"npm:@acme/tool\" = \"1\"\n");
  EXPECT_EQ(world.shim("tool", {"x"}, project).out, "hello x\n");
}

TEST_F(Npm, ProjectNpmrcAndScopeRegistryWinOverTheUsersRegistry) {
  world.unset_env("NPM_CONFIG_REGISTRY");
  std::ofstream(world.home() + "/.npmrc") << "registry=http://127.0.0.1:1/\n";  // would fail if used
  std::string project = world.make_project("app", "package.json", "{}");
  std::ofstream(project + "/.npmrc") << "@acme:registry=\"" << server.url("/registry") << "\"\n";
  publish("@acme/tool", {{"1.0.0", pack(R"({"name":"@acme/tool","version":"1.0.0","bin":"bin/x.js"})")}}, "1.0.0");
  Output o = world.rtx({"install", "npm:@acme/tool@1.0.0"}, world.make_project("app/src", "README", ""));
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(server.request_count("/registry/@acme%2ftool"), 1);
}

TEST_F(Npm, WrongIntegrityIsRefusedAndLeavesNothing) {
  std::string tgz = pack(greeter_json("1.0.0"));
  publish("greeter", {{"1.0.0", tgz, sri(tgz + "tampered")}}, "1.0.0");
  Output o = world.rtx({"install", "npm:greeter@1.0.0"});
  EXPECT_NE(o.status, 0);
  EXPECT_NE(o.err.find("checksum"), std::string::npos) << o.err;
  EXPECT_TRUE(builds("npm:greeter").empty());
  EXPECT_FALSE(fs::exists(world.shims() + "/greet"));
}

TEST_F(Npm, MissingPackageNamesTheRegistry) {
  Output o = world.rtx({"install", "npm:no-such-package"});
  EXPECT_NE(o.status, 0);
  EXPECT_NE(o.err.find("404"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find(server.url("/registry")), std::string::npos) << o.err;
  EXPECT_TRUE(builds("npm:no-such-package").empty());
}

TEST_F(Npm, MalformedMetadataIsAClearError) {
  server.add_file("/registry/broken", R"({"name":"broken","versions":{"1.0.0":{"dist":)", "application/json");
  Output o = world.rtx({"install", "npm:broken@1.0.0"});
  EXPECT_NE(o.status, 0);
  EXPECT_NE(o.err.find("not valid JSON"), std::string::npos) << o.err;
  server.add_file("/registry/broken", R"({"error":"not found"})", "application/json");
  o = world.rtx({"ls-remote", "npm:broken"});
  EXPECT_NE(o.status, 0);
  EXPECT_NE(o.err.find("no \"versions\""), std::string::npos) << o.err;
}

TEST_F(Npm, BinTargetsOutsideThePackageAreRefused) {
  publish("evil", {{"1.0.0", pack(R"({"name":"evil","version":"1.0.0","bin":{"evil":"../../../../bin/sh"}})")}},
          "1.0.0");
  Output o = world.rtx({"install", "npm:evil@1.0.0"});
  EXPECT_NE(o.status, 0);
  EXPECT_NE(o.err.find("outside the package"), std::string::npos) << o.err;
  EXPECT_TRUE(builds("npm:evil").empty());
  EXPECT_FALSE(fs::exists(world.shims() + "/evil"));
}

// A private registry: npm's per-registry credentials in ~/.npmrc, the token
// from the environment as CI sets it, sent to the registry's host only.
TEST_F(Npm, SendsTheRegistrysTokenToItsHostOnly) {
  world.set_env("NPM_TOKEN", "s3cret");
  std::string dart = server.url("/registry/").substr(5);  // "//127.0.0.1:<port>/registry/"
  std::ofstream(world.home() + "/.npmrc") << dart << ":_authToken=${NPM_TOKEN}\n";
  publish("greeter", {{"1.0.0", pack(greeter_json("1.0.0"))}}, "1.0.0");
  ASSERT_EQ(world.rtx({"install", "npm:greeter@1.0.0"}).status, 0);
  EXPECT_EQ(server.last_request("/registry/greeter")->header("authorization"), "Bearer s3cret");
  EXPECT_EQ(server.last_request("/tarballs/greeter-1.0.0.tgz")->header("authorization"), "Bearer s3cret");

  test::HttpServer elsewhere;  // a CDN on another port: never sees the token
  publish("other", {{"2.0.0", pack(R"({"name":"other","version":"2.0.0","bin":"bin/x.js"})")}}, "2.0.0", &elsewhere);
  ASSERT_EQ(world.rtx({"install", "npm:other@2.0.0"}).status, 0);
  EXPECT_EQ(server.last_request("/registry/other")->header("authorization"), "Bearer s3cret");
  EXPECT_EQ(elsewhere.last_request("/tarballs/other-2.0.0.tgz")->header("authorization"), "");
}

TEST_F(Npm, BasicCredentialsFromAParentPath) {
  std::string host = server.url("/").substr(5);  // "//127.0.0.1:<port>/": the registry's parent
  std::ofstream(world.home() + "/.npmrc") << host << ":username=ci\n" << host << ":_password=aHVudGVyMg==\n";
  publish("greeter", {{"1.0.0", pack(greeter_json("1.0.0"))}}, "1.0.0");
  ASSERT_EQ(world.rtx({"install", "npm:greeter@1.0.0"}).status, 0);
  EXPECT_EQ(server.last_request("/registry/greeter")->header("authorization"), "Basic Y2k6aHVudGVyMg==");  // ci:hunter2
}

TEST_F(Npm, UnauthorizedSaysWhichCredentialsWereUsed) {
  server.add_status("/registry/private-tool", 401, "{\"error\":\"login first\"}");
  Output o = world.rtx({"install", "npm:private-tool@1.0.0"});
  EXPECT_NE(o.status, 0);
  EXPECT_NE(o.err.find("401"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("no credentials for it in any .npmrc"), std::string::npos) << o.err;

  std::string dart = server.url("/registry/").substr(5);
  std::ofstream(world.home() + "/.npmrc") << dart << ":_authToken=expired\n";
  o = world.rtx({"install", "npm:private-tool@1.0.0"});
  EXPECT_NE(o.status, 0);
  EXPECT_NE(o.err.find("credentials from " + dart + ":_authToken in " + world.home() + "/.npmrc"), std::string::npos)
      << o.err;
  EXPECT_EQ(o.err.find("expired"), std::string::npos) << "the token itself is never printed: " << o.err;
  EXPECT_TRUE(builds("npm:private-tool").empty());
}

TEST_F(Npm, UsernameWithoutPasswordIsOneClearError) {
  std::string dart = server.url("/registry/").substr(5);
  std::ofstream(world.home() + "/.npmrc") << dart << ":username=ci\n";
  Output o = world.rtx({"install", "npm:greeter@1.0.0"});
  EXPECT_NE(o.status, 0);
  EXPECT_NE(o.err.find("sets " + dart + ":username without a base64 " + dart + ":_password"), std::string::npos)
      << o.err;
  EXPECT_EQ(server.total_requests(), 0);
}

// Opt-in: a real package from the registry npm itself would use here.
TEST_F(Npm, RealRegistryInstallsSemver) {
  const char* opt = std::getenv("RTX_TEST_REAL_NPM");
  if (!opt || std::string(opt) != "1")
    GTEST_SKIP() << "set RTX_TEST_REAL_NPM=1 to install npm:semver and npm:cowsay from the real registry";
  // The registry as `npm config get registry` sees it, from this test's real
  // environment and home (the world has a home of its own).
  std::string registry = "https://registry.npmjs.org/";  // npm's own default
  std::string npmrc = std::string(std::getenv("HOME") ? std::getenv("HOME") : "") + "/.npmrc";
  std::ifstream rc(npmrc);
  for (std::string line; std::getline(rc, line);)
    if (line.rfind("registry", 0) == 0 && line.find('=') != std::string::npos) {
      registry = line.substr(line.find('=') + 1);
      registry.erase(0, registry.find_first_not_of(" \t"));
    }
  if (!kRealRegistryEnv.empty()) registry = kRealRegistryEnv;
  world.set_env("NPM_CONFIG_REGISTRY", registry);

  Output remote = world.rtx({"ls-remote", "npm:semver", "7"});
  if (remote.status != 0 && remote.err.find("HTTP ") == std::string::npos)
    GTEST_SKIP() << "the npm registry " << registry << " is unreachable from here: " << remote.err;
  ASSERT_EQ(remote.status, 0) << remote.err;
  Output o = world.rtx({"install", "npm:semver@7"});
  ASSERT_EQ(o.status, 0) << o.err;
  Output which = world.rtx({"which", "semver"}, world.make_project("p", ".tool-versions", "npm:semver 7\n"));
  EXPECT_EQ(which.status, 0) << which.err;
  EXPECT_NE(which.out.find("/.rtx-bin/semver"), std::string::npos) << which.out;
  if (::access("/usr/bin/node", X_OK) == 0) {  // its bin is a node script
    EXPECT_EQ(world.shim("semver", {"1.2.3"}, world.root() + "/p").out, "1.2.3\n");
  }

  // A package with a tree of dependencies (npm installs 41 packages for it).
  Output cow = world.rtx({"install", "npm:cowsay@1.6.0"});
  ASSERT_EQ(cow.status, 0) << cow.err;
  EXPECT_NE(cow.err.find(" npm dependencies of npm:cowsay"), std::string::npos) << cow.err;  // 40 today
  if (::access("/usr/bin/node", X_OK) == 0) {
    Output said = world.shim("cowsay", {"moo"}, world.make_project("c", ".tool-versions", "npm:cowsay 1.6.0\n"));
    EXPECT_NE(said.out.find("< moo >"), std::string::npos) << said.out << said.err;
  }
}

}  // namespace
}  // namespace rtx::e2e
