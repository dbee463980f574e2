// rtx mirror export end to end (issue 10 item 5): a fleet serves itself. One
// machine installs from the fixture mirrors and locks; `rtx mirror export DIR`
// writes the upstream layouts; a REAL static web server (`python3 -m
// http.server`, no rtx code in it) serves DIR; the fixture servers are gone;
// another machine with only that server configured installs the locked
// project and gets the same bytes. Each machine is a World (its own roots).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "clean_failure.hpp"
#include "python_rust_fixture.hpp"
#include "text_checks.hpp"

namespace rtx::e2e {
namespace {

namespace fs = std::filesystem;

// `python3 -m http.server 0 --bind 127.0.0.1 --directory DIR`: the static
// server a fleet would point at DIR. Stopped (SIGTERM, reaped) on destruction.
class MirrorStaticServer {
 public:
  MirrorStaticServer(const std::string& dir, const std::string& log) {
    const char* python = ::access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
    int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      ::dup2(err, 2);
      ::execlp(python, python, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", dir.c_str(),
               static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    ::close(err);
    read_end_ = out[0];
    // Its first line: "Serving HTTP on 127.0.0.1 port 41853 (http://127.0.0.1:41853/) ..."
    std::string line;
    for (char c; ::read(read_end_, &c, 1) == 1 && c != '\n';) line += c;
    auto at = line.find(" port ");
    if (at == std::string::npos) throw std::runtime_error("python3 http.server did not start: '" + line + "'");
    port_ = std::stoi(line.substr(at + 6));
  }
  ~MirrorStaticServer() {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
    ::close(read_end_);
  }
  MirrorStaticServer(const MirrorStaticServer&) = delete;
  MirrorStaticServer& operator=(const MirrorStaticServer&) = delete;
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  pid_t pid_ = -1;
  int read_end_ = -1;
  int port_ = 0;
};

// Every file under `dir` with its bytes (symlinks by target), as one
// comparable string; `skip`: a file whose bytes name its own prefix.
std::string mirror_tree_of(const std::string& dir, const std::string& skip = "") {
  std::vector<std::string> names;
  for (const auto& e : fs::recursive_directory_iterator(dir)) names.push_back(e.path().string());
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names) {
    std::string rel = n.substr(dir.size());
    out += rel + "\n";
    if (fs::is_symlink(n)) {
      out += "-> " + fs::read_symlink(n).string() + "\n";
    } else if (fs::is_regular_file(n) && rel != skip) {
      out += slurp(n) + "\n";
    }
  }
  return out;
}

std::string mirror_build_of(const World& w, const std::string& tool) {
  for (const auto& name : w.store_names(tool))
    if (fs::is_directory(w.data() + "/store/" + tool + "/" + name)) return w.data() + "/store/" + tool + "/" + name;
  return {};
}

ino_t mirror_inode(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

std::uint64_t mirror_bytes_under(const std::string& dir) {
  std::uint64_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) n += e.file_size();
  return n;
}

// A machine of the fleet: only the exported mirror at `base`.
void mirror_configure_fleet(World& w, const std::string& base) {
  w.set_env("RTX_NODE_MIRROR", base + "/node");
  w.set_env("RTX_GO_MIRROR", base + "/go");
  w.set_env("RTX_PYTHON_MIRROR", base + "/python");
  w.set_env("RTX_RUST_MIRROR", base + "/rust");
  w.set_env("NPM_CONFIG_REGISTRY", base + "/npm/");
}

long long mirror_ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
}

const char* kMirrorProject =
    "[tools]\nnode = \"20\"\ngo = \"1.22\"\npython = \"3.12\"\nrust = \"1.82\"\n\"npm:greeter\" = \"1\"\n";

class MirrorExport : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* v :
         {"NPM_CONFIG_REGISTRY", "npm_config_registry", "NPM_CONFIG_USERCONFIG", "npm_config_userconfig"})
      ::unsetenv(v);
    upstream = std::make_unique<test::HttpServer>();
    node = std::make_unique<NodeMirror>(*upstream, "/node");
    node->add("20.11.1", "Iron");
    machine_a.set_env("RTX_NODE_MIRROR", node->url());
    project = machine_a.make_project("app", "rtx.toml", "[tools]\nnode = \"20\"\n");
    mirror_dir = machine_a.root() + "/srv/mirror";
  }

  // The other upstreams, for the stories that need them (each tarball costs
  // a few processes to make).
  void publish_go() {
    go = std::make_unique<GoMirror>(*upstream, "/go");
    go->add("1.22.1");
    machine_a.set_env("RTX_GO_MIRROR", go->url());
  }
  void publish_python_and_rust() {
    rust = std::make_unique<pyrust::RustMirror>(*upstream, "/rust");
    rust->add("1.82.0");
    rust->set_stable("1.82.0");
    python = std::make_unique<pyrust::PythonMirror>(*upstream, "/python");
    python->add("20241016", "3.12.7");
    machine_a.set_env("RTX_RUST_MIRROR", rust->url());
    machine_a.set_env("RTX_PYTHON_MIRROR", python->url());
  }
  void publish_npm_packages() {
    // The registry signs its versions (dist.signatures) with a P-256 key made here.
    Output k = machine_a.sh(
        "openssl ecparam -name prime256v1 -genkey -noout -out registry.pem 2>/dev/null && "
        "openssl ec -in registry.pem -pubout -outform DER 2>/dev/null | base64 -w0");
    ASSERT_EQ(k.status, 0) << k.err;
    upstream->add_file("/registry/-/npm/v1/keys",
                       R"({"keys":[{"expires":null,"keyid":"SHA256:fleet","keytype":"ecdsa-sha2-nistp256",)"
                       R"("scheme":"ecdsa-sha2-nistp256","key":")" +
                           k.out + R"("}]})",
                       "application/json");
    // greeter 1.2.0 needs @fleet/shout ^1: 1.1.0 is installed, 1.0.0 never is.
    publish_npm("@fleet/shout", {{"1.0.0", "{}"}, {"1.1.0", "{}"}}, "1.1.0");
    publish_npm("greeter", {{"1.2.0", "{\"@fleet/shout\":\"^1.0.0\"}"}}, "1.2.0");
    machine_a.set_env("NPM_CONFIG_REGISTRY", upstream->url("/registry/"));
  }

  // A package document naming its tarballs on registry.npmjs.org, as npmjs's
  // own do; the tarballs are served where npm's replace-registry-host (and
  // rtx's) fetch them then: under the configured registry, /registry/<name>/-/<file>.
  void publish_npm(const std::string& name, const std::vector<std::pair<std::string, std::string>>& versions,
                   const std::string& latest) {
    std::string encoded = name;
    if (auto slash = encoded.find('/'); slash != std::string::npos) encoded.replace(slash, 1, "%2f");
    std::string unscoped = name.substr(name.find('/') == std::string::npos ? 0 : name.find('/') + 1);
    std::string doc = "{\"name\":\"" + name + "\",\"dist-tags\":{\"latest\":\"" + latest + "\"},\"versions\":{";
    for (std::size_t i = 0; i < versions.size(); ++i) {
      const auto& [version, deps] = versions[i];
      std::string pj = "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"bin\":{\"" + unscoped +
                       "\":\"bin/run.sh\"},\"dependencies\":" + deps + "}";
      std::string dir = machine_a.root() + "/pack-" + unscoped + "-" + version;
      fs::create_directories(dir + "/package/bin");
      std::ofstream(dir + "/package/package.json") << pj;
      std::ofstream(dir + "/package/bin/run.sh") << "#!/bin/sh\necho \"" << name << " " << version << "\"\n";
      Output o = machine_a.sh(
          "tar -czf out.tgz package && printf sha512- && openssl dgst -sha512 -binary out.tgz | base64 -w0", dir);
      ASSERT_EQ(o.status, 0) << o.err;
      std::ofstream(dir + "/message") << name << "@" << version << ":" << o.out;
      Output sig = machine_a.sh("openssl dgst -sha256 -sign ../registry.pem message | base64 -w0", dir);
      ASSERT_EQ(sig.status, 0) << sig.err;
      std::string file = unscoped + "-" + version + ".tgz";
      upstream->add_file("/registry/" + name + "/-/" + file, slurp(dir + "/out.tgz"));
      doc += std::string(i ? "," : "") + "\"" + version + "\":{\"name\":\"" + name + "\",\"version\":\"" + version +
             "\",\"bin\":{\"" + unscoped + "\":\"bin/run.sh\"},\"dependencies\":" + deps +
             ",\"dist\":{\"tarball\":\"https://registry.npmjs.org/" + name + "/-/" + file + "\",\"integrity\":\"" +
             o.out + "\",\"signatures\":[{\"keyid\":\"SHA256:fleet\",\"sig\":\"" + sig.out + "\"}]}}";
    }
    upstream->add_file("/registry/" + encoded, doc + "}}", "application/json");
  }

  Output export_mirror(World& w, const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args{"mirror", "export", mirror_dir};
    args.insert(args.end(), extra.begin(), extra.end());
    return w.rtx(args, project);
  }

  // The upstream servers are gone: whatever the fleet gets, it gets from DIR.
  void destroy_upstream() {
    node.reset();
    go.reset();
    rust.reset();
    python.reset();
    upstream.reset();
  }

  std::unique_ptr<test::HttpServer> upstream;
  std::unique_ptr<NodeMirror> node;
  std::unique_ptr<GoMirror> go;
  std::unique_ptr<pyrust::RustMirror> rust;
  std::unique_ptr<pyrust::PythonMirror> python;
  World machine_a;
  std::string project;
  std::string mirror_dir;
};

