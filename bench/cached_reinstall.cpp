// Cached reinstall time (issue 4 item 7): the real `rtx install node@V` from a
// node-shaped mirror on 127.0.0.1, whole process, in three variants run in the
// same rounds (the order rotates every round: A B C, B C A, C A B, …):
//
//   A  cold install: download cache emptied, `rtx uninstall node@V`, then the
//      timed `rtx install node@V` (download + verify + extract + commit)
//   B  cached reinstall: cache kept, `rtx uninstall node@V`, then the timed
//      `rtx install node@V` (cache hit re-verified + extract + commit)
//   C  baseline: `tar -xJf` of the same tarball into a fresh folder (what
//      extraction alone costs)
//
// Only the install (or tar) is timed; uninstall, emptying the cache, removing
// C's folder and a `sync` before each timed run are set-up. Every install must
// print "installed node V", and B must not request the tarball (the server's
// request count is printed). The tarball (a node-v<V>-linux-<arch>/ tree with
// bin/node, half text-like and half random files, --mib MiB unpacked) is made
// once with libarchive and cached in /tmp. rtx is taken from beside this
// binary (or --rtx); its roots are a fresh temporary folder.
//
//   rtx-bench-cached-reinstall [--mib 40] [--rounds 5] [--rtx PATH]
//   rtx-bench-cached-reinstall --growth 1,10,100 [--rounds 5]: the growth table
//     instead (issue 11 item 2): per size, B and C only, alternating, B's cost
//     above C per MiB and its growth class; tarballs packed at xz level 1
//     (quick to make; unpacking costs about what level 6 does), at most 3
//     rounds from 100 MiB so the default run stays short
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/flags.hpp"
#include "bench/growth.hpp"
#include "manager/net/hashing.hpp"
#include "tests/support/http_server.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;

constexpr const char* kVersion = "20.11.1";

[[noreturn]] void die(const std::string& msg) { throw std::runtime_error(msg); }

struct Options {
  int rounds = 5;
  int mib = 40;
  std::string rtx;
  std::vector<int> growth;  // --growth: MiB sizes for the growth table
};

Options parse(int argc, char** argv) {
  Options o;
  rtx::bench::parse_flags(argc, argv, "cached_reinstall.cpp", [&o](const std::string& a, const std::string& v) {
    if (a == "--rounds")
      o.rounds = std::atoi(v.c_str());
    else if (a == "--mib")
      o.mib = std::atoi(v.c_str());
    else if (a == "--rtx")
      o.rtx = v;
    else if (a == "--growth")
      o.growth = rtx::bench::parse_sizes(v);
    else
      return false;
    return true;
  });
  if (o.rounds < 1 || o.mib < 1) die("--rounds ≥ 1 and --mib ≥ 1, please");
  if (o.rtx.empty()) o.rtx = fs::read_symlink("/proc/self/exe").parent_path().string() + "/rtx";
  return o;
}

