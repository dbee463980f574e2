// rtx-bench-shim-growth: how the shim's cost over a bare exec hop grows with
// what it may have to read (issue 11 item 2). One curve per run of --curve:
//   versions  installed versions of the tool: 1, 10, 100, 1,000, for an
//             exact spec (1.<n/2>.0, a middle one) and a fuzzy one (1)
//   index     lines in shims/.index: 10, 1,000, 10,000 (the command in the middle)
//   depth     directories from the cwd up to the config: 1, 8, 32
//   env       variables in the environment: 10, 100, 1,000 (~50 bytes each)
// Each point is its own fake store (bench/fake_store.*; baseline 20 versions,
// config 8 levels up, spec "1", index of 1 line, 6 variables) under one fresh
// /tmp dir. Every round runs, for every point, the hop (rtx-bench-exec-hop →
// tool) and the shim (and shim-B) in rotating order, so noise hits all n
// alike; each run is fork + execve, as from a shell. The cost of a point is
// the median over rounds of (shim - hop) in the same round. The growth class
// comes from least-squares fits (growth_fit.hpp).
//
//   rtx-bench-shim-growth [--curve versions|index|depth|env|all] [--seconds S]
//                         [--rounds N] [--shim PATH] [--compare PATH]
//     --seconds: the measuring time per curve (default 25; setup and the counts come on top)
//     --rounds:  a fixed number of rounds instead
//     --compare: another rtx-shim build as shim-B at every n (before/after)
//     --profile 0: skip the instruction (callgrind) and syscall (strace)
//                counts taken once per n after the timed rounds
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/fake_store.hpp"
#include "bench/growth_fit.hpp"
#include "bench/growth_profile.hpp"
#include "bench/shim_runner.hpp"

