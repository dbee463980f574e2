// rtx-bench-gc-growth: what `rtx gc` costs with n RETIRED builds, each held by
// one live process (issue 11 item 2; DESIGN.md §7).
//
// Per n: a fake store (bench/fake_store.hpp) with n + 1 builds of one tool,
// the n older ones retired as `rtx upgrade` leaves them (pointer gone, state
// RETIRED, no succession log: none is kept for rollback), and n forked
// children, child i holding build i's lease with flock(LOCK_SH) as a shim
// does (bench/lease_holders.hpp). `rtx gc` finds every build busy, names its
// holder and hands it to a detached waiter (`rtx __reap-wait`, at most one per
// build: the first, untimed, run starts them, later runs' waiters find the
// build taken and exit). Each round runs `rtx gc` on that store and on a store
// with nothing to reap (the base: same /proc, same process start), interleaved;
// wall time of spawn + wait, medians. Every timed run must exit 0 and print
// one "pending" line per build. At the end every build is made READY (as a
// rollback would), so the waiters let go of it within 250 ms (reaping 1,000
// builds, each with its own /proc safety net, would take far longer), and the
// store goes once no waiter lock is held (≤ 10 s).
//
//   rtx-bench-gc-growth [--sizes 10,100,1000] [--rounds 7] [--rtx PATH] [--compare OLD]
//     (rounds: at most 3 from n = 1000, so the default run stays short)
//     --compare OLD: another rtx binary timed in the same rounds (before/after)
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench/fake_store.hpp"
#include "bench/flags.hpp"
#include "bench/growth.hpp"
#include "bench/lease_holders.hpp"
#include "bench/whole_process.hpp"
#include "resolver/store_layout.hpp"

namespace {

namespace fs = std::filesystem;

volatile sig_atomic_t g_gc_stop = 0;
void gc_on_signal(int) { g_gc_stop = 1; }

struct Options {
  std::vector<int> sizes{10, 100, 1000};
  int rounds = 7;
  std::string rtx;
  std::string compare;
};

Options parse(int argc, char** argv) {
  Options o;
  rtx::bench::parse_flags(argc, argv, "gc_growth_bench.cpp", [&o](const std::string& a, const std::string& v) {
    if (a == "--sizes")
      o.sizes = rtx::bench::parse_sizes(v);
    else if (a == "--rounds")
      o.rounds = std::atoi(v.c_str());
    else if (a == "--rtx")
      o.rtx = v;
    else if (a == "--compare")
      o.compare = v;
    else
      return false;
    return true;
  });
  if (o.rounds < 1) throw std::runtime_error("--rounds must be ≥ 1");
  if (o.rtx.empty()) o.rtx = fs::read_symlink("/proc/self/exe").parent_path().string() + "/rtx";
  if (::access(o.rtx.c_str(), X_OK) != 0)
    throw std::runtime_error(o.rtx + " is missing: build it (cmake --build … --target rtx) or pass --rtx");
  return o;
}

// Builds 0 … n-1 of `store` RETIRED as `rtx upgrade` leaves them; their leases.
std::vector<std::string> retire_all_but_newest(const rtx::bench::FakeStore& store, int n) {
  const auto& so = store.options();
  rtx::resolver::StoreLayout layout{store.data_dir()};
  std::vector<std::string> leases;
  for (int i = 0; i < n; ++i) {
    fs::remove(layout.pointer_path(so.tool, "1." + std::to_string(i) + ".0"));
    std::string entry = layout.entry_path(so.tool, rtx::bench::entry_name(i));
    std::FILE* f = std::fopen(rtx::resolver::state_path(entry).c_str(), "w");
    if (!f || std::fputs("RETIRED\n", f) < 0 || std::fclose(f) != 0) throw std::runtime_error("cannot retire " + entry);
    leases.push_back(rtx::resolver::lease_path(entry));
  }
  return leases;
}

int count_lines_starting(const std::string& text, const std::string& prefix) {
  int n = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    if (text.compare(pos, prefix.size(), prefix) == 0) ++n;
    std::size_t end = text.find('\n', pos);
    pos = end == std::string::npos ? text.size() : end + 1;
  }
  return n;
}

// Waiter locks (`locks/<tool>@<entry>.waiter`) some process still holds.
int waiters_left(const rtx::bench::FakeStore& store) {
  int n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(store.data_dir() + "/locks", ec)) {
    if (e.path().extension() != ".waiter") continue;
    int fd = ::open(e.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) != 0) ++n;
    if (fd >= 0) ::close(fd);
  }
  return n;
}

