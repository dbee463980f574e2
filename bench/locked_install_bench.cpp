// Locked vs unlocked installs (issue 10 item 1): the real `rtx install` of a
// project asking for six tools (node, go, python, rust, two npm packages:
// tests/e2e/six_tools_fixture.hpp) from one HttpServer on 127.0.0.1 that waits
// --delay-ms before each response, as a far mirror's latency would. Two
// variants in the same rounds, alternating (A B, B A, …):
//
//   A  rtx install -j1            (rtx.toml only: each tool's index and checksum list are read)
//   B  rtx install --locked -j1   (rtx.toml + rtx.lock made once by `rtx lock`: the artifacts only)
//
// Every run starts from fresh roots (empty store and download cache: made
// and removed outside the timed part) and must print "installed" for all six.
// Prints the medians, A/B, and the requests each variant made. rtx is taken
// from beside this binary (or --rtx).
//
//   rtx-bench-locked-install [--rounds 5] [--delay-ms 100] [--rtx PATH]
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/flags.hpp"
#include "bench/whole_process.hpp"
#include "tests/e2e/six_tools_fixture.hpp"
#include "tests/support/http_server.hpp"

namespace {

namespace fs = std::filesystem;

[[noreturn]] void die(const std::string& msg) { throw std::runtime_error(msg); }

struct Options {
  int rounds = 5;
  int delay_ms = 100;
  std::string rtx;
};

Options parse(int argc, char** argv) {
  Options o;
  rtx::bench::parse_flags(argc, argv, "locked_install_bench.cpp", [&o](const std::string& a, const std::string& v) {
    if (a == "--rounds")
      o.rounds = std::atoi(v.c_str());
    else if (a == "--delay-ms")
      o.delay_ms = std::atoi(v.c_str());
    else if (a == "--rtx")
      o.rtx = v;
    else
      return false;
    return true;
  });
  if (o.rounds < 1 || o.delay_ms < 0) die("--rounds ≥ 1 and --delay-ms ≥ 0, please");
  if (o.rtx.empty()) o.rtx = fs::read_symlink("/proc/self/exe").parent_path().string() + "/rtx";
  return o;
}

// Fresh roots under `root`, and the environment that points rtx at them and
// at the fixture mirrors.
std::vector<std::string> fresh_env(const rtx::e2e::SixTools& six, const std::string& root) {
  std::vector<std::string> env = rtx::bench::fresh_roots_env(root);
  for (const auto& [k, v] : six.env()) env.push_back(k + "=" + v);
  return env;
}

struct Timed {
  double ms;
  int requests;
};

// One timed install of `project` into fresh roots under `base`.
Timed install(const Options& o, const rtx::e2e::SixTools& six, rtx::test::HttpServer& server, const std::string& base,
              const std::string& project, bool locked) {
  std::string root = base + (locked ? "/run-locked" : "/run-unlocked");
  std::vector<std::string> env = fresh_env(six, root);
  std::vector<std::string> args = {o.rtx, "install", "-j", "1"};
  if (locked) args.push_back("--locked");
  int before = server.total_requests();
  double t0 = rtx::bench::now_ms();
  rtx::bench::ProcessRun r = rtx::bench::run_process(args, env, base + "/rtx.log", project);
  double ms = rtx::bench::now_ms() - t0;
  int requests = server.total_requests() - before;
  const std::string what = locked ? "rtx install --locked" : "rtx install";
  if (r.status != 0) die(what + " failed:\n" + r.output);
  for (const auto& t : six.tools())
    if (r.output.find("installed " + t.name + " " + t.version + " in ") == std::string::npos)
      die(what + " did not install " + t.name + " " + t.version + ":\n" + r.output);
  fs::remove_all(root);
  return Timed{ms, requests};
}

}  // namespace

int main(int argc, char** argv) try {
  Options o = parse(argc, argv);
  if (::access(o.rtx.c_str(), X_OK) != 0) die(o.rtx + " is not there: build the rtx target (or pass --rtx)");
  char tmpl[] = "/tmp/rtx-bench-locked-XXXXXX";
  if (!::mkdtemp(tmpl)) die("mkdtemp failed");
  const std::string base = tmpl;

  rtx::test::HttpServer server;
  rtx::e2e::SixTools six(server, base);
  const std::string unlocked = base + "/unlocked", locked = base + "/locked";
  for (const auto& dir : {unlocked, locked}) {
    fs::create_directories(dir);
    std::ofstream(dir + "/rtx.toml") << six.rtx_toml();
  }
  rtx::bench::ProcessRun made =
      rtx::bench::run_process({o.rtx, "lock"}, fresh_env(six, base + "/run-lock"), base + "/rtx.log", locked);
  if (made.status != 0) die("rtx lock failed:\n" + made.output);
  server.set_delay(std::chrono::milliseconds(o.delay_ms));
  install(o, six, server, base, unlocked, false);  // warm-up: binaries and fixtures in the page cache
  install(o, six, server, base, locked, true);

  std::vector<double> a_ms, b_ms;
  int a_requests = 0, b_requests = 0;
  for (int r = 0; r < o.rounds; ++r) {
    for (int k = 0; k < 2; ++k) {
      bool is_locked = (r + k) % 2 == 1;  // A B, B A, …
      Timed t = install(o, six, server, base, is_locked ? locked : unlocked, is_locked);
      (is_locked ? b_ms : a_ms).push_back(t.ms);
      (is_locked ? b_requests : a_requests) = t.requests;
    }
  }
  fs::remove_all(base);

  double a = rtx::bench::median(a_ms), b = rtx::bench::median(b_ms);
  std::printf(
      "a project of six tools (node, go, python, rust, npm:greeter, npm:waver), -j1, %d ms per response, "
      "%d rounds interleaved, medians\n",
      o.delay_ms, o.rounds);
  std::printf("  A rtx install            %8.1f ms  %3d requests\n", a, a_requests);
  std::printf("  B rtx install --locked   %8.1f ms  %3d requests\n", b, b_requests);
  std::printf("  A/B: %.2f\n", a / b);
  std::printf("RESULT unlocked_ms=%.1f locked_ms=%.1f ratio=%.2f unlocked_requests=%d locked_requests=%d delay_ms=%d\n",
              a, b, a / b, a_requests, b_requests, o.delay_ms);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "rtx-bench-locked-install: %s\n", e.what());
  return 1;
}