TEST_F(MirrorExport, AFleetInstallsTheLockedProjectFromTheExportedMirrorAlone) {
  publish_go();
  publish_python_and_rust();
  publish_npm_packages();
  project = machine_a.make_project("app", "rtx.toml", kMirrorProject);
  // A signature beside SHASUMS256.txt (its bytes are copied, not checked, here).
  upstream->add_file(node->shasums_path("20.11.1") + ".sig", "signature bytes");
  ASSERT_EQ(machine_a.rtx({"install"}, project).status, 0);
  ASSERT_EQ(machine_a.rtx({"lock"}, project).status, 0);
  auto t0 = std::chrono::steady_clock::now();
  Output ex = export_mirror(machine_a);
  long long export_ms = mirror_ms_since(t0);
  ASSERT_EQ(ex.status, 0) << ex.err;
  EXPECT_TRUE(has(ex.err, "exported npm:greeter 1.2.0 (+1 dependency)")) << ex.err;
  // node: upstream's own SHASUMS256.txt, index.json with the exported release only.
  const std::string sums = machine_a.read(mirror_dir + "/node/v20.11.1/SHASUMS256.txt");
  EXPECT_TRUE(has(sums, std::string(64, '0') + "  node-v20.11.1.tar.gz\n")) << "verbatim upstream file\n" << sums;
  EXPECT_EQ(machine_a.read(mirror_dir + "/node/v20.11.1/SHASUMS256.txt.sig"), "signature bytes");
  EXPECT_FALSE(fs::exists(mirror_dir + "/node/v20.11.1/SHASUMS256.txt.asc"));
  EXPECT_TRUE(has(machine_a.read(mirror_dir + "/npm/-/npm/v1/keys"), "SHA256:fleet"));
  const std::string index = machine_a.read(mirror_dir + "/node/index.json");
  EXPECT_TRUE(has(index, "\"version\":\"v20.11.1\"")) << index;
  EXPECT_TRUE(has(index, "\"lts\":\"Iron\"")) << index;
  EXPECT_TRUE(has(index, "\"files\":[\"linux-" + NodeMirror::arch() + "\"]")) << index;
  EXPECT_FALSE(has(index, "v0.1.0")) << index;
  EXPECT_TRUE(fs::exists(mirror_dir + "/go/index.html"));
  EXPECT_TRUE(fs::exists(mirror_dir + "/npm/@fleet/shout/-/shout-1.1.0.tgz"));
  EXPECT_FALSE(has(machine_a.read(mirror_dir + "/npm/@fleet/shout/index.html"), "1.0.0"));
  const std::uint64_t bytes = mirror_bytes_under(mirror_dir);

  MirrorStaticServer served(mirror_dir, machine_a.root() + "/http-server.log");
  destroy_upstream();

  World fleet;
  mirror_configure_fleet(fleet, served.base());
  std::string copy = fleet.make_project("app", "rtx.toml", kMirrorProject);
  fs::copy_file(project + "/rtx.lock", copy + "/rtx.lock");
  t0 = std::chrono::steady_clock::now();
  Output locked = fleet.rtx({"install", "--locked"}, copy);
  long long install_ms = mirror_ms_since(t0);
  ASSERT_EQ(locked.status, 0) << locked.err;
  for (const char* tool : {"node", "go", "python", "npm:greeter"})
    EXPECT_EQ(mirror_tree_of(mirror_build_of(machine_a, tool)), mirror_tree_of(mirror_build_of(fleet, tool))) << tool;
  // install.sh records its --prefix, which differs per machine by design.
  EXPECT_EQ(mirror_tree_of(mirror_build_of(machine_a, "rust"), "/lib/rustlib/install-args"),
            mirror_tree_of(mirror_build_of(fleet, "rust"), "/lib/rustlib/install-args"));
  EXPECT_EQ(fleet.shim("node", {"--version"}, copy).out, "v20.11.1\n");
  EXPECT_TRUE(has(fleet.shim("go", {"version"}, copy).out, "go1.22.1"));
  EXPECT_EQ(fleet.shim("python3", {"--version"}, copy).out, "Python 3.12.7\n");
  EXPECT_TRUE(has(fleet.shim("rustc", {"--version"}, copy).out, "rustc 1.82.0"));
  EXPECT_EQ(fleet.shim("greeter", {}, copy).out, "greeter 1.2.0\n");
  std::cout << "[ mirror  ] exported node, go, python, rust, npm:greeter (+@fleet/shout): " << bytes << " bytes in "
            << export_ms << " ms; `rtx install --locked` from python3 -m http.server: " << install_ms << " ms\n";

  // Without a lock, the indexes answer: node's index.json and SHASUMS256.txt,
  // go's ?mode=json, python's releases.txt and SHA256SUMS, rust's manifests,
  // npm's documents (a scoped one through %2f and the folder redirect).
  World plain;
  mirror_configure_fleet(plain, served.base());
  plain.set_env("RTX_NPM_SIGNATURES", "require");  // the registry's signatures verify behind the mirror
  Output shout = plain.rtx({"ls-remote", "npm:@fleet/shout"});
  EXPECT_EQ(shout.out, "1.1.0\n") << shout.err;
  Output all = plain.rtx({"install", "node@20.11.1", "go@1.22.1", "python@3.12.7", "rust@1.82.0", "npm:greeter@1.2.0"});
  ASSERT_EQ(all.status, 0) << all.err;
  EXPECT_EQ(mirror_tree_of(mirror_build_of(machine_a, "npm:greeter")),
            mirror_tree_of(mirror_build_of(plain, "npm:greeter")));
}

