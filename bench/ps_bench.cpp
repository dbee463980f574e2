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
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/prctl.h>
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
};

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

// N children holding a shared flock on `lease`, each blocked in read() on a
// pipe whose only write end is ours. The destructor closes it, kills, reaps
// (also when start() throws halfway: it is a method, not the constructor).
class Holders {
 public:
  Holders() = default;
  void start(const std::string& lease, int n) {
    int hold[2], ready[2];
    if (::pipe2(hold, O_CLOEXEC) != 0 || ::pipe2(ready, O_CLOEXEC) != 0)
      die("pipe2: " + std::string(std::strerror(errno)));
    hold_w_ = hold[1];
    std::fflush(nullptr);
    for (int i = 0; i < n && !g_stop; ++i) {
      pid_t pid = ::fork();
      if (pid < 0) {
        ::close(hold[0]);
        ::close(ready[0]);
        ::close(ready[1]);
        die("fork of holder " + std::to_string(i + 1) + " of " + std::to_string(n) + ": " + std::strerror(errno) +
            ": raise `ulimit -u` or pass a smaller --holders");
      }
      if (pid == 0) {  // the holder: syscalls only
        ::close(hold[1]);
        ::close(ready[0]);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        int fd = ::open(lease.c_str(), O_RDONLY);
        char c = fd >= 0 && ::flock(fd, LOCK_SH) == 0 ? 'R' : 'E';
        (void)!::write(ready[1], &c, 1);
        while (::read(hold[0], &c, 1) < 0 && errno == EINTR) {
        }
        ::_exit(0);
      }
      pids_.push_back(pid);
    }
    ::close(hold[0]);
    ::close(ready[1]);
    int ok = 0, bad = 0;
    char buf[256];
    while (ok + bad < int(pids_.size())) {
      ssize_t got = ::read(ready[0], buf, sizeof buf);
      if (got < 0 && errno == EINTR && !g_stop) continue;
      if (got <= 0) break;
      for (ssize_t k = 0; k < got; ++k) (buf[k] == 'R' ? ok : bad)++;
    }
    ::close(ready[0]);
    if (ok != n) die(std::to_string(ok) + " of " + std::to_string(n) + " holders took the lease");
  }
  ~Holders() {
    ::close(hold_w_);  // every holder's read() returns 0
    for (pid_t p : pids_) ::kill(p, SIGKILL);
    for (pid_t p : pids_)
      while (::waitpid(p, nullptr, 0) < 0 && errno == EINTR) {
      }
  }
  Holders(const Holders&) = delete;
  Holders& operator=(const Holders&) = delete;

 private:
  int hold_w_ = -1;
  std::vector<pid_t> pids_;
};

void raise_limit(int resource, const char* name, rlim_t want) {
  rlimit rl{};
  if (::getrlimit(resource, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want) return;
  rlim_t before = rl.rlim_cur;
  rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ? want : std::min(want, rl.rlim_max);
  if (::setrlimit(resource, &rl) != 0 || rl.rlim_cur < want)
    std::printf("note: %s is %llu (hard %llu), below the %llu wanted: forks may fail\n", name,
                (unsigned long long)before, (unsigned long long)rl.rlim_max, (unsigned long long)want);
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

int run(int argc, char** argv) {
  Options opt = parse(argc, argv);
  raise_limit(RLIMIT_NPROC, "RLIMIT_NPROC", rlim_t(opt.holders) + 256);

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

  std::vector<double> idle;
  run_ps(opt.rtx, env_empty);  // warm-up: page cache, dynamic loader
  for (int i = 0; i < opt.rounds && !g_stop; ++i) idle.push_back(run_ps(opt.rtx, env_empty).ms);

  long mem_before = mem_available_kib();
  timespec f0{}, f1{};
  ::clock_gettime(CLOCK_MONOTONIC, &f0);
  Holders holders;
  holders.start(lease, opt.holders);
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
