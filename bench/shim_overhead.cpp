// rtx-bench-shim: what a shim costs over running the tool directly (DESIGN.md §5
// budget: "one exec hop plus a few microseconds").
//
// Interleaved rounds, each running every variant once in rotating order, so
// drift and noise on the 2 shared cores hit all variants alike:
//   direct      the tool by its store path
//   hop         rtx-bench-exec-hop → tool (the price of one bare exec)
//   shim        shims/<cmd> → rtx-shim → tool (fresh resolution)
//   shim+pin    the same with the ancestor's pin in the environment (§5 step 2)
// Wall time per posix_spawn + wait4 (CLOCK_MONOTONIC), medians reported.
// Peak RSS through rtx-rss-probe (see rss_probe.c for why not from here).
//
//   rtx-bench-shim [--rounds N] [--warmup N] [--rss-runs N] [--shim PATH] [--compare PATH]
//     --compare: a second rtx-shim build (say, with a proposed change) as one
//     more variant "shim-B" in the same interleaved rounds
//   rtx-bench-shim --setup-only DIR     make the fake store in DIR, print its paths
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/fake_store.hpp"
#include "resolver/pin.hpp"

extern char** environ;

namespace {

// Ctrl-C ends the rounds early, so the temp store is still removed.
volatile sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

struct Options {
  int rounds = 2000;
  int warmup = 100;
  int rss_runs = 15;
  std::string shim;
  std::string compare;
  std::string setup_only;
};

// Thrown, not exit(): the temp store's destructor must run.
[[noreturn]] void die(const std::string& msg) { throw std::runtime_error(msg); }

std::string self_dir() { return std::filesystem::read_symlink("/proc/self/exe").parent_path().string(); }

std::string beside_self(const char* name) {
  std::string p = self_dir() + "/" + name;
  if (::access(p.c_str(), X_OK) != 0) die(p + " is missing: build it (cmake --build … --target " + name + ")");
  return p;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--rounds")
      o.rounds = std::atoi(value().c_str());
    else if (a == "--warmup")
      o.warmup = std::atoi(value().c_str());
    else if (a == "--rss-runs")
      o.rss_runs = std::atoi(value().c_str());
    else if (a == "--shim")
      o.shim = value();
    else if (a == "--compare")
      o.compare = value();
    else if (a == "--setup-only")
      o.setup_only = value();
    else
      die("unknown argument " + a + " (see the comment at the top of shim_overhead.cpp)");
  }
  if (o.rounds < 1 || o.rss_runs < 1) die("--rounds and --rss-runs must be at least 1");
  return o;
}

// A NULL-terminated char* array over owned strings (pointers taken on get():
// moving a vector of short strings moves their bytes).
struct Argv {
  std::vector<std::string> strings;
  std::vector<char*> ptrs;
  explicit Argv(std::vector<std::string> s) : strings(std::move(s)) {}
  char** get() {
    ptrs.clear();
    for (auto& x : strings) ptrs.push_back(x.data());
    ptrs.push_back(nullptr);
    return ptrs.data();
  }
};

struct Variant {
  Variant(const char* n, std::vector<std::string> args, Argv* env) : name(n), argv(std::move(args)), envp(env) {}
  const char* name;
  Argv argv;
  Argv* envp;
  std::vector<double> us;
  std::vector<long> minflt;  // minor page faults per run
  long rss_kib = 0;          // through the probe (median)
  long naive_kib = 0;        // ru_maxrss as seen from this process (inflated, for comparison)
};

double now_us() {
  timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) * 1e6 + double(ts.tv_nsec) / 1e3;
}

// Spawns, waits; returns the exit status (or 128+signal) and fills rusage.
int spawn_wait(char** argv, char** envp, rusage& ru, posix_spawn_file_actions_t* fa = nullptr) {
  pid_t pid;
  if (int err = ::posix_spawn(&pid, argv[0], fa, nullptr, argv, envp); err != 0)
    die(std::string("posix_spawn ") + argv[0] + ": " + std::strerror(err));
  int status = 0;
  while (::wait4(pid, &status, 0, &ru) < 0)
    if (errno != EINTR) die("wait4: " + std::string(std::strerror(errno)));
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

template <typename T>
T median(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::size_t(p * double(v.size() - 1))];
}