namespace {

using rtx::bench::Argv;
using rtx::bench::median_of;

struct GrowthOptions {
  std::string curve = "all";
  double seconds = 25;
  int rounds = 0;
  std::string shim;
  std::string compare;
  bool profile = true;
};

[[noreturn]] void growth_die(const std::string& msg) { throw std::runtime_error(msg); }

GrowthOptions growth_parse(int argc, char** argv) {
  GrowthOptions o;
  for (int i = 1; i < argc; i += 2) {
    std::string a = argv[i];
    if (i + 1 >= argc) growth_die(a + " needs a value (see the comment at the top of shim_growth.cpp)");
    std::string v = argv[i + 1];
    if (a == "--curve")
      o.curve = v;
    else if (a == "--seconds")
      o.seconds = std::atof(v.c_str());
    else if (a == "--rounds")
      o.rounds = std::atoi(v.c_str());
    else if (a == "--shim")
      o.shim = v;
    else if (a == "--compare")
      o.compare = v;
    else if (a == "--profile")
      o.profile = v != "0";
    else
      growth_die("unknown argument " + a + " (see the comment at the top of shim_growth.cpp)");
  }
  if (o.curve != "all" && o.curve != "versions" && o.curve != "index" && o.curve != "depth" && o.curve != "env")
    growth_die("--curve must be versions, index, depth, env or all, not " + o.curve);
  if (!o.compare.empty() && ::access(o.compare.c_str(), X_OK) != 0) growth_die(o.compare + " is not an executable");
  return o;
}

// One n of a curve: its store, environment and measured runs.
struct Point {
  std::string series;  // "exact", "fuzzy" or "" (one series)
  int n = 0;
  std::unique_ptr<rtx::bench::FakeStore> store;
  Argv envp;
  Argv hop, shim, shim_b;
  std::vector<double> hop_us, shim_us, b_us;
};

// Fillers after the store's own variables up to `total`, ~50 bytes each.
std::vector<std::string> growth_env(const rtx::bench::FakeStore& store, int total) {
  std::vector<std::string> env = store.env();
  env.push_back("PATH=/usr/local/bin:/usr/bin:/bin");
  for (int i = 0; int(env.size()) < total; ++i)
    env.push_back("BENCH_VAR_" + std::to_string(10000 + i) + "=/opt/some/where/bin:/usr/share/value-" +
                  std::to_string(i));
  return env;
}

void growth_measure(const std::string& curve, std::vector<Point>& pts, const GrowthOptions& opt) {
  const bool with_b = !opt.compare.empty();
  struct Run {
    Point* p;
    int which;  // 0 hop, 1 shim, 2 shim-B
  };
  std::vector<Run> runs;
  for (Point& p : pts)
    for (int w = 0; w < (with_b ? 3 : 2); ++w) runs.push_back({&p, w});
  const int warmup = 20;
  double start = rtx::bench::now_us();
  int measured = 0;
  for (int r = 0; !rtx::bench::g_stop; ++r) {
    if (opt.rounds > 0 ? measured >= opt.rounds : measured >= 30 && rtx::bench::now_us() - start > opt.seconds * 1e6)
      break;
    for (std::size_t k = 0; k < runs.size(); ++k) {
      Run& run = runs[(std::size_t(r) + k) % runs.size()];
      Point& p = *run.p;
      Argv& argv = run.which == 0 ? p.hop : run.which == 1 ? p.shim : p.shim_b;
      if (::chdir(p.store->project_leaf().c_str()) != 0) growth_die("chdir " + p.store->project_leaf());
      rusage ru;
      double t0 = rtx::bench::now_us();
      int st = rtx::bench::launch_wait(rtx::bench::Launch::ForkExec, argv.get(), p.envp.get(), ru);
      double t1 = rtx::bench::now_us();
      if (st != 0)
        growth_die(curve + " n=" + std::to_string(p.n) + ": " + argv.strings[0] + " exited " + std::to_string(st));
      if (r < warmup) continue;
      (run.which == 0 ? p.hop_us : run.which == 1 ? p.shim_us : p.b_us).push_back(t1 - t0);
    }
    if (r >= warmup) ++measured;
  }
  if (measured == 0) growth_die("interrupted before the first measured round");

  std::printf("%-7s %-6s %9s %9s %12s", "n", "spec", "hop us", "shim us", "shim-hop us");
  if (with_b) std::printf(" %9s %12s", "B us", "B-hop us");
  std::printf("\n");
  std::vector<std::string> series;
  for (const Point& p : pts)
    if (series.empty() || series.back() != p.series) series.push_back(p.series);
  for (const std::string& s : series) {
    std::vector<double> ns, cost, cost_b;
    double hop_med = 0;
    for (const Point& p : pts) {
      if (p.series != s) continue;
      std::vector<double> d, db;
      for (std::size_t i = 0; i < p.hop_us.size(); ++i) {
        d.push_back(p.shim_us[i] - p.hop_us[i]);
        if (with_b) db.push_back(p.b_us[i] - p.hop_us[i]);
      }
      ns.push_back(p.n);
      cost.push_back(median_of(d));
      hop_med = median_of(p.hop_us);
      std::printf("%-7d %-6s %9.1f %9.1f %12.1f", p.n, s.empty() ? "1" : s.c_str(), hop_med, median_of(p.shim_us),
                  cost.back());
      if (with_b) {
        cost_b.push_back(median_of(db));
        std::printf(" %9.1f %12.1f", median_of(p.b_us), cost_b.back());
      }
      std::printf("\n");
    }
    // A rise below 3% of a hop (~15 us here) is within the rounds' noise.
    double noise = std::max(10.0, 0.03 * hop_med);
    rtx::bench::GrowthFit f = rtx::bench::classify_growth(ns, cost, noise);
    std::string label = curve + (s.empty() ? "" : " (" + s + ")");
    std::printf("  %s: shim %s\n", label.c_str(), f.describe().c_str());
    std::printf("RESULT growth=%s%s class=%s per_item_us=%.4f", curve.c_str(), s.empty() ? "" : ("-" + s).c_str(),
                f.klass.c_str(), f.per_item);
    for (std::size_t i = 0; i < ns.size(); ++i) std::printf(" n%.0f_us=%.1f", ns[i], cost[i]);
    if (with_b) {
      rtx::bench::GrowthFit fb = rtx::bench::classify_growth(ns, cost_b, noise);
      std::printf(" b_class=%s b_per_item_us=%.4f", fb.klass.c_str(), fb.per_item);
      for (std::size_t i = 0; i < ns.size(); ++i) std::printf(" b_n%.0f_us=%.1f", ns[i], cost_b[i]);
      std::printf("\n  %s: shim-B %s", label.c_str(), fb.describe().c_str());
    }
    std::printf("\n");
  }
  std::printf("(%d rounds, fork + execve, median of the same round's shim - hop)\n", measured);
  std::fflush(stdout);
}

// Instructions (callgrind) and syscalls (strace) before execve at each n: one
// run each, deterministic, so the class holds even when the wall times are noisy.
void growth_profile(const std::string& curve, std::vector<Point>& pts, const GrowthOptions& opt,
                    const std::string& scratch) {
  std::string valgrind = rtx::bench::find_on_path("valgrind"), strace = rtx::bench::find_on_path("strace");
  if (valgrind.empty() || strace.empty()) {
    std::printf("(no valgrind or strace on PATH: no instruction and syscall counts)\n");
    return;
  }
  const bool with_b = !opt.compare.empty();
  std::printf("%-7s %-6s %9s %9s %10s %9s %9s", "n", "spec", "hop Ir", "shim Ir", "shim-hop Ir", "hop sys", "shim sys");
  if (with_b) std::printf(" %9s %9s", "B-hop Ir", "B sys");
  std::printf("\n");
  std::vector<std::string> series;
  for (const Point& p : pts)
    if (series.empty() || series.back() != p.series) series.push_back(p.series);
  for (const std::string& s : series) {
    std::vector<double> ns, ir, ir_b, sys;
    for (Point& p : pts) {
      if (p.series != s || rtx::bench::g_stop) continue;
      const std::string& cwd = p.store->project_leaf();
      long hop_ir = rtx::bench::instructions_before_exec(valgrind, p.hop, p.envp.get(), cwd, scratch);
      long shim_ir = rtx::bench::instructions_before_exec(valgrind, p.shim, p.envp.get(), cwd, scratch);
      long hop_sys = rtx::bench::syscalls_before_exec(strace, p.hop, p.envp.get(), cwd, scratch);
      long shim_sys = rtx::bench::syscalls_before_exec(strace, p.shim, p.envp.get(), cwd, scratch);
      ns.push_back(p.n);
      ir.push_back(double(shim_ir - hop_ir));
      sys.push_back(double(shim_sys));
      std::printf("%-7d %-6s %9ld %9ld %10ld %9ld %9ld", p.n, s.empty() ? "1" : s.c_str(), hop_ir, shim_ir,
                  shim_ir - hop_ir, hop_sys, shim_sys);
      if (with_b) {
        long b_ir = rtx::bench::instructions_before_exec(valgrind, p.shim_b, p.envp.get(), cwd, scratch);
        long b_sys = rtx::bench::syscalls_before_exec(strace, p.shim_b, p.envp.get(), cwd, scratch);
        ir_b.push_back(double(b_ir - hop_ir));
        std::printf(" %9ld %9ld", b_ir - hop_ir, b_sys);
      }
      std::printf("\n");
    }
    if (ns.size() < 2) return;
    std::string label = curve + (s.empty() ? "" : " (" + s + ")");
    // Instructions repeat exactly: a rise of 1% of the hop's is real.
    rtx::bench::GrowthFit fi = rtx::bench::classify_growth(ns, ir, 500);
    rtx::bench::GrowthFit fs = rtx::bench::classify_growth(ns, sys, 1.5);
    std::printf("  %s: shim instructions %s\n  %s: shim syscalls %s\n", label.c_str(), fi.describe("Ir").c_str(),
                label.c_str(), fs.describe("syscalls").c_str());
    std::printf("RESULT growth_ir=%s%s class=%s per_item_ir=%.2f syscalls_class=%s per_item_syscalls=%.4f",
                curve.c_str(), s.empty() ? "" : ("-" + s).c_str(), fi.klass.c_str(), fi.per_item, fs.klass.c_str(),
                fs.per_item);
    if (with_b) {
      rtx::bench::GrowthFit fb = rtx::bench::classify_growth(ns, ir_b, 500);
      std::printf(" b_class=%s b_per_item_ir=%.2f", fb.klass.c_str(), fb.per_item);
    }
    std::printf("\n");
  }
  std::fflush(stdout);
}

void growth_curve(const std::string& curve, const GrowthOptions& opt, const std::string& shim, const std::string& hop,
                  const std::string& target, const std::string& root) {
  struct Spec {
    std::string series;
    int n;
  };
  std::vector<Spec> specs;
  if (curve == "versions") {
    for (const char* s : {"exact", "fuzzy"})
      for (int n : {1, 10, 100, 1000}) specs.push_back({s, n});
  } else if (curve == "index") {
    for (int n : {10, 1000, 10000}) specs.push_back({"", n});
  } else if (curve == "depth") {
    for (int n : {1, 8, 32}) specs.push_back({"", n});
  } else {
    for (int n : {10, 100, 1000}) specs.push_back({"", n});
  }
  std::printf("\n== shim cost vs %s: building %zu fake stores under %s\n", curve.c_str(), specs.size(), root.c_str());
  std::fflush(stdout);
  std::vector<Point> pts(specs.size());
  for (std::size_t i = 0; i < specs.size() && !rtx::bench::g_stop; ++i) {
    Point& p = pts[i];
    p.series = specs[i].series;
    p.n = specs[i].n;
    rtx::bench::FakeStoreOptions so;
    so.target_binary = target;
    so.shim_binary = shim;
    if (curve == "versions") {
      so.versions = p.n;
      so.spec = p.series == "exact" ? "1." + std::to_string(p.n / 2) + ".0" : "1";
    } else if (curve == "index") {
      so.index_commands = p.n;
    } else if (curve == "depth") {
      so.depth = p.n;
    }
    std::string dir = root + "/" + curve + "-" + p.series + std::to_string(p.n);
    p.store = std::make_unique<rtx::bench::FakeStore>(so, dir);
    p.envp = Argv(growth_env(*p.store, curve == "env" ? p.n : 0));
    p.hop = Argv({hop, p.store->best_command_path()});
    p.shim = Argv({p.store->shim_path()});
    if (!opt.compare.empty()) {
      std::filesystem::create_directories(p.store->data_dir() + "/shims-b");
      std::string b = p.store->data_dir() + "/shims-b/" + so.command;
      std::filesystem::copy_file(opt.compare, b);
      p.shim_b = Argv({b});
    }
  }
  if (rtx::bench::g_stop) return;
  growth_measure(curve, pts, opt);
  if (opt.profile && !rtx::bench::g_stop) growth_profile(curve, pts, opt, root);
  std::error_code ec;
  for (Point& p : pts) std::filesystem::remove_all(p.store->root(), ec);
}

// The fresh root of all stores, removed on every way out.
struct GrowthRoot {
  std::string path;
  GrowthRoot() {
    char tmpl[] = "/tmp/rtx-bench-growth-XXXXXX";
    if (!::mkdtemp(tmpl)) growth_die("mkdtemp failed");
    path = tmpl;
  }
  ~GrowthRoot() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

}  // namespace

int main(int argc, char** argv) {
  try {
    GrowthOptions opt = growth_parse(argc, argv);
    std::string shim = opt.shim.empty() ? rtx::bench::beside_self("rtx-shim") : opt.shim;
    std::string hop = rtx::bench::beside_self("rtx-bench-exec-hop");
    std::string target = rtx::bench::beside_self("rtx-bench-target");
    rtx::bench::install_stop_handlers();
    GrowthRoot root;
    std::printf("rtx-bench-shim-growth: shim %s%s%s\n", shim.c_str(), opt.compare.empty() ? "" : ", shim-B ",
                opt.compare.c_str());
    for (const char* c : {"versions", "index", "depth", "env"})
      if (!rtx::bench::g_stop && (opt.curve == "all" || opt.curve == c))
        growth_curve(c, opt, shim, hop, target, root.path);
    return rtx::bench::g_stop ? 130 : 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rtx-bench-shim-growth: %s\n", e.what());
    return 1;
  }
}