double now_ms() {
  timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

std::string node_arch() {
  utsname u{};
  ::uname(&u);
  return std::string(u.machine) == "aarch64" ? "arm64" : "x64";
}

// --- the tarball -------------------------------------------------------------

struct WriteFree {
  void operator()(struct archive* a) const { archive_write_free(a); }
};

// node-v<V>-linux-<arch>/{bin/node, lib/node_modules/dN/fM.{js,node}}: sizes
// lognormal (most small, a few large), every other file random like machine
// code, the rest text-like. bin/node prints the version (rtx's smoke test).
void write_tarball(const std::string& out, const std::string& top, int mib, const char* xz_level = nullptr) {
  std::unique_ptr<struct archive, WriteFree> a(archive_write_new());
  archive_write_add_filter_xz(a.get());
  archive_write_set_filter_option(a.get(), "xz", "threads", "0");  // packing is set-up, not measured
  if (xz_level) archive_write_set_filter_option(a.get(), "xz", "compression-level", xz_level);
  archive_write_set_format_pax_restricted(a.get());
  std::string tmp = out + ".part";
  if (archive_write_open_filename(a.get(), tmp.c_str()) != ARCHIVE_OK) die("cannot write " + tmp);
  auto add = [&](const std::string& path, mode_t type, mode_t perm, const std::string& body) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, path.c_str());
    archive_entry_set_filetype(e, type);
    archive_entry_set_perm(e, perm);
    archive_entry_set_mtime(e, 1'700'000'000, 0);
    archive_entry_set_size(e, std::int64_t(body.size()));
    if (archive_write_header(a.get(), e) < ARCHIVE_WARN) die(std::string("header: ") + archive_error_string(a.get()));
    if (!body.empty() && archive_write_data(a.get(), body.data(), body.size()) < 0)
      die(std::string("data: ") + archive_error_string(a.get()));
    archive_entry_free(e);
  };
  add(top + "/", AE_IFDIR, 0755, {});
  add(top + "/bin/", AE_IFDIR, 0755, {});
  add(top + "/bin/node", AE_IFREG, 0755, std::string("#!/bin/sh\necho v") + kVersion + "\n");
  add(top + "/lib/", AE_IFDIR, 0755, {});

  std::mt19937_64 rng(7);
  const int files = std::max(20, mib * 12);
  std::lognormal_distribution<double> sizes(9.5, 1.5);
  std::vector<double> weight(static_cast<std::size_t>(files));
  double sum = 0;
  for (auto& w : weight) sum += (w = sizes(rng));
  static const char* const kWords[] = {"function ", "return ", "const ", "require(", "module.exports",  " = ",
                                       "{\n",       "}\n",     "if (",   ") ",       "'use strict';\n", "node "};
  std::string body;
  for (int i = 0; i < files; ++i) {
    std::string dir = top + "/lib/node_modules/d" + std::to_string(i % 40);
    if (i < 40) add(dir + "/", AE_IFDIR, 0755, {});
    std::size_t size = std::size_t(weight[std::size_t(i)] / sum * double(mib) * 1024 * 1024);
    body.clear();
    if (i % 2) {
      while (body.size() < size) body += kWords[rng() % (sizeof kWords / sizeof *kWords)];
    } else {
      while (body.size() < size) {
        std::uint64_t x = rng();
        body.append(reinterpret_cast<const char*>(&x), 8);
      }
    }
    body.resize(size);
    add(dir + "/f" + std::to_string(i) + (i % 2 ? ".js" : ".node"), AE_IFREG, 0644, body);
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) die(std::string("close: ") + archive_error_string(a.get()));
  fs::rename(tmp, out);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// --- processes ---------------------------------------------------------------

struct Run {
  int status = -1;
  std::string output;  // stdout and stderr
};

// Runs argv with `env` (nullptr: ours), stdout and stderr into `log`.
Run run(const std::vector<std::string>& args, char* const* env, const std::string& log) {
  std::vector<char*> argv;
  for (const auto& s : args) argv.push_back(const_cast<char*>(s.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), env ? env : environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) die("cannot run " + args[0]);
  int raw = 0;
  ::waitpid(pid, &raw, 0);
  return Run{WIFEXITED(raw) ? WEXITSTATUS(raw) : 128, slurp(log)};
}

void sync_disks() { run({"sync"}, nullptr, "/dev/null"); }

// A throwaway rtx world: RTX_DATA_DIR, _CACHE_DIR, _STATE_DIR, _CONFIG_DIR and
// HOME under one temp dir, the node mirror on our server.
class World {
 public:
  World(std::string rtx, const std::string& mirror) : rtx_(std::move(rtx)) {
    char tmpl[] = "/tmp/rtx-bench-reinstall-XXXXXX";
    if (!::mkdtemp(tmpl)) die("mkdtemp failed");
    root_ = tmpl;
    for (const char* d : {"data", "cache", "state", "config", "home"}) fs::create_directories(root_ + "/" + d);
    env_ = {"HOME=" + root_ + "/home",           "RTX_DATA_DIR=" + root_ + "/data",     "RTX_CACHE_DIR=" + cache(),
            "RTX_STATE_DIR=" + root_ + "/state", "RTX_CONFIG_DIR=" + root_ + "/config", "RTX_NODE_MIRROR=" + mirror,
            "PATH=/usr/local/bin:/usr/bin:/bin"};
    for (auto& s : env_) envp_.push_back(s.data());
    envp_.push_back(nullptr);
  }
  ~World() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  std::string cache() const { return root_ + "/cache"; }
  std::string scratch(const std::string& name) const { return root_ + "/" + name; }

  Run rtx(const std::vector<std::string>& args) const {
    std::vector<std::string> argv{rtx_};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, envp_.data(), root_ + "/rtx.log");
  }

  // Store entries of node V (its prefix, .state, .lease, .meta).
  int builds_left() const {
    int n = 0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(root_ + "/data/store/node", ec))
      if (e.path().filename().string().rfind(std::string(kVersion) + "-", 0) == 0) ++n;
    return n;
  }

 private:
  std::string rtx_;
  std::string root_;
  std::vector<std::string> env_;
  std::vector<char*> envp_;
};

