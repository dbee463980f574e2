// A fixture npm registry for the e2e tests: a real HttpServer on 127.0.0.1
// serving <registry>/<name> metadata (scoped: @scope%2fname) and tarballs the
// tests pack themselves with tar, as `npm pack` lays them out.
//
//   publish("greeter", {{"1.2.0", pack(greeter_json("1.2.0"))}}, "1.2.0");
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "harness.hpp"
#include "tests/support/http_server.hpp"

namespace rtx::e2e {

struct Version {
  std::string version;
  std::string tarball;          // bytes of the .tgz
  std::string integrity = {};   // empty: the tarball's real sha512
  std::string extra = {};       // more fields of the version's metadata: "\"os\":[\"darwin\"]"
  std::string dist_extra = {};  // more fields of its dist: "\"signatures\":[…]"
};

class Npm : public ::testing::Test {
 protected:
  void SetUp() override {
    // Whatever the developer's shell says, these tests name their registry.
    for (const char* v :
         {"NPM_CONFIG_REGISTRY", "npm_config_registry", "NPM_CONFIG_USERCONFIG", "npm_config_userconfig"})
      ::unsetenv(v);
    world.set_env("NPM_CONFIG_REGISTRY", server.url("/registry/"));
  }

  // A tarball laid out as `npm pack` makes it: package/package.json and
  // package/bin/<script>, a /bin/sh script left 0644 (rtx makes it executable).
  std::string pack(const std::string& package_json, const std::string& script = "bin/x.js",
                   const std::string& says = "hello") {
    std::string dir = world.root() + "/pack-" + std::to_string(++packs_);
    std::filesystem::create_directories(dir + "/package/" + std::filesystem::path(script).parent_path().string());
    std::ofstream(dir + "/package/package.json") << package_json;
    std::ofstream(dir + "/package/" + script) << "#!/bin/sh\necho \"" << says << " $*\"\n";
    Output o = world.sh("tar -czf out.tgz package", dir);
    if (o.status != 0) ADD_FAILURE() << o.err;
    return world.read(dir + "/out.tgz");
  }

  std::string sri(const std::string& bytes) {
    std::string path = world.root() + "/sri-input";
    std::ofstream(path, std::ios::binary) << bytes;
    Output o = world.sh("printf sha512-; openssl dgst -sha512 -binary sri-input | base64 -w0");
    EXPECT_EQ(o.status, 0) << o.err;
    return o.out;
  }

  // Serves <registry>/<name> (scoped: @scope%2fname) and its tarballs (on
  // `tarballs`, the registry's own server by default).
  void publish(const std::string& name, const std::vector<Version>& versions, const std::string& latest,
               test::HttpServer* tarballs = nullptr) {
    test::HttpServer& host = tarballs ? *tarballs : server;
    std::string encoded = name;
    if (auto slash = encoded.find('/'); slash != std::string::npos) encoded.replace(slash, 1, "%2f");
    std::ostringstream json;
    json << "{\"name\":\"" << name << "\",\"dist-tags\":{\"latest\":\"" << latest
         << "\",\"next\":\"9.9.9\"},\"versions\":{";
    for (std::size_t i = 0; i < versions.size(); ++i) {
      const Version& v = versions[i];
      std::string path = "/tarballs/" + encoded + "-" + v.version + ".tgz";
      host.add_file(path, v.tarball);
      json << (i ? "," : "") << "\"" << v.version << "\":{\"name\":\"" << name << "\",\"version\":\"" << v.version
           << "\",\"dist\":{\"shasum\":\"0000\",\"tarball\":\"" << host.url(path) << "\",\"integrity\":\""
           << (v.integrity.empty() ? sri(v.tarball) : v.integrity) << "\"" << (v.dist_extra.empty() ? "" : ",")
           << v.dist_extra << "}" << (v.extra.empty() ? "" : ",") << v.extra << "}";
    }
    json << "}}";
    server.add_file("/registry/" + encoded, json.str(), "application/json");
  }

  // The build folders in store/<store_name> (a failed one leaves none).
  std::vector<std::string> builds(const std::string& store_name) const {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(world.data() + "/store/" + store_name, ec))
      if (e.is_directory()) out.push_back(e.path().filename().string());
    return out;
  }

  test::HttpServer server;
  World world;
  int packs_ = 0;
};

}  // namespace rtx::e2e
