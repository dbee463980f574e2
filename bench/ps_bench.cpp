// rtx-bench-ps: what `rtx ps --json` costs with N live lease holders
// (target: N = 1000 in ≤ 50 ms; DESIGN.md §7, manager/store/lease_scan.hpp).
//
// Two fake stores (bench/fake_store.hpp: one READY build each, laid out as
// DESIGN.md §2). N forked children each open store A's lease O_RDONLY, take
// flock(LOCK_SH) as a shim does, and block on a pipe read; store B has no
// holder. Then R interleaved rounds (A B A B …) of `rtx ps --json` with
// RTX_DATA_DIR on A (N rows) and on B (0 rows: the same /proc walk, nothing to
// report). Wall time of spawn + reading the output + wait, medians. Before the
// children exist, B is also timed R times as an idle reference. The children
// die when the pipe closes (the bench ends or dies), and are killed and reaped
// at the end.
//
//   rtx-bench-ps [--holders N] [--rounds R] [--rtx PATH] [--retired 1]
//     --retired 1: each store also has an older RETIRED build (as after an
//     upgrade with keep_previous = 1), so every run adds the /proc safety net
//     (exe, cwd, maps of every process) for it
//   rtx-bench-ps --growth 100,1000,10000: the growth table instead (issue 11
//     item 2): per n, n holders, ps on A and B interleaved (11 rounds; 7 from
//     n = 1000, 3 from n = 5000), the cost above B per holder and the growth class
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/fake_store.hpp"
#include "bench/flags.hpp"
#include "bench/growth.hpp"
#include "bench/lease_holders.hpp"
#include "bench/whole_process.hpp"
#include "resolver/store_layout.hpp"