TEST_F(MirrorExport, FromTheLockAloneTheArtifactsAreFetchedIntoTheCacheThenServed) {
  publish_go();
  publish_npm_packages();
  project =
      machine_a.make_project("app", "rtx.toml", "[tools]\nnode = \"20\"\ngo = \"1.22\"\n\"npm:greeter\" = \"1\"\n");
  ASSERT_EQ(machine_a.rtx({"lock"}, project).status, 0);
  ASSERT_FALSE(fs::exists(machine_a.root() + "/cache/downloads")) << "nothing installed, nothing downloaded";
  Output ex = export_mirror(machine_a, {"--from-lock"});
  ASSERT_EQ(ex.status, 0) << ex.err;
  EXPECT_EQ(upstream->request_count(node->tarball_path("20.11.1")), 1);
  EXPECT_EQ(upstream->request_count("/registry/greeter/-/greeter-1.2.0.tgz"), 1);
  EXPECT_TRUE(fs::exists(machine_a.root() + "/cache/downloads")) << "fetched through the download cache";
  Output again = export_mirror(machine_a, {"--from-lock"});
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(upstream->request_count(node->tarball_path("20.11.1")), 1) << "the second export reads the cache";

  MirrorStaticServer served(mirror_dir, machine_a.root() + "/http-server.log");
  destroy_upstream();
  World fleet;
  mirror_configure_fleet(fleet, served.base());
  std::string copy = fleet.make_project("app", "rtx.toml", machine_a.read(project + "/rtx.toml"));
  fs::copy_file(project + "/rtx.lock", copy + "/rtx.lock");
  Output locked = fleet.rtx({"install", "--locked"}, copy);
  ASSERT_EQ(locked.status, 0) << locked.err;
  EXPECT_EQ(fleet.shim("node", {"--version"}, copy).out, "v20.11.1\n");
  EXPECT_TRUE(has(fleet.shim("go", {"version"}, copy).out, "go1.22.1"));
  EXPECT_EQ(fleet.shim("greeter", {}, copy).out, "greeter 1.2.0\n");
  EXPECT_TRUE(fs::is_directory(mirror_build_of(fleet, "npm:greeter") + "/node_modules/@fleet/shout"));
}

