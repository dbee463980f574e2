// Six independent tools, each installed with one real download from one
// HttpServer on 127.0.0.1 (issue 10 item 4: `rtx install -j`): node, go,
// python and rust from their fixture mirrors, and two npm packages from a
// small registry. Used by parallel_install_test and
// bench/parallel_install_bench (no gtest here).
//
//   test::HttpServer server;
//   SixTools six(server, scratch_dir);
//   for (const auto& [k, v] : six.env()) world.set_env(k, v);
//   world.rtx(six.install_args({"-j", "4"}));   // rtx install -j 4 node@20.11.1 …
//   for (const auto& t : six.tools()) check(t.command, t.prints, t.artifact_path);
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "mirror_fixture.hpp"
#include "python_rust_fixture.hpp"
#include "tests/support/http_server.hpp"

namespace rtx::e2e {

struct SixToolsTool {
  std::string name;           // "node", "npm:greeter"
  std::string version;        // "20.11.1"
  std::string command;        // what its shim is called: "node", "greet"
  std::string prints;         // what `command` prints
  std::string artifact_path;  // the one download on the server
};

class SixTools {
 public:
  // `scratch`: an existing folder for packing the npm tarballs.
  SixTools(test::HttpServer& server, const std::string& scratch)
      : server_(server),
        node_(server, "/node"),
        go_(server, "/go"),
        python_(server, "/python"),
        rust_(server, "/rust") {
    node_.add("20.11.1", "Iron");
    tools_.push_back({"node", "20.11.1", "node", "v20.11.1", node_.tarball_path("20.11.1")});
    go_.add("1.22.1");
    tools_.push_back(
        {"go", "1.22.1", "go", "go version go1.22.1 linux/" + GoMirror::arch(), go_.tarball_path("1.22.1")});
    python_.add("20241016", "3.12.7");
    tools_.push_back({"python", "3.12.7", "python3", "Python 3.12.7", python_.tarball_path("20241016", "3.12.7")});
    rust_.add("1.82.0");
    rust_.set_stable("1.82.0");  // the rust backend lists versions from the stable channel
    tools_.push_back({"rust", "1.82.0", "rustc", "rustc 1.82.0 (f6e511eec 2024-10-15)",
                      "/rust/dist/2024-10-17/rust-1.82.0-" + pyrust::RustMirror::triple() + ".tar.xz"});
    publish_npm(scratch, "greeter", "1.4.0", "greet");
    publish_npm(scratch, "waver", "0.9.2", "wave");
  }

  const std::vector<SixToolsTool>& tools() const { return tools_; }

  // The environment pointing rtx at this server for all six.
  std::vector<std::pair<std::string, std::string>> env() const {
    return {{"RTX_NODE_MIRROR", node_.url()},
            {"RTX_GO_MIRROR", go_.url()},
            {"RTX_PYTHON_MIRROR", python_.url()},
            {"RTX_RUST_MIRROR", rust_.url()},
            {"NPM_CONFIG_REGISTRY", server_.url("/registry/")}};
  }

  // An rtx.toml asking for the six (a shim runs a configured tool only).
  std::string rtx_toml() const {
    std::string text = "[tools]\n";
    for (const auto& t : tools_) text += "\"" + t.name + "\" = \"" + t.version + "\"\n";
    return text;
  }

  // "install", the `options`, then tool@version of each of the six.
  std::vector<std::string> install_args(const std::vector<std::string>& options) const {
    std::vector<std::string> args{"install"};
    args.insert(args.end(), options.begin(), options.end());
    for (const auto& t : tools_) args.push_back(t.name + "@" + t.version);
    return args;
  }

 private:
  // <registry>/<name> and /tarballs/<name>-<version>.tgz, as `npm pack` lays
  // the tarball out; bin/<command> is a /bin/sh script.
  void publish_npm(const std::string& scratch, const std::string& name, const std::string& version,
                   const std::string& command) {
    std::string dir = scratch + "/npm-" + name;
    std::string says = name + " " + version + " says hi";
    capture("mkdir -p '" + dir + "/package/bin' && printf '%s' '{\"name\":\"" + name + "\",\"version\":\"" + version +
            "\",\"bin\":{\"" + command + "\":\"bin/run\"}}' > '" + dir + "/package/package.json' && printf '" +
            "#!/bin/sh\\necho \"" + says + "\"\\n' > '" + dir + "/package/bin/run' && tar -C '" + dir + "' -czf '" +
            dir + "/out.tgz' package");
    std::string tgz = slurp(dir + "/out.tgz");
    std::string sri = "sha512-" + capture("openssl dgst -sha512 -binary '" + dir + "/out.tgz' | base64 -w0");
    std::string path = "/tarballs/" + name + "-" + version + ".tgz";
    server_.add_file(path, tgz);
    server_.add_file("/registry/" + name,
                     "{\"name\":\"" + name + "\",\"dist-tags\":{\"latest\":\"" + version + "\"},\"versions\":{\"" +
                         version + "\":{\"name\":\"" + name + "\",\"version\":\"" + version +
                         "\",\"dist\":{\"tarball\":\"" + server_.url(path) + "\",\"integrity\":\"" + sri + "\"}}}}",
                     "application/json");
    tools_.push_back({"npm:" + name, version, command, says, path});
  }

  test::HttpServer& server_;
  NodeMirror node_;
  GoMirror go_;
  pyrust::PythonMirror python_;
  pyrust::RustMirror rust_;
  std::vector<SixToolsTool> tools_;
};

}  // namespace rtx::e2e
