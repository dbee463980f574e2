// Fixture mirrors for the python and rust core backends, served by a real
// HttpServer on 127.0.0.1 in each upstream's shape (DESIGN.md §8, issue 4 item 3):
//
//   RustMirror rust(server, "/rust");       // RTX_RUST_MIRROR = rust.url()
//   rust.add("1.82.0");                     // dist/channel-rust-1.82.0.toml + its .tar.xz
//   rust.set_stable("1.82.0");              // dist/channel-rust-stable.toml
//   PythonMirror py(server, "/python");     // RTX_PYTHON_MIRROR = py.url()
//   py.add("20241016", "3.12.7");           // <tag>/SHA256SUMS, the tarball, releases.txt
//
// The tarballs are made here with `tar`. rust's holds rust-<v>-<triple>/install.sh,
// a small sh script honouring the real one's --prefix contract that copies
// rustc (a script printing "rustc <v> …") into <prefix>/bin; python's holds
// python/bin/python3, a script printing "Python <v>", and python/RELEASE.
#pragma once

#include <stdlib.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/http_server.hpp"

namespace rtx::e2e::pyrust {

inline std::string run(const std::string& command) {
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) throw std::runtime_error("cannot run " + command);
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  if (::pclose(p) != 0) throw std::runtime_error("failed: " + command);
  return out;
}

inline std::string gnu_arch() {
  utsname u{};
  ::uname(&u);
  return std::string(u.machine) == "aarch64" ? "aarch64" : "x86_64";
}

struct FileSpec {
  std::string path;  // inside the archive
  std::string content;
  bool executable = false;
};

struct Tarball {
  std::string name;
  std::string bytes;
  std::string sha256;  // hex
};

