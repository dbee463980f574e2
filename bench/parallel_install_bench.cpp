// Parallel installs (issue 10 item 4): the real `rtx install` of six tools
// (node, go, python, rust from fixture mirrors, two npm packages from a
// fixture registry: tests/e2e/six_tools_fixture.hpp) from one HttpServer on
// 127.0.0.1 that waits --delay-ms before each response, as a far mirror's
// latency would. Two variants in the same rounds, alternating (A B, B A, …):
//
//   A  rtx install -j1 <six tools>
//   B  rtx install -j<N> <six tools>   (--jobs, default 4)
//
// Every run starts from fresh roots (empty store and download cache: made
// and removed outside the timed part) and must print "installed" for all six.
// Prints both medians and A/B (the speed-up). rtx is taken from beside this
// binary (or --rtx).
//
//   rtx-bench-parallel-install [--rounds 5] [--delay-ms 100] [--jobs 4] [--rtx PATH]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
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
  int jobs = 4;
  std::string rtx;
};

Options parse(int argc, char** argv) {
  Options o;
  rtx::bench::parse_flags(argc, argv, "parallel_install_bench.cpp", [&o](const std::string& a, const std::string& v) {
    if (a == "--rounds")
      o.rounds = std::atoi(v.c_str());
    else if (a == "--delay-ms")
      o.delay_ms = std::atoi(v.c_str());
    else if (a == "--jobs")
      o.jobs = std::atoi(v.c_str());
    else if (a == "--rtx")
      o.rtx = v;
    else
      return false;
    return true;
  });
  if (o.rounds < 1 || o.delay_ms < 0 || o.jobs < 2) die("--rounds ≥ 1, --delay-ms ≥ 0 and --jobs ≥ 2, please");
  if (o.rtx.empty()) o.rtx = fs::read_symlink("/proc/self/exe").parent_path().string() + "/rtx";
  return o;
}

// One timed install of the six into fresh roots under `base`; milliseconds.
double install_six(const Options& o, const rtx::e2e::SixTools& six, const std::string& base, int jobs) {
  std::string root = base + "/run-j" + std::to_string(jobs);
  std::vector<std::string> env = rtx::bench::fresh_roots_env(root);
  for (const auto& [k, v] : six.env()) env.push_back(k + "=" + v);
  std::vector<std::string> args = six.install_args({"-j", std::to_string(jobs)});
  args.insert(args.begin(), o.rtx);
  double t0 = rtx::bench::now_ms();
  rtx::bench::ProcessRun r = rtx::bench::run_process(args, env, base + "/rtx.log");
  double ms = rtx::bench::now_ms() - t0;
  if (r.status != 0) die("rtx install -j" + std::to_string(jobs) + " failed:\n" + r.output);
  for (const auto& t : six.tools())
    if (r.output.find("installed " + t.name + " " + t.version + " in ") == std::string::npos)
      die("rtx install -j" + std::to_string(jobs) + " did not install " + t.name + ":\n" + r.output);
  fs::remove_all(root);
  return ms;
}

}  // namespace

int main(int argc, char** argv) try {
  Options o = parse(argc, argv);
  if (::access(o.rtx.c_str(), X_OK) != 0) die(o.rtx + " is not there: build the rtx target (or pass --rtx)");
  char tmpl[] = "/tmp/rtx-bench-parallel-XXXXXX";
  if (!::mkdtemp(tmpl)) die("mkdtemp failed");
  const std::string base = tmpl;

  rtx::test::HttpServer server;
  rtx::e2e::SixTools six(server, base);
  server.set_delay(std::chrono::milliseconds(o.delay_ms));
  install_six(o, six, base, 1);  // warm-up: binaries and fixtures in the page cache

  std::vector<double> serial, parallel;
  for (int r = 0; r < o.rounds; ++r) {
    for (int k = 0; k < 2; ++k) {
      bool one = (r + k) % 2 == 0;  // A B, B A, …
      double ms = install_six(o, six, base, one ? 1 : o.jobs);
      (one ? serial : parallel).push_back(ms);
    }
  }
  fs::remove_all(base);

  double a = rtx::bench::median(serial), b = rtx::bench::median(parallel);
  std::printf(
      "six tools (node, go, python, rust, npm:greeter, npm:waver), %d ms per response, %d rounds "
      "interleaved, medians\n",
      o.delay_ms, o.rounds);
  std::printf("  A rtx install -j1:   %8.1f ms\n", a);
  std::printf("  B rtx install -j%d:   %8.1f ms\n", o.jobs, b);
  std::printf("  A/B (speed-up): %.2f\n", a / b);
  std::printf("RESULT install_j1_ms=%.1f install_j%d_ms=%.1f speedup=%.2f delay_ms=%d\n", a, o.jobs, b, a / b,
              o.delay_ms);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "rtx-bench-parallel-install: %s\n", e.what());
  return 1;
}
