// Fixture dist folders for the core backends, served by a real HttpServer on
// 127.0.0.1 in each upstream's exact shape (DESIGN.md §8, issue 4 item 3):
//
//   NodeMirror node(server, "/node");      // RTX_NODE_MIRROR = node.url()
//   node.add("20.11.1", "Iron");           // index.json, SHASUMS256.txt, the .tar.xz
//   GoMirror go(server, "/go");            // RTX_GO_MIRROR = go.url()
//   go.add("1.22.1");                      // ?mode=json index and the .tar.gz
//
// Each tarball is made here with `tar`; its bin/node (bin/go) is a shell
// script printing its version, so a shim run shows which build answered.
#pragma once

#include <stdlib.h>
#include <sys/utsname.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/http_server.hpp"

namespace rtx::e2e {

inline std::string capture(const std::string& command) {
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) throw std::runtime_error("cannot run " + command);
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  if (::pclose(p) != 0) throw std::runtime_error("failed: " + command);
  return out;
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline bool is_arm64() {
  utsname u{};
  ::uname(&u);
  return std::string(u.machine) == "aarch64";
}

struct Artifact {
  std::string name;  // node-v20.11.1-linux-x64.tar.xz
  std::string bytes;
  std::string sha256;  // hex
};

// A tarball holding <top>/bin/<exe>, a script that prints `prints`.
// `flag`: "J" (xz) or "z" (gzip).
inline Artifact make_tool_tarball(const std::string& name, const std::string& top, const std::string& exe,
                                  const std::string& prints, const std::string& flag) {
  char tmpl[] = "/tmp/rtx-mirror-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  std::string dir = tmpl;
  std::string bin = dir + "/" + top + "/bin";
  capture("mkdir -p '" + bin + "' && printf '#!/bin/sh\\necho \"%s\"\\n' '" + prints + "' > '" + bin + "/" + exe +
          "' && chmod 755 '" + bin + "/" + exe + "' && tar -C '" + dir + "' -c" + flag + "f '" + dir + "/" + name +
          "' '" + top + "'");
  Artifact a;
  a.name = name;
  a.bytes = slurp(dir + "/" + name);
  a.sha256 = capture("sha256sum '" + dir + "/" + name + "' | cut -d' ' -f1");
  while (!a.sha256.empty() && a.sha256.back() == '\n') a.sha256.pop_back();
  capture("rm -rf '" + dir + "'");
  return a;
}

// <root>/index.json, <root>/v<version>/{SHASUMS256.txt,node-v<version>-linux-<arch>.tar.xz}
class NodeMirror {
 public:
  NodeMirror(test::HttpServer& server, std::string root) : server_(server), root_(std::move(root)) { publish(); }
  std::string url() const { return server_.url(root_); }
  static std::string arch() { return is_arm64() ? "arm64" : "x64"; }
  std::string dir_path(const std::string& v) const { return root_ + "/v" + v; }
  std::string tarball_path(const std::string& v) const { return dir_path(v) + "/" + artifact_name(v); }
  std::string shasums_path(const std::string& v) const { return dir_path(v) + "/SHASUMS256.txt"; }
  std::string index_path() const { return root_ + "/index.json"; }
  static std::string artifact_name(const std::string& v) { return "node-v" + v + "-linux-" + arch() + ".tar.xz"; }

  // Adds a release (lts: its codename, or "" for none) and republishes index.json.
  const Artifact& add(const std::string& version, const std::string& lts = "") {
    std::string top = "node-v" + version + "-linux-" + arch();
    releases_.push_back({version, lts, make_tool_tarball(artifact_name(version), top, "node", "v" + version, "J")});
    const Artifact& a = releases_.back().artifact;
    server_.add_file(tarball_path(version), a.bytes);
    server_.add_file(shasums_path(version), "0000000000000000000000000000000000000000000000000000000000000000  node-v" +
                                                version + ".tar.gz\n" + a.sha256 + "  " + a.name + "\n");
    publish();
    return a;
  }

 private:
  struct Release {
    std::string version, lts;
    Artifact artifact;
  };
  void publish() {
    std::string json = "[";
    for (auto it = releases_.rbegin(); it != releases_.rend(); ++it) {  // newest first, as upstream
      if (json.size() > 1) json += ",\n";
      json += "{\"version\":\"v" + it->version + "\",\"date\":\"2024-02-14\",\"files\":[\"headers\",\"linux-" + arch() +
              "\",\"osx-arm64-tar\",\"win-x64-zip\"],\"npm\":\"10.2.4\",\"lts\":" +
              (it->lts.empty() ? std::string("false") : "\"" + it->lts + "\"") + ",\"security\":false}";
    }
    // A release without a build for this machine: never listed.
    json += std::string(json.size() > 1 ? ",\n" : "") +
            "{\"version\":\"v0.1.0\",\"files\":[\"src\",\"win-x86-msi\"],\"lts\":false}]\n";
    server_.add_file(index_path(), json, "application/json");
  }

  test::HttpServer& server_;
  std::string root_;
  std::vector<Release> releases_;
};

// <root>/?mode=json&include=all and <root>/go<version>.linux-<arch>.tar.gz
class GoMirror {
 public:
  GoMirror(test::HttpServer& server, std::string root) : server_(server), root_(std::move(root)) { publish(); }
  std::string url() const { return server_.url(root_); }
  static std::string arch() { return is_arm64() ? "arm64" : "amd64"; }
  std::string index_path() const { return root_ + "/"; }
  std::string tarball_path(const std::string& v) const { return root_ + "/" + artifact_name(v); }
  static std::string artifact_name(const std::string& v) { return "go" + v + ".linux-" + arch() + ".tar.gz"; }

  const Artifact& add(const std::string& version, bool stable = true) {
    releases_.push_back(
        {version, stable,
         make_tool_tarball(artifact_name(version), "go", "go", "go version go" + version + " linux/" + arch(), "z")});
    server_.add_file(tarball_path(version), releases_.back().artifact.bytes);
    publish();
    return releases_.back().artifact;
  }

 private:
  struct Release {
    std::string version;
    bool stable;
    Artifact artifact;
  };
  void publish() {
    std::string json = "[";
    for (auto it = releases_.rbegin(); it != releases_.rend(); ++it) {
      if (json.size() > 1) json += ",\n";
      json +=
          "{\"version\":\"go" + it->version + "\",\"stable\":" + (it->stable ? "true" : "false") +
          ",\"files\":[{\"filename\":\"go" + it->version + ".src.tar.gz\",\"os\":\"\",\"arch\":\"\",\"version\":\"go" +
          it->version + "\",\"sha256\":\"00\",\"size\":1,\"kind\":\"source\"},{\"filename\":\"" + it->artifact.name +
          "\",\"os\":\"linux\",\"arch\":\"" + arch() + "\",\"version\":\"go" + it->version + "\",\"sha256\":\"" +
          it->artifact.sha256 + "\",\"size\":" + std::to_string(it->artifact.bytes.size()) + ",\"kind\":\"archive\"}]}";
    }
    server_.add_file(index_path(), json + "]\n", "application/json");
  }

  test::HttpServer& server_;
  std::string root_;
  std::vector<Release> releases_;
};

}  // namespace rtx::e2e
