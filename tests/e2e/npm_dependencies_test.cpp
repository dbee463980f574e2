// npm dependencies end to end (docs/decisions.md, "npm dependencies"): a
// fixture registry on 127.0.0.1 with packages that depend on each other; rtx
// resolves npm ranges, hoists what it can, nests what conflicts, skips
// optional packages for other machines, and a bad dependency installs nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "mirror_fixture.hpp"
#include "npm_registry_fixture.hpp"
#include "text_checks.hpp"

namespace rtx::e2e {
namespace {

// package.json of a library `name`@`version` with `deps` ("\"a\":\"^1\"") and
// more fields (`extra`, e.g. "\"optionalDependencies\":{…}").
std::string lib_json(const std::string& name, const std::string& version, const std::string& deps = "",
                     const std::string& extra = "") {
  return "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"dependencies\":{" + deps + "}" +
         (extra.empty() ? "" : "," + extra) + "}";
}

class NpmDependencies : public Npm {
 protected:
  // A library: package.json and index.js.
  std::string lib(const std::string& name, const std::string& version, const std::string& deps = "",
                  const std::string& extra = "") {
    return pack(lib_json(name, version, deps, extra), "index.js");
  }
  // The "app" tool: a bin command plus its dependencies.
  void publish_app(const std::string& deps, const std::string& extra = "") {
    std::string json = "{\"name\":\"app\",\"version\":\"1.0.0\",\"bin\":{\"app\":\"bin/app.js\"},\"dependencies\":{" +
                       deps + "}" + (extra.empty() ? "" : "," + extra) + "}";
    publish("app", {{"1.0.0", pack(json, "bin/app.js", "app 1.0.0")}}, "1.0.0");
  }
  // The version of the package.json at <prefix>/<rel>, or "" when absent.
  std::string version_at(const std::string& rel) const {
    std::string path = prefix() + "/" + rel + "/package.json";
    if (!std::filesystem::exists(path)) return "";
    std::string text = world.read(path);
    std::size_t at = text.find("\"version\":\"");
    return at == std::string::npos ? "?" : text.substr(at + 11, text.find('"', at + 11) - at - 11);
  }
  std::string prefix() const {
    Output o = world.rtx({"where", "npm:app@1.0.0"});
    EXPECT_EQ(o.status, 0) << o.err;
    std::string p = o.out;
    while (!p.empty() && p.back() == '\n') p.pop_back();
    return p;
  }
  std::string tarball(const std::string& name, const std::string& version) const {
    std::string encoded = name;
    if (auto slash = encoded.find('/'); slash != std::string::npos) encoded.replace(slash, 1, "%2f");
    return "/tarballs/" + encoded + "-" + version + ".tgz";
  }
  // Installing npm:app fails with one error line holding `what`, and nothing is left.
  void expect_refused(const std::string& what) {
    Output o = world.rtx({"install", "npm:app@1.0.0"});
    EXPECT_NE(o.status, 0);
    int error_lines = 0;  // every line but the "installing … with …" note and the download summary
    std::istringstream in(o.err);
    for (std::string line; std::getline(in, line);)
      if (!line.empty() && line.rfind("downloaded ", 0) != 0 &&
          line.rfind("rtx: installing npm:app 1.0.0 with ", 0) != 0)
        ++error_lines;
    EXPECT_EQ(error_lines, 1) << o.err;
    EXPECT_NE(o.err.find(what), std::string::npos) << o.err;
    EXPECT_TRUE(builds("npm:app").empty());
    EXPECT_FALSE(std::filesystem::exists(world.shims() + "/app"));
  }
};

TEST_F(NpmDependencies, RangesResolveHoistedWhereTheyCanNestedWhereTheyConflict) {
  publish("left-pad",
          {{"1.0.0", lib("left-pad", "1.0.0")},
           {"1.1.0", lib("left-pad", "1.1.0")},
           {"1.3.0", lib("left-pad", "1.3.0")},
           {"2.0.0", lib("left-pad", "2.0.0")}},
          "2.0.0");
  publish("@acme/util",
          {{"2.0.1", lib("@acme/util", "2.0.1", "\"left-pad\":\"1.0.0\"")}, {"2.1.0", lib("@acme/util", "2.1.0")}},
          "2.1.0");
  publish_app("\"left-pad\":\"^1.1.0\",\"@acme/util\":\"~2.0.0\"");

  Output o = world.rtx({"install", "npm:app@1.0.0"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.err.find("installed 3 npm dependencies of npm:app"), std::string::npos) << o.err;
  EXPECT_EQ(version_at("node_modules/left-pad"), "1.3.0");  // the newest ^1.1.0; latest (2.0.0) is outside
  EXPECT_EQ(version_at("node_modules/@acme/util"), "2.0.1");
  EXPECT_EQ(version_at("node_modules/@acme/util/node_modules/left-pad"), "1.0.0");  // conflicts with the hoisted one
  EXPECT_EQ(server.request_count(tarball("left-pad", "2.0.0")), 0);
  Output run = world.shim("app", {"x"}, world.make_project("p", ".tool-versions", "npm:app 1.0.0\n"));
  EXPECT_EQ(run.out, "app 1.0.0 x\n") << run.err;
}

TEST_F(NpmDependencies, ASharedDependencyIsFetchedOnceAndCyclesEnd) {
  publish("shared", {{"1.4.0", lib("shared", "1.4.0", "\"a\":\"*\"")}}, "1.4.0");
  publish("a", {{"1.0.0", lib("a", "1.0.0", "\"shared\":\"^1.2\"")}}, "1.0.0");
  publish("b", {{"1.0.0", lib("b", "1.0.0", "\"shared\":\">=1.0.0 <2\"")}}, "1.0.0");
  publish_app("\"a\":\"1\",\"b\":\"latest\"");
  Output o = world.rtx({"install", "npm:app@1.0.0"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(server.request_count(tarball("shared", "1.4.0")), 1);
  EXPECT_EQ(server.request_count("/registry/shared"), 1);
  EXPECT_EQ(version_at("node_modules/shared"), "1.4.0");
  EXPECT_EQ(version_at("node_modules/a"), "1.0.0");
  EXPECT_EQ(version_at("node_modules/b"), "1.0.0");
  EXPECT_EQ(version_at("node_modules/shared/node_modules/a"), "");  // a cycle back to a, already visible
}

TEST_F(NpmDependencies, OfflineAReinstallTakesThePackumentsAndTarballsFromTheCache) {
  publish("shared", {{"1.4.0", lib("shared", "1.4.0")}}, "1.4.0");
  publish_app("\"shared\":\"^1\"");
  ASSERT_EQ(world.rtx({"install", "npm:app@1.0.0"}).status, 0);
  ASSERT_EQ(world.rtx({"uninstall", "npm:app@1.0.0"}).status, 0);
  int before = server.total_requests();
  world.set_env("RTX_OFFLINE", "1");
  Output o = world.rtx({"install", "npm:app@1.0.0"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(server.total_requests(), before) << "offline: no request at all";
  EXPECT_TRUE(has(o.err, "from the cache (fetched ")) << o.err;
  EXPECT_EQ(version_at("node_modules/shared"), "1.4.0");
  Output never = world.rtx({"install", "npm:never-fetched@1.0.0"});
  EXPECT_NE(never.status, 0);
  EXPECT_TRUE(has(never.err, "offline (RTX_OFFLINE=1)")) << never.err;
}

TEST_F(NpmDependencies, OptionalPackagesForOtherMachinesAreSkipped) {
  std::string cpu = NodeMirror::arch();  // x64 or arm64, as npm names them
  publish("app-native-linux",
          {{"1.0.0", lib("app-native-linux", "1.0.0"), "", "\"os\":[\"linux\"],\"cpu\":[\"" + cpu + "\"]"}}, "1.0.0");
  publish("app-native-darwin",
          {{"1.0.0", lib("app-native-darwin", "1.0.0"), "", "\"os\":[\"darwin\"],\"cpu\":[\"arm64\"]"}}, "1.0.0");
  publish("app-native-notwin", {{"1.0.0", lib("app-native-notwin", "1.0.0"), "", "\"os\":[\"!win32\"]"}}, "1.0.0");
  publish_app("",
              "\"optionalDependencies\":{\"app-native-linux\":\"1.0.0\",\"app-native-darwin\":\"1.0.0\","
              "\"app-native-notwin\":\"1.0.0\",\"app-native-gone\":\"1.0.0\"}");
  Output o = world.rtx({"install", "npm:app@1.0.0"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(version_at("node_modules/app-native-linux"), "1.0.0");
  EXPECT_EQ(version_at("node_modules/app-native-notwin"), "1.0.0");
  EXPECT_EQ(version_at("node_modules/app-native-darwin"), "");
  EXPECT_EQ(server.request_count(tarball("app-native-darwin", "1.0.0")), 0);
  EXPECT_NE(o.err.find("skipped the optional dependency npm:app 1.0.0 > app-native-gone"), std::string::npos)
      << o.err;  // not in the registry (404): npm skips it too
}

// As npm's EBADPLATFORM: a package for another machine is refused before any
// download, as the tool itself or as a required dependency.
TEST_F(NpmDependencies, APackageForAnotherMachineIsRefused) {
  publish("@acme/cli-darwin-arm64",
          {{"1.0.0", pack(R"({"name":"@acme/cli-darwin-arm64","version":"1.0.0","bin":"bin/x.js"})"), "",
            "\"os\":[\"darwin\"],\"cpu\":[\"arm64\"]"}},
          "1.0.0");
  Output o = world.rtx({"install", "npm:@acme/cli-darwin-arm64@1.0.0"});
  EXPECT_NE(o.status, 0);
  EXPECT_NE(o.err.find("npm:@acme/cli-darwin-arm64 1.0.0 is built for os darwin, cpu arm64; this machine is linux " +
                       NodeMirror::arch() + ": pick the package built for this machine"),
            std::string::npos)
      << o.err;
  EXPECT_EQ(server.request_count(tarball("@acme/cli-darwin-arm64", "1.0.0")), 0);
  EXPECT_TRUE(builds("npm:@acme+cli-darwin-arm64").empty());

  publish("win-only", {{"2.0.0", lib("win-only", "2.0.0"), "", "\"os\":[\"win32\"]"}}, "2.0.0");
  publish_app("\"win-only\":\"^2\"");
  expect_refused("npm:win-only 2.0.0 is built for os win32, cpu any; this machine is linux " + NodeMirror::arch() +
                 " (needed by npm:app 1.0.0 > win-only)");
}

TEST_F(NpmDependencies, AliasesInstallTheRealPackageUnderTheAlias) {
  publish("real-lib", {{"3.1.0", lib("real-lib", "3.1.0")}, {"4.0.0", lib("real-lib", "4.0.0")}}, "4.0.0");
  publish_app("\"old-lib\":\"npm:real-lib@^3\"");
  Output o = world.rtx({"install", "npm:app@1.0.0"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(version_at("node_modules/old-lib"), "3.1.0");
}

TEST_F(NpmDependencies, AMissingDependencyInstallsNothing) {
  publish_app("\"nope\":\"^1.0.0\"");
  expect_refused("needed by npm:app 1.0.0 > nope");
}

TEST_F(NpmDependencies, NoMatchingVersionNamesTheChain) {
  publish("mid", {{"1.0.0", lib("mid", "1.0.0", "\"leaf\":\"^9\"")}}, "1.0.0");
  publish("leaf", {{"1.0.0", lib("leaf", "1.0.0")}}, "1.0.0");
  publish_app("\"mid\":\"1.0.0\"");
  expect_refused("no version of npm:leaf matches '^9' (needed by npm:app 1.0.0 > mid 1.0.0 > leaf)");
}

TEST_F(NpmDependencies, ADependencyWithTheWrongIntegrityInstallsNothing) {
  std::string tgz = lib("leaf", "1.0.0");
  publish("leaf", {{"1.0.0", tgz, sri(tgz + "tampered")}}, "1.0.0");
  publish_app("\"leaf\":\"1.0.0\"");
  expect_refused("checksum");
}

TEST_F(NpmDependencies, GitAndFileSpecsAreRefusedClearly) {
  publish_app("\"from-git\":\"git+https://example.com/x.git\"");
  expect_refused("asks for 'git+https://example.com/x.git', which is neither a version range nor a dist-tag");
}

}  // namespace
}  // namespace rtx::e2e