// One run of the probe: its "maxrss_kib=N status=S floor_kib=F" line.
void probe_rss(const std::string& probe, Variant& v, long& rss, long& floor_kib) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) die("pipe2");
  posix_spawn_file_actions_t fa;
  ::posix_spawn_file_actions_init(&fa);
  ::posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
  std::vector<std::string> args{probe};
  for (char** a = v.argv.get(); *a; ++a) args.emplace_back(*a);
  Argv argv(std::move(args));
  rusage ru;
  pid_t pid;
  if (int err = ::posix_spawn(&pid, argv.get()[0], &fa, nullptr, argv.get(), v.envp->get()); err != 0)
    die("posix_spawn probe: " + std::string(std::strerror(err)));
  ::close(fds[1]);
  char buf[256] = {};
  ssize_t n = 0, got = 0;
  while ((n = ::read(fds[0], buf + got, sizeof buf - 1 - std::size_t(got))) > 0) got += n;
  ::close(fds[0]);
  ::posix_spawn_file_actions_destroy(&fa);
  int status = 0;
  ::wait4(pid, &status, 0, &ru);
  int child_status = -1;
  if (std::sscanf(buf, "maxrss_kib=%ld status=%d floor_kib=%ld", &rss, &child_status, &floor_kib) != 3 ||
      child_status != 0)
    die(std::string("probe of ") + v.name + " failed: '" + buf + "'");
}

void print_setup(const rtx::bench::FakeStore& store, const std::string& hop) {
  for (const std::string& kv : store.env()) std::printf("export %s\n", kv.c_str());
  std::printf("SHIM=%s\nTARGET=%s\nHOP=%s\nPROJECT=%s\nSHIM_LINK='%s'\n", store.shim_path().c_str(),
              store.best_command_path().c_str(), hop.c_str(), store.project_leaf().c_str(),
              store.shim_link_kind().c_str());
}

}  // namespace