// Every build READY again: the waiters drop them (DESIGN.md §7: a build no
// longer RETIRED is not theirs) and exit.
void release_waiters(const rtx::bench::FakeStore& store, int n) {
  rtx::resolver::StoreLayout layout{store.data_dir()};
  for (int i = 0; i < n; ++i) {
    std::string state = rtx::resolver::state_path(layout.entry_path(store.options().tool, rtx::bench::entry_name(i)));
    std::FILE* f = std::fopen(state.c_str(), "w");
    if (f) std::fputs("READY\n", f);
    if (f) std::fclose(f);
  }
  int left = 0;
  for (int waited = 0; (left = waiters_left(store)) > 0 && waited < 1000; ++waited)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (left > 0) std::printf("note: %d waiter locks still held after 10 s\n", left);
}

struct Timed {
  double ms = 0;
  int pending = 0;
};

Timed run_gc(const std::string& rtx, const rtx::bench::FakeStore& store) {
  std::vector<std::string> env = store.env();
  env.push_back("PATH=/usr/bin:/bin");
  double t0 = rtx::bench::now_ms();
  auto r = rtx::bench::run_process({rtx, "gc"}, env, store.root() + "/gc.log");
  double ms = rtx::bench::now_ms() - t0;
  if (r.status != 0) throw std::runtime_error("rtx gc failed (status " + std::to_string(r.status) + "):\n" + r.output);
  return {ms, count_lines_starting(r.output, "pending ")};
}

int run(int argc, char** argv) {
  Options opt = parse(argc, argv);
  int biggest = 0;
  for (int n : opt.sizes) biggest = std::max(biggest, n);
  // Holders, then as many waiters, plus the threads of the processes around.
  rtx::bench::raise_soft_limit(RLIMIT_NPROC, "RLIMIT_NPROC", rlim_t(2 * biggest) + 512);

  rtx::bench::FakeStoreOptions base_opts;
  base_opts.versions = 1;
  rtx::bench::FakeStore base(base_opts);

  std::vector<rtx::bench::GrowthPoint> points, old_points;
  bool rows_ok = true;
  std::printf(
      "rtx gc vs RETIRED builds with one live holder each, medians of wall time (spawn + wait), interleaved\n"
      "with `rtx gc` on a store with nothing to reap (base):\n");
  for (int n : opt.sizes) {
    if (g_gc_stop) break;
    rtx::bench::FakeStoreOptions so;
    so.versions = n + 1;
    rtx::bench::FakeStore store(so);
    auto leases = retire_all_but_newest(store, n);
    rtx::bench::LeaseHolders holders;
    holders.start(leases, n, &g_gc_stop);

    const int rounds = std::min(opt.rounds, n >= 1000 ? 3 : opt.rounds);
    double t0 = rtx::bench::now_ms();
    Timed first = run_gc(opt.rtx, store);  // untimed: starts the waiters
    run_gc(opt.rtx, base);
    if (!opt.compare.empty()) run_gc(opt.compare, store);
    std::vector<double> a, b, c;
    for (int i = 0; i < rounds && !g_gc_stop; ++i) {
      Timed ta = run_gc(opt.rtx, store);
      a.push_back(ta.ms);
      b.push_back(run_gc(opt.rtx, base).ms);
      rows_ok = rows_ok && ta.pending == n;
      if (opt.compare.empty()) continue;
      Timed tc = run_gc(opt.compare, store);
      c.push_back(tc.ms);
      rows_ok = rows_ok && tc.pending == n;
    }
    rows_ok = rows_ok && first.pending == n;
    if (a.empty()) throw std::runtime_error("interrupted");
    points.push_back({double(n), rtx::bench::median(a), rtx::bench::median(b)});
    if (!c.empty()) old_points.push_back({double(n), rtx::bench::median(c), rtx::bench::median(b)});
    std::printf("  n=%d: %d rounds (first run, which starts the waiters: %.1f ms); phase %.1f s\n", n, rounds, first.ms,
                (rtx::bench::now_ms() - t0) / 1e3);
    std::fflush(stdout);

    release_waiters(store, n);
    holders.stop();
  }
  std::printf("%s:\n", opt.rtx.c_str());
  rtx::bench::print_growth("builds", "ms", points, "gc_growth_ms");
  if (!old_points.empty()) {
    std::printf("%s (--compare, same rounds):\n", opt.compare.c_str());
    rtx::bench::print_growth("builds", "ms", old_points, "gc_growth_compare_ms");
  }
  std::printf("pending lines check: %s\n", rows_ok ? "ok" : "FAILED");
  return rows_ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  struct sigaction sa {};
  sa.sa_handler = gc_on_signal;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rtx-bench-gc-growth: %s\n", e.what());
    return 1;
  }
}