TEST_F(MirrorExport, ExportingAgainAddsVersionsAndKeepsTheOthers) {
  ASSERT_EQ(machine_a.rtx({"install", "node@20.11.1"}).status, 0);
  ASSERT_EQ(export_mirror(machine_a).status, 0);
  const std::string tarball = mirror_dir + "/node/v20.11.1/" + NodeMirror::artifact_name("20.11.1");
  const ino_t inode = mirror_inode(tarball);
  ASSERT_NE(inode, 0u);
  // Someone else's release already in the folder stays, newest first.
  std::string index = machine_a.read(mirror_dir + "/node/index.json");
  index.replace(index.rfind(']'), 1, ",\n{\"version\":\"v18.0.0\",\"files\":[\"linux-x64\"],\"lts\":false}]");
  std::ofstream(mirror_dir + "/node/index.json") << index;
  node->add("20.12.0", "Iron");
  ASSERT_EQ(machine_a.rtx({"install", "node@20.12.0"}).status, 0);
  Output again = export_mirror(machine_a);
  ASSERT_EQ(again.status, 0) << again.err;
  index = machine_a.read(mirror_dir + "/node/index.json");
  auto a = index.find("v20.12.0"), b = index.find("v20.11.1"), c = index.find("v18.0.0");
  EXPECT_TRUE(a != std::string::npos && b != std::string::npos && c != std::string::npos && a < b && b < c) << index;
  EXPECT_EQ(mirror_inode(tarball), inode) << "the exported file was left as it was";
  EXPECT_TRUE(fs::exists(mirror_dir + "/node/v20.12.0/SHASUMS256.txt"));
  EXPECT_TRUE(has(again.err, "1 new")) << again.err;

  // A folder document rtx cannot merge: one line, nothing written.
  std::ofstream(mirror_dir + "/node/index.json") << "<html>not an index</html>";
  node->add("21.0.0");
  ASSERT_EQ(machine_a.rtx({"install", "node@21.0.0"}).status, 0);
  Output bad = export_mirror(machine_a);
  EXPECT_EQ(bad.status, 1);
  EXPECT_EQ(error_lines(bad).size(), 1u) << bad.err;
  EXPECT_TRUE(has(bad.err, mirror_dir + "/node/index.json is not a node index.json")) << bad.err;
  EXPECT_FALSE(fs::exists(mirror_dir + "/node/v21.0.0")) << "nothing half-written";
  EXPECT_EQ(machine_a.read(mirror_dir + "/node/index.json"), "<html>not an index</html>");
}