// `flag`: "J" (xz) or "z" (gzip).
inline Tarball make_tarball(const std::string& name, const std::vector<FileSpec>& files, const std::string& flag) {
  char tmpl[] = "/tmp/rtx-pyrust-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  std::string dir = tmpl;
  std::string tree = dir + "/tree";
  for (const auto& f : files) {
    std::string path = tree + "/" + f.path;
    run("mkdir -p '" + path.substr(0, path.rfind('/')) + "'");
    std::ofstream(path, std::ios::binary) << f.content;
    ::chmod(path.c_str(), f.executable ? 0755 : 0644);
  }
  run("tar -C '" + tree + "' -c" + flag + "f '" + dir + "/" + name + "' .");
  Tarball t;
  t.name = name;
  std::ifstream in(dir + "/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  t.bytes = s.str();
  t.sha256 = run("sha256sum '" + dir + "/" + name + "' | cut -d' ' -f1");
  while (!t.sha256.empty() && t.sha256.back() == '\n') t.sha256.pop_back();
  run("rm -rf '" + dir + "'");
  return t;
}

// <root>/dist/channel-rust-<channel>.toml, <root>/dist/<date>/rust-<v>-<triple>.tar.xz,
// and optionally <root>/versions.txt.
class RustMirror {
 public:
  RustMirror(test::HttpServer& server, std::string root) : server_(server), root_(std::move(root)) {}
  std::string url() const { return server_.url(root_); }
  static std::string triple() { return gnu_arch() + "-unknown-linux-gnu"; }
  std::string manifest_path(const std::string& channel) const {
    return root_ + "/dist/channel-rust-" + channel + ".toml";
  }

  // The installer's own install.sh: --prefix=DIR required, --disable-ldconfig known.
  static std::string install_sh() {
    return "#!/bin/sh\n"
           "set -e\n"
           "prefix=\n"
           "for a in \"$@\"; do\n"
           "  case \"$a\" in\n"
           "    --prefix=*) prefix=\"${a#--prefix=}\" ;;\n"
           "    --disable-ldconfig) ;;\n"
           "    *) echo \"install.sh: unknown option $a\" >&2; exit 2 ;;\n"
           "  esac\n"
           "done\n"
           "[ -n \"$prefix\" ] || { echo 'install.sh: --prefix is required' >&2; exit 2; }\n"
           "here=$(cd \"$(dirname \"$0\")\" && pwd)\n"
           "mkdir -p \"$prefix/bin\" \"$prefix/lib/rustlib\"\n"
           "cp \"$here/rustc/bin/rustc\" \"$prefix/bin/rustc\"\n"
           "echo \"$*\" > \"$prefix/lib/rustlib/install-args\"\n"
           "echo 'install.sh: rust is ready to roll.'\n";
  }

  // Publishes channel-rust-<version>.toml and its tarball. `hash` overrides
  // the tarball's real sha256 (a wrong xz_hash).
  const Tarball& add(const std::string& version, const std::string& hash = "") {
    std::string top = "rust-" + version + "-" + triple();
    Tarball t = make_tarball(
        top + ".tar.xz",
        {{top + "/install.sh", install_sh(), true},
         {top + "/rustc/bin/rustc", "#!/bin/sh\necho 'rustc " + version + " (f6e511eec 2024-10-15)'\n", true},
         {top + "/components", "rustc\n", false}},
        "J");
    server_.add_file(root_ + "/dist/2024-10-17/" + t.name, t.bytes);
    // The real manifest names the upstream host; rtx serves it from the mirror.
    std::string xz_url = "https://static.rust-lang.org/dist/2024-10-17/" + t.name;
    server_.add_file(manifest_path(version), manifest(version, xz_url, hash.empty() ? t.sha256 : hash, true));
    tarballs_[version] = t;
    return tarballs_[version];
  }

  static std::string manifest(const std::string& version, const std::string& xz_url, const std::string& hash,
                              bool with_host) {
    std::string m = "manifest-version = \"2\"\ndate = \"2024-10-17\"\n\n[pkg.cargo]\nversion = \"" + version +
                    " (8f40fc59f 2024-08-21)\"\n\n[pkg.rust]\nversion = \"" + version +
                    " (f6e511eec 2024-10-15)\"\n\n[pkg.rust.target.aarch64-apple-darwin]\navailable = true\n"
                    "url = \"https://static.rust-lang.org/dist/2024-10-17/rust-" +
                    version + "-aarch64-apple-darwin.tar.gz\"\nhash = \"" + std::string(64, '1') + "\"\n";
    if (with_host)
      m += "\n[pkg.rust.target." + triple() + "]\navailable = true\nurl = \"" + xz_url.substr(0, xz_url.size() - 3) +
           ".gz\"\nhash = \"" + std::string(64, '2') + "\"\nxz_url = \"" + xz_url + "\"\nxz_hash = \"" + hash + "\"\n";
    m += "\n[pkg.rust.target.powerpc-unknown-linux-gnu]\navailable = false\n";
    return m;
  }

  void set_stable(const std::string& version) {
    const Tarball& t = tarballs_.at(version);
    server_.add_file(manifest_path("stable"),
                     manifest(version, "https://static.rust-lang.org/dist/2024-10-17/" + t.name, t.sha256, true));
  }
  void set_manifest(const std::string& channel, const std::string& text) {
    server_.add_file(manifest_path(channel), text);
  }
  void set_versions_txt(const std::string& text) { server_.add_file(root_ + "/versions.txt", text); }

 private:
  test::HttpServer& server_;
  std::string root_;
  std::map<std::string, Tarball> tarballs_;
};

// <root>/releases.txt, <root>/<tag>/SHA256SUMS, <root>/<tag>/cpython-<v>+<tag>-<triple>-install_only.tar.gz
class PythonMirror {
 public:
  PythonMirror(test::HttpServer& server, std::string root) : server_(server), root_(std::move(root)) {}
  std::string url() const { return server_.url(root_); }
  static std::string artifact_name(const std::string& tag, const std::string& version, const std::string& arch,
                                   const std::string& flavour = "install_only") {
    return "cpython-" + version + "+" + tag + "-" + arch + "-unknown-linux-gnu-" + flavour + ".tar.gz";
  }
  std::string tarball_path(const std::string& tag, const std::string& version) const {
    return root_ + "/" + tag + "/" + artifact_name(tag, version, gnu_arch());
  }

  // A build of `version` in release `tag`; `hash` overrides its SHA256SUMS line.
  void add(const std::string& tag, const std::string& version, const std::string& hash = "") {
    Tarball t =
        make_tarball(artifact_name(tag, version, gnu_arch()),
                     {{"python/bin/python3", "#!/bin/sh\necho 'Python " + version + "'\n", true},
                      {"python/RELEASE", tag + "\n", false},
                      {"python/lib/python" + version.substr(0, version.rfind('.')) + "/os.py", "# os\n", false}},
                     "z");
    server_.add_file(tarball_path(tag, version), t.bytes);
    auto& sums = sums_[tag];
    // Around it, what a real SHA256SUMS also lists: other arches and flavours.
    sums += std::string(64, 'a') + "  " + artifact_name(tag, version, "aarch64" == gnu_arch() ? "x86_64" : "aarch64") +
            "\n";
    sums += (hash.empty() ? t.sha256 : hash) + "  " + t.name + "\n";
    sums += std::string(64, 'b') + "  " + artifact_name(tag, version, gnu_arch(), "install_only_stripped") + "\n";
    sums += std::string(64, 'c') + "  cpython-" + version + "+" + tag + "-" + gnu_arch() +
            "-unknown-linux-gnu-pgo+lto-full.tar.zst\n";
    publish();
  }
  // A release listing only other machines' builds of `version`.
  void add_foreign(const std::string& tag, const std::string& version) {
    sums_[tag] += std::string(64, 'd') + "  " +
                  artifact_name(tag, version, "aarch64" == gnu_arch() ? "x86_64" : "aarch64") + "\n";
    publish();
  }

 private:
  void publish() {
    std::string releases = "# python-build-standalone releases on this mirror\n";
    for (const auto& [tag, sums] : sums_) {
      releases += tag + "\n";
      server_.add_file(root_ + "/" + tag + "/SHA256SUMS", sums);
    }
    server_.add_file(root_ + "/releases.txt", releases);
  }

  test::HttpServer& server_;
  std::string root_;
  std::map<std::string, std::string> sums_;
};

}  // namespace rtx::e2e::pyrust