int run(int argc, char** argv) {
  Options opt = parse(argc, argv);
  std::string shim = opt.shim.empty() ? beside_self("rtx-shim") : opt.shim;
  if (::access(shim.c_str(), X_OK) != 0) die(shim + " is not an executable: pass the built rtx-shim with --shim");
  std::string hop = beside_self("rtx-bench-exec-hop");
  std::string target = beside_self("rtx-bench-target");

  rtx::bench::FakeStoreOptions so;
  so.target_binary = target;
  so.shim_binary = shim;
  if (!opt.setup_only.empty()) {
    rtx::bench::FakeStore store(so, opt.setup_only);  // not owned: left in place
    print_setup(store, hop);
    return 0;
  }
  std::string probe = beside_self("rtx-rss-probe");

  rtx::bench::FakeStore store(so);
  if (::chdir(store.project_leaf().c_str()) != 0) die("chdir " + store.project_leaf());

  std::vector<std::string> env = store.env();
  env.push_back("PATH=/usr/local/bin:/usr/bin:/bin");
  Argv envp(env);
  env.push_back(rtx::resolver::pin_env_var(so.tool) + "=" +
                rtx::resolver::encode_pin({so.tool, so.spec, store.best_entry_path()}));
  Argv envp_pinned(env);

  std::string tool = store.best_command_path();
  std::vector<Variant> vs;
  vs.reserve(5);
  vs.emplace_back("direct", std::vector<std::string>{tool}, &envp);
  vs.emplace_back("hop", std::vector<std::string>{hop, tool}, &envp);
  vs.emplace_back("shim", std::vector<std::string>{store.shim_path()}, &envp);
  vs.emplace_back("shim+pin", std::vector<std::string>{store.shim_path()}, &envp_pinned);
  if (!opt.compare.empty()) {
    // Named like the shim (argv[0] picks the command), in a sibling of shims/.
    std::string b = store.data_dir() + "/shims-b/" + so.command;
    std::filesystem::create_directories(store.data_dir() + "/shims-b");
    std::filesystem::copy_file(opt.compare, b);
    vs.emplace_back("shim-B", std::vector<std::string>{b}, &envp);
  }

  std::printf("rtx-bench-shim: store %s, shim %s (%s), %d rounds + %d warm-up, order rotating\n", store.root().c_str(),
              shim.c_str(), store.shim_link_kind().c_str(), opt.rounds, opt.warmup);
  std::fflush(stdout);

  std::vector<long> naive(vs.size(), 0);
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  for (int r = 0; r < opt.warmup + opt.rounds && !g_stop; ++r) {
    for (std::size_t k = 0; k < vs.size(); ++k) {
      Variant& v = vs[(std::size_t(r) + k) % vs.size()];
      rusage ru;
      char** args = v.argv.get();
      char** envs = v.envp->get();
      double t0 = now_us();
      int st = spawn_wait(args, envs, ru);
      double t1 = now_us();
      if (st != 0) die(std::string(v.name) + " exited " + std::to_string(st));
      if (r >= opt.warmup) {
        v.us.push_back(t1 - t0);
        v.minflt.push_back(ru.ru_minflt);
      }
      v.naive_kib = std::max(v.naive_kib, ru.ru_maxrss);
    }
  }

  if (vs[0].us.empty()) die("interrupted before the first measured round");
  long floor_kib = 0;
  for (int i = 0; i < opt.rss_runs && !g_stop; ++i) {
    for (Variant& v : vs) {
      long rss = 0, fl = 0;
      probe_rss(probe, v, rss, fl);
      v.rss_kib = std::max(v.rss_kib, rss);  // the peak over runs: RSS is a budget
      floor_kib = std::max(floor_kib, fl);
    }
  }
  rusage self;
  ::getrusage(RUSAGE_SELF, &self);

  std::printf("\n%-9s %11s %9s %9s %14s %8s\n", "variant", "median us", "p10 us", "p90 us", "peak RSS KiB", "minflt");
  for (const Variant& v : vs)
    std::printf("%-9s %11.1f %9.1f %9.1f %14ld %8ld\n", v.name, median(v.us), percentile(v.us, 0.1),
                percentile(v.us, 0.9), v.rss_kib, median(v.minflt));

  double direct = median(vs[0].us), hop_us = median(vs[1].us), shim_us = median(vs[2].us), pinned = median(vs[3].us);
  double hop_over = hop_us - direct, shim_over = shim_us - direct, pinned_over = pinned - direct;
  // Paired: the same round's difference, robust to drift between rounds.
  std::vector<double> d_hop, d_shim;
  for (std::size_t i = 0; i < vs[0].us.size(); ++i) {
    d_hop.push_back(vs[1].us[i] - vs[0].us[i]);
    d_shim.push_back(vs[2].us[i] - vs[0].us[i]);
  }
  double ratio = hop_over > 0 ? shim_over / hop_over : 0;
  std::printf("\nhop overhead       %8.1f us  (hop - direct; paired median %.1f)\n", hop_over, median(d_hop));
  std::printf("shim overhead      %8.1f us  (shim - direct; paired median %.1f)\n", shim_over, median(d_shim));
  std::printf("shim+pin overhead  %8.1f us\n", pinned_over);
  if (vs.size() > 4) {
    std::vector<double> d_b;
    for (std::size_t i = 0; i < vs[2].us.size(); ++i) d_b.push_back(vs[4].us[i] - vs[2].us[i]);
    std::printf("shim-B overhead    %8.1f us  (shim-B - shim: paired median %.1f us; RSS %ld vs %ld KiB)\n",
                median(vs[4].us) - direct, median(d_b), vs[4].rss_kib, vs[2].rss_kib);
  }
  std::printf("shim / hop overhead %7.2f     (target <= 1.3): %s\n", ratio, ratio <= 1.3 ? "within" : "OVER");
  std::printf("shim peak RSS      %8ld KiB (target <= 2048): %s; the tool alone %ld KiB, probe floor %ld KiB\n",
              vs[2].rss_kib, vs[2].rss_kib <= 2048 ? "within" : "OVER", vs[0].rss_kib, floor_kib);
  std::printf("(ru_maxrss as seen from this %ld KiB process: direct %ld, shim %ld KiB: inflated by the parent)\n",
              self.ru_maxrss, vs[0].naive_kib, vs[2].naive_kib);
  std::printf(
      "RESULT direct_us=%.1f hop_us=%.1f shim_us=%.1f shim_pinned_us=%.1f hop_overhead_us=%.1f "
      "shim_overhead_us=%.1f ratio=%.2f shim_rss_kib=%ld hop_rss_kib=%ld target_rss_kib=%ld shim_minflt=%ld "
      "direct_minflt=%ld rounds=%d\n",
      direct, hop_us, shim_us, pinned, hop_over, shim_over, ratio, vs[2].rss_kib, vs[1].rss_kib, vs[0].rss_kib,
      median(vs[2].minflt), median(vs[0].minflt), opt.rounds);
  return 0;
}

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rtx-bench-shim: %s\n", e.what());
    return 1;
  }
}