TEST_F(MirrorExport, BadInputIsOneLineAndWritesNothing) {
  auto refuses = [&](const std::vector<std::string>& extra, const std::string& what) {
    Output o = export_mirror(machine_a, extra);
    EXPECT_EQ(o.status, 1) << what;
    EXPECT_EQ(error_lines(o).size(), 1u) << o.err;
    EXPECT_TRUE(has(o.err, what)) << o.err;
    return o;
  };
  fs::create_directories(machine_a.root() + "/srv");
  std::ofstream(mirror_dir) << "a file";
  refuses({}, "is a file, not a folder");
  EXPECT_EQ(machine_a.read(mirror_dir), "a file");
  fs::remove(mirror_dir);

  fs::create_directories(mirror_dir);
  ::chmod(mirror_dir.c_str(), 0555);
  refuses({}, "is not writable (mode 0555)");
  ::chmod(mirror_dir.c_str(), 0755);
  EXPECT_TRUE(fs::is_empty(mirror_dir));
  fs::remove(mirror_dir);

  refuses({"--from-lock"}, "no lock (rtx.lock or mise.lock) beside the configs of " + project);
  refuses({}, "nothing to export: no node, go, python, rust or npm package is installed");
  EXPECT_FALSE(fs::exists(mirror_dir));

  // Offline, an artifact the download cache lacks cannot be exported: the line says which and how.
  ASSERT_EQ(machine_a.rtx({"lock"}, project).status, 0);
  machine_a.set_env("RTX_OFFLINE", "1");
  Output o = refuses({"--from-lock"}, "node 20.11.1 (linux-");
  EXPECT_TRUE(has(o.err, NodeMirror::artifact_name("20.11.1") + " (sha256:")) << o.err;
  EXPECT_TRUE(has(o.err, "is not in the download cache")) << o.err;
  EXPECT_TRUE(has(o.err, "offline (RTX_OFFLINE=1)")) << o.err;
  EXPECT_FALSE(fs::exists(mirror_dir));
}

}  // namespace
}  // namespace rtx::e2e