namespace {

volatile sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

[[noreturn]] void die(const std::string& msg) { throw std::runtime_error(msg); }

struct Options {
  int holders = 1000;
  int rounds = 21;
  std::string rtx;
  bool retired = false;
  std::vector<int> growth;  // --growth: holder counts for the growth table
};

int max_growth(const Options& o) { return o.growth.empty() ? 0 : *std::max_element(o.growth.begin(), o.growth.end()); }

Options parse(int argc, char** argv) {
  Options o;
  rtx::bench::parse_flags(argc, argv, "ps_bench.cpp", [&o](const std::string& a, const std::string& v) {
    if (a == "--holders")
      o.holders = std::atoi(v.c_str());
    else if (a == "--rounds")
      o.rounds = std::atoi(v.c_str());
    else if (a == "--rtx")
      o.rtx = v;
    else if (a == "--retired")
      o.retired = v == "1";
    else if (a == "--growth")
      o.growth = rtx::bench::parse_sizes(v);
    else
      return false;
    return true;
  });
  if (o.holders < 0 || o.rounds < 1) die("--holders must be ≥ 0 and --rounds ≥ 1");
  if (o.rtx.empty()) o.rtx = std::filesystem::read_symlink("/proc/self/exe").parent_path().string() + "/rtx";
  if (::access(o.rtx.c_str(), X_OK) != 0)
    die(o.rtx + " is missing: build it (cmake --build … --target rtx) or pass --rtx");
  return o;
}

long mem_available_kib() {
  FILE* f = std::fopen("/proc/meminfo", "r");
  long kib = -1;
  char line[256];
  while (f && std::fgets(line, sizeof line, f))
    if (std::sscanf(line, "MemAvailable: %ld kB", &kib) == 1) break;
  if (f) std::fclose(f);
  return kib;
}

struct Run {
  double ms = 0;
  int rows = 0;  // occurrences of "pid"
};

// `rtx ps --json` with `env`; the time covers spawn, reading stdout, and wait.
Run run_ps(const std::string& rtx, const std::vector<std::string>& env_strings) {
  std::vector<char*> env, argv;
  for (const auto& s : env_strings) env.push_back(const_cast<char*>(s.c_str()));
  env.push_back(nullptr);
  std::string a0 = rtx, a1 = "ps", a2 = "--json";
  argv = {a0.data(), a1.data(), a2.data(), nullptr};
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) die("pipe2: " + std::string(std::strerror(errno)));
  posix_spawn_file_actions_t fa;
  ::posix_spawn_file_actions_init(&fa);
  ::posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
  timespec t0{}, t1{};
  ::clock_gettime(CLOCK_MONOTONIC, &t0);
  pid_t pid;
  int err = ::posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), env.data());
  ::posix_spawn_file_actions_destroy(&fa);
  ::close(out[1]);
  if (err != 0) {
    ::close(out[0]);
    die("posix_spawn " + rtx + ": " + std::strerror(err));
  }
  std::string text;
  char buf[65536];
  for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    text.append(buf, std::size_t(n));
  }
  ::close(out[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ::clock_gettime(CLOCK_MONOTONIC, &t1);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    die("rtx ps --json failed (status " + std::to_string(status) + ")");
  Run r;
  r.ms = double(t1.tv_sec - t0.tv_sec) * 1e3 + double(t1.tv_nsec - t0.tv_nsec) / 1e6;
  for (std::size_t p = 0; (p = text.find("\"pid\"", p)) != std::string::npos; p += 5) ++r.rows;
  return r;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::vector<std::string> env_for(const rtx::bench::FakeStore& store) {
  std::vector<std::string> env = store.env();
  env.push_back("PATH=/usr/bin:/bin");
  return env;
}

// --growth: for each n, n holders of store A's lease; `rtx ps --json` on A
// (n rows) and on B (0 rows, the same /proc) interleaved; the holders go
// before the next n. Fewer rounds at large n, so the default run stays short.
int run_growth(const Options& opt, const std::string& lease, const std::vector<std::string>& env_held,
               const std::vector<std::string>& env_empty) {
  std::vector<rtx::bench::GrowthPoint> points;
  bool rows_ok = true;
  std::printf(
      "rtx ps --json vs live lease holders, medians of wall time (spawn + read + wait), interleaved with an\n"
      "empty store (base: same /proc, 0 rows)%s:\n",
      opt.retired ? ", with a RETIRED build (safety net on)" : "");
  for (int n : opt.growth) {
    if (g_stop) break;
    const double f0 = rtx::bench::now_ms();
    rtx::bench::LeaseHolders holders;
    holders.start({lease}, n, &g_stop);
    std::printf("  n=%d: holders forked in %.1f s\n", n, (rtx::bench::now_ms() - f0) / 1e3);
    const int rounds = std::min(opt.rounds, n >= 5000 ? 3 : n >= 1000 ? 7 : 11);
    const double t0 = rtx::bench::now_ms();
    std::vector<double> a, b;
    run_ps(opt.rtx, env_held);
    for (int i = 0; i < rounds && !g_stop; ++i) {
      Run ra = run_ps(opt.rtx, env_held), rb = run_ps(opt.rtx, env_empty);
      a.push_back(ra.ms);
      b.push_back(rb.ms);
      rows_ok = rows_ok && ra.rows == n && rb.rows == 0;
    }
    if (a.empty()) die("interrupted");
    points.push_back({double(n), median(a), median(b)});
    std::printf("  n=%d: %d rounds, %.1f s\n", n, rounds, (rtx::bench::now_ms() - t0) / 1e3);
    std::fflush(stdout);
  }
  rtx::bench::print_growth("holders", "ms", points, opt.retired ? "ps_growth_retired_ms" : "ps_growth_ms");
  std::printf("rows check: %s\n", rows_ok ? "ok" : "FAILED");
  return rows_ok ? 0 : 1;
}

int run(int argc, char** argv) {
  Options opt = parse(argc, argv);
  rtx::bench::raise_soft_limit(RLIMIT_NPROC, "RLIMIT_NPROC", rlim_t(std::max(opt.holders, max_growth(opt))) + 256);

  rtx::bench::FakeStoreOptions so;
  so.versions = opt.retired ? 2 : 1;  // the holders take the newest
  rtx::bench::FakeStore held(so), empty(so);
  if (opt.retired)
    for (const auto* store : {&held, &empty}) {  // retired as `rtx upgrade` does: pointer gone, then RETIRED
      rtx::resolver::StoreLayout layout{store->data_dir()};
      std::filesystem::remove(layout.pointer_path(so.tool, "1.0.0"));
      std::FILE* f =
          std::fopen(rtx::resolver::state_path(layout.entry_path(so.tool, rtx::bench::entry_name(0))).c_str(), "w");
      if (!f || std::fputs("RETIRED\n", f) < 0 || std::fclose(f) != 0) die("cannot retire the older build");
    }
  const std::string lease = held.best_entry_path() + ".lease";
  const auto env_held = env_for(held), env_empty = env_for(empty);
  if (!opt.growth.empty()) return run_growth(opt, lease, env_held, env_empty);

  std::vector<double> idle;
  run_ps(opt.rtx, env_empty);  // warm-up: page cache, dynamic loader
  for (int i = 0; i < opt.rounds && !g_stop; ++i) idle.push_back(run_ps(opt.rtx, env_empty).ms);

  long mem_before = mem_available_kib();
  timespec f0{}, f1{};
  ::clock_gettime(CLOCK_MONOTONIC, &f0);
  rtx::bench::LeaseHolders holders;
  holders.start({lease}, opt.holders, &g_stop);
  ::clock_gettime(CLOCK_MONOTONIC, &f1);
  std::printf("%d holders forked and locked in %.0f ms; MemAvailable fell by %ld MiB (noisy)\n", opt.holders,
              double(f1.tv_sec - f0.tv_sec) * 1e3 + double(f1.tv_nsec - f0.tv_nsec) / 1e6,
              (mem_before - mem_available_kib()) / 1024);

  std::vector<double> a, b;
  int rows_a = -1, rows_b = -1;
  bool rows_ok = true;
  run_ps(opt.rtx, env_held);
  for (int i = 0; i < opt.rounds && !g_stop; ++i) {
    Run ra = run_ps(opt.rtx, env_held), rb = run_ps(opt.rtx, env_empty);
    a.push_back(ra.ms);
    b.push_back(rb.ms);
    rows_ok = rows_ok && ra.rows == opt.holders && rb.rows == 0;
    rows_a = ra.rows;
    rows_b = rb.rows;
  }
  if (a.empty() || idle.empty()) die("interrupted");

  double ma = median(a), mb = median(b);
  std::printf("rtx ps --json, %d rounds, medians of wall time (spawn + read + wait)%s:\n", int(a.size()),
              opt.retired ? ", with a RETIRED build (safety net on)" : "");
  std::printf("  %5d holders   %8.2f ms   (min %.2f, max %.2f)\n", opt.holders, ma,
              *std::min_element(a.begin(), a.end()), *std::max_element(a.begin(), a.end()));
  std::printf("      0 holders   %8.2f ms   (same /proc, nothing to report; interleaved)\n", mb);
  std::printf("  no children     %8.2f ms   (before the fork, for reference)\n", median(idle));
  std::printf("  ratio %d/0 = %.2f\n", opt.holders, mb > 0 ? ma / mb : 0.0);
  std::printf("rows check: %s (last run: %d rows with holders, expected %d; %d without, expected 0)\n",
              rows_ok ? "ok" : "FAILED", rows_a, opt.holders, rows_b);
  const char* tag = opt.retired ? "_retired" : "";
  std::printf("RESULT ps_%d%s_ms=%.2f ps_0%s_ms=%.2f\n", opt.holders, tag, ma, tag, mb);
  return rows_ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rtx-bench-ps: %s\n", e.what());
    return 1;
  }
}