void install(const World& w) {
  Run r = w.rtx({"install", std::string("node@") + kVersion});
  if (r.status != 0 || r.output.find(std::string("installed node ") + kVersion) == std::string::npos)
    die("rtx install did not install node " + std::string(kVersion) + ":\n" + r.output);
}

void uninstall(const World& w) {
  Run r = w.rtx({"uninstall", std::string("node@") + kVersion});
  if (r.status != 0) die("rtx uninstall failed:\n" + r.output);
  if (w.builds_left() > 0) {  // pending a reaper (nothing should hold it): finish it now
    w.rtx({"gc", "--wait"});
    if (w.builds_left() > 0) die("node " + std::string(kVersion) + " is still in the store after uninstall and gc");
  }
}

struct Served {
  std::string tarball;  // the local file
  std::string path;     // its path on the server
};

// The node mirror for a tarball of `mib` MiB (packed once, cached in /tmp).
Served serve_tarball(rtx::test::HttpServer& server, int mib, const char* xz_level) {
  const std::string arch = node_arch();
  const std::string top = std::string("node-v") + kVersion + "-linux-" + arch;
  const std::string name = top + ".tar.xz";
  const std::string tarball = "/tmp/rtx-bench-cached-reinstall-" + std::to_string(mib) + "mib" +
                              (xz_level ? std::string("-l") + xz_level : std::string()) + "-" + name;
  if (!fs::exists(tarball)) {
    std::printf("packing %s (once; cached for later runs)…\n", tarball.c_str());
    std::fflush(stdout);
    write_tarball(tarball, top, mib, xz_level);
  }
  auto sum = rtx::net::hash_file(tarball, rtx::net::HashAlgorithm::sha256);
  if (!sum) die(sum.error());
  const std::string dist = std::string("/dist/v") + kVersion;
  server.add_file(dist + "/" + name, slurp(tarball));
  server.add_file(dist + "/SHASUMS256.txt", sum->hex + "  " + name + "\n");
  server.add_file("/dist/index.json",
                  std::string("[{\"version\":\"v") + kVersion + "\",\"date\":\"2024-02-14\",\"files\":[\"linux-" +
                      arch + "\"],\"lts\":\"Iron\",\"security\":false}]\n",
                  "application/json");
  return {tarball, dist + "/" + name};
}

// --growth: per size, B (cached reinstall) and C (tar -xJf) alternating.
int run_growth(const Options& o) {
  std::vector<rtx::bench::GrowthPoint> rtx_points, tar_points;
  int requests = 0;
  for (int mib : o.growth) {
    rtx::test::HttpServer server;
    Served served = serve_tarball(server, mib, "1");
    World world(o.rtx, server.url("/dist"));
    install(world);  // warm-up, and the cache now holds the tarball
    const int rounds = std::min(o.rounds, mib >= 100 ? 3 : o.rounds);
    std::vector<double> cached, tar;
    for (int r = 0; r < rounds; ++r)
      for (int k = 0; k < 2; ++k) {
        if ((r + k) % 2) {
          std::string dest = world.scratch("tar-" + std::to_string(r));
          fs::create_directories(dest);
          sync_disks();
          double t0 = now_ms();
          Run t = run({"tar", "-xJf", served.tarball, "-C", dest}, nullptr, world.scratch("tar.log"));
          tar.push_back(now_ms() - t0);
          if (t.status != 0) die("tar -xJf failed:\n" + t.output);
          fs::remove_all(dest);
          continue;
        }
        uninstall(world);
        sync_disks();
        int before = server.request_count(served.path);
        double t0 = now_ms();
        install(world);
        cached.push_back(now_ms() - t0);
        requests += server.request_count(served.path) - before;
      }
    rtx_points.push_back({double(mib), median(cached), 0});
    tar_points.push_back({double(mib), median(tar), 0});
    std::printf("  %d MiB: %d rounds, tarball %.1f MiB packed\n", mib, rounds,
                double(fs::file_size(served.tarball)) / (1 << 20));
    std::fflush(stdout);
  }
  std::vector<rtx::bench::GrowthPoint> over_tar;
  for (std::size_t i = 0; i < rtx_points.size(); ++i)
    over_tar.push_back({rtx_points[i].n, rtx_points[i].cost, tar_points[i].cost});
  std::printf("rtx install node@%s from the download cache (B) vs unpacked size, medians of wall time:\n", kVersion);
  rtx::bench::print_growth("MiB", "ms", rtx_points, "install_cached_growth_ms");
  std::printf("tar -xJf of the same tarball (C), same rounds:\n");
  rtx::bench::print_growth("MiB", "ms", tar_points, "tar_xJf_growth_ms");
  std::printf("B above C (rtx's own cost beyond unpacking):\n");
  rtx::bench::print_growth("MiB", "ms", over_tar, "install_over_tar_growth_ms");
  std::printf("tarball requests during B: %d (must be 0)\n", requests);
  return requests == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) try {
  Options o = parse(argc, argv);
  if (::access(o.rtx.c_str(), X_OK) != 0) die(o.rtx + " is not there: build the rtx target (or pass --rtx)");
  if (!o.growth.empty()) return run_growth(o);

  const std::string arch = node_arch();
  const std::string top = std::string("node-v") + kVersion + "-linux-" + arch;
  const std::string name = top + ".tar.xz";
  const std::string tarball = "/tmp/rtx-bench-cached-reinstall-" + std::to_string(o.mib) + "mib-" + name;
  if (!fs::exists(tarball)) {
    std::printf("packing %s (once; cached for later runs)…\n", tarball.c_str());
    std::fflush(stdout);
    write_tarball(tarball, top, o.mib);
  }
  auto sum = rtx::net::hash_file(tarball, rtx::net::HashAlgorithm::sha256);
  if (!sum) die(sum.error());

  rtx::test::HttpServer server;
  const std::string dist = std::string("/dist/v") + kVersion;
  const std::string tarball_path = dist + "/" + name;
  server.add_file(tarball_path, slurp(tarball));
  server.add_file(dist + "/SHASUMS256.txt", sum->hex + "  " + name + "\n");
  server.add_file("/dist/index.json",
                  std::string("[{\"version\":\"v") + kVersion + "\",\"date\":\"2024-02-14\",\"files\":[\"linux-" +
                      arch + "\"],\"lts\":\"Iron\",\"security\":false}]\n",
                  "application/json");

  World world(o.rtx, server.url("/dist"));
  install(world);  // warm-up: the cache holds the artifact, the page cache the binaries

  std::vector<double> cold, cached, tar;
  int cold_requests = 0, cached_requests = 0;
  for (int r = 0; r < o.rounds; ++r) {
    for (int k = 0; k < 3; ++k) {
      int which = (r + k) % 3;  // A B C, B C A, C A B, …
      if (which == 2) {
        std::string dest = world.scratch("tar-" + std::to_string(r));
        fs::create_directories(dest);
        sync_disks();
        double t0 = now_ms();
        Run t = run({"tar", "-xJf", tarball, "-C", dest}, nullptr, world.scratch("tar.log"));
        tar.push_back(now_ms() - t0);
        if (t.status != 0) die("tar -xJf failed:\n" + t.output);
        fs::remove_all(dest);
        continue;
      }
      uninstall(world);
      if (which == 0) fs::remove_all(world.cache() + "/downloads");
      sync_disks();
      int before = server.request_count(tarball_path);
      double t0 = now_ms();
      install(world);
      double ms = now_ms() - t0;
      int requests = server.request_count(tarball_path) - before;
      (which == 0 ? cold : cached).push_back(ms);
      (which == 0 ? cold_requests : cached_requests) += requests;
    }
  }

  double a = median(cold), b = median(cached), c = median(tar);
  std::uintmax_t packed = fs::file_size(tarball);
  std::printf("node %s tarball: %d MiB unpacked, %.1f MiB as .tar.xz; %d rounds interleaved, medians\n", kVersion,
              o.mib, double(packed) / (1 << 20), o.rounds);
  std::printf("  A cold install (cache emptied):   %8.1f ms  (tarball requests: %d)\n", a, cold_requests);
  std::printf("  B cached reinstall (cache kept):  %8.1f ms  (tarball requests: %d)\n", b, cached_requests);
  std::printf("  C tar -xJf of the same tarball:   %8.1f ms\n", c);
  std::printf("  B/A: %.2f   B/C: %.2f\n", b / a, b / c);
  std::printf(
      "RESULT cached_reinstall_ms=%.1f cold_install_ms=%.1f tar_xJf_ms=%.1f b_over_a=%.2f b_over_c=%.2f "
      "b_tarball_requests=%d\n",
      b, a, c, b / a, b / c, cached_requests);
  return cached_requests == 0 ? 0 : 1;
} catch (const std::exception& e) {
  std::fprintf(stderr, "rtx-bench-cached-reinstall: %s\n", e.what());
  return 1;
}
