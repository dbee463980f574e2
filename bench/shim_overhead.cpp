// rtx-bench-shim: what a shim costs over running the tool directly (DESIGN.md §5
// budget: "one exec hop plus a few microseconds").
//
// Interleaved rounds, each running every variant once in rotating order, so
// drift and noise on the 2 shared cores hit all variants alike:
//   direct      the tool by its store path
//   hop         rtx-bench-exec-hop → tool (the price of one bare exec)
//   shim        shims/<cmd> → rtx-shim → tool (fresh resolution)
//   shim+pin    the same with the ancestor's pin in the environment (§5 step 2)
//   shim-B      (--compare PATH) another rtx-shim build, same setup
// Wall time per launch + wait4 (CLOCK_MONOTONIC), medians reported. Peak RSS
// through rtx-rss-probe (see rss_probe.c for why not from here).
//
// Two setups, both run by default, one after the other:
//   fake store  (bench/fake_store.*) 20 versions, config 8 levels up, 6
//               variables, each run by posix_spawn (the historical figure)
//   realistic   (bench/realistic_setup.*) the tool installed by the real
//               `rtx install` through an asdf plugin, `rtx reshim`, config 6
//               levels up, ~/.tool-versions and the global config present,
//               45 login-shell variables, each run by fork + execve from this
//               process with that environment (what a shell does)
//
//   rtx-bench-shim [--fake | --realistic] [--rounds N] [--warmup N] [--rss-runs N]
//                  [--shim PATH] [--compare PATH]
//   rtx-bench-shim [--realistic] --setup-only DIR   make the setup in DIR, print
//                  its paths as shell assignments (the fake store: exports; the
//                  realistic one: RUN_ENV=(…) to run with `env -i`)
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/fake_store.hpp"
#include "bench/realistic_setup.hpp"
#include "bench/shim_runner.hpp"
#include "resolver/pin.hpp"

extern char** environ;

namespace {

using rtx::bench::Argv;
using rtx::bench::Launch;
using rtx::bench::median_of;
using rtx::bench::percentile_of;

struct Options {
  bool fake = true;
  bool realistic = true;
  int rounds = 2000;
  int warmup = 100;
  int rss_runs = 15;
  std::string shim;
  std::string compare;
  std::string setup_only;
};

// Thrown, not exit(): the temp roots' destructors must run.
[[noreturn]] void die(const std::string& msg) { throw std::runtime_error(msg); }

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--fake")
      o.realistic = false, o.fake = true;
    else if (a == "--realistic")
      o.fake = false, o.realistic = true;
    else if (a == "--rounds")
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
  if (!o.compare.empty() && ::access(o.compare.c_str(), X_OK) != 0)
    die(o.compare + " (--compare) is not an executable");
  return o;
}

// One setup, made by either store, measured the same way.
struct Scenario {
  std::string mode;  // "fake" or "realistic", in the RESULT line
  std::string description;
  Launch launch = Launch::PosixSpawn;
  std::string cwd;
  std::string tool;    // the command in the store
  std::string shim;    // shims/<cmd>
  std::string shim_b;  // the --compare build under the same command name, or empty
  std::vector<std::string> env;
  std::string pin;  // NAME=VALUE of the ancestor's pin
};

struct Variant {
  Variant(const char* n, std::vector<std::string> args, Argv* env) : name(n), argv(std::move(args)), envp(env) {}
  const char* name;
  Argv argv;
  Argv* envp;
  std::vector<double> us;
  std::vector<long> minflt;  // minor page faults per run
  std::vector<double> cpu;   // the child's user + system time per run (exact: sum_exec_runtime)
  long rss_kib = 0;          // through the probe (the peak over runs: RSS is a budget)
};

void measure(const Scenario& sc, const Options& opt, const std::string& hop, const std::string& probe) {
  if (::chdir(sc.cwd.c_str()) != 0) die("chdir " + sc.cwd);
  Argv envp(sc.env);
  std::vector<std::string> pinned = sc.env;
  pinned.push_back(sc.pin);
  Argv envp_pinned(pinned);

  std::vector<Variant> vs;
  vs.reserve(5);
  vs.emplace_back("direct", std::vector<std::string>{sc.tool}, &envp);
  vs.emplace_back("hop", std::vector<std::string>{hop, sc.tool}, &envp);
  vs.emplace_back("shim", std::vector<std::string>{sc.shim}, &envp);
  vs.emplace_back("shim+pin", std::vector<std::string>{sc.shim}, &envp_pinned);
  if (!sc.shim_b.empty()) vs.emplace_back("shim-B", std::vector<std::string>{sc.shim_b}, &envp);

  std::printf("\n== %s: %s\n   %zu variables, cwd %s, each run by %s, %d rounds + %d warm-up, order rotating\n",
              sc.mode.c_str(), sc.description.c_str(), sc.env.size(), sc.cwd.c_str(), launch_name(sc.launch),
              opt.rounds, opt.warmup);
  std::fflush(stdout);

  // The parent a shell would be: this process, with the same environment.
  char** saved_environ = environ;
  if (sc.launch == Launch::ForkExec) environ = envp.get();
  for (int r = 0; r < opt.warmup + opt.rounds && !rtx::bench::g_stop; ++r) {
    for (std::size_t k = 0; k < vs.size(); ++k) {
      Variant& v = vs[(std::size_t(r) + k) % vs.size()];
      rusage ru;
      char** args = v.argv.get();
      char** envs = v.envp->get();
      double t0 = rtx::bench::now_us();
      int st = rtx::bench::launch_wait(sc.launch, args, envs, ru);
      double t1 = rtx::bench::now_us();
      if (st != 0) {
        environ = saved_environ;
        die(std::string(v.name) + " exited " + std::to_string(st));
      }
      if (r >= opt.warmup) {
        v.us.push_back(t1 - t0);
        v.minflt.push_back(ru.ru_minflt);
        v.cpu.push_back(double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
                        double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec));
      }
    }
  }
  environ = saved_environ;
  if (vs[0].us.empty()) die("interrupted before the first measured round");

  long floor_kib = 0;
  for (int i = 0; i < opt.rss_runs && !rtx::bench::g_stop; ++i) {
    for (Variant& v : vs) {
      long rss = 0, fl = 0;
      rtx::bench::probe_rss(probe, v.argv.get(), v.envp->get(), rss, fl);
      v.rss_kib = std::max(v.rss_kib, rss);
      floor_kib = std::max(floor_kib, fl);
    }
  }

  // cpu: the child's own CPU time (from fork or spawn to exit, tool included);
  // off-CPU: the share of the wall time it was not running (waiting on I/O,
  // on the other core's work, or in the parent's fork/wait).
  std::printf("%-9s %11s %9s %9s %14s %8s %8s %8s\n", "variant", "median us", "p10 us", "p90 us", "peak RSS KiB",
              "minflt", "cpu us", "off-CPU");
  for (const Variant& v : vs)
    std::printf("%-9s %11.1f %9.1f %9.1f %14ld %8ld %8.1f %7.0f%%\n", v.name, median_of(v.us), percentile_of(v.us, 0.1),
                percentile_of(v.us, 0.9), v.rss_kib, median_of(v.minflt), median_of(v.cpu),
                100.0 * (1.0 - median_of(v.cpu) / median_of(v.us)));

  double direct = median_of(vs[0].us), hop_us = median_of(vs[1].us), shim_us = median_of(vs[2].us);
  double pinned_us = median_of(vs[3].us);
  double hop_over = hop_us - direct, shim_over = shim_us - direct, pinned_over = pinned_us - direct;
  // Paired: the same round's difference, robust to drift between rounds.
  std::vector<double> d_hop, d_shim;
  for (std::size_t i = 0; i < vs[0].us.size(); ++i) {
    d_hop.push_back(vs[1].us[i] - vs[0].us[i]);
    d_shim.push_back(vs[2].us[i] - vs[0].us[i]);
  }
  double ratio = hop_over > 0 ? shim_over / hop_over : 0;
  double whole = hop_us > 0 ? shim_us / hop_us : 0;
  std::printf("hop overhead       %8.1f us  (hop - direct; paired median %.1f)\n", hop_over, median_of(d_hop));
  std::printf("shim overhead      %8.1f us  (shim - direct; paired median %.1f)\n", shim_over, median_of(d_shim));
  std::printf("shim+pin overhead  %8.1f us\n", pinned_over);
  double b_us = 0;
  if (vs.size() > 4) {
    std::vector<double> d_b;
    for (std::size_t i = 0; i < vs[2].us.size(); ++i) d_b.push_back(vs[4].us[i] - vs[2].us[i]);
    b_us = median_of(vs[4].us);
    std::printf(
        "shim-B overhead    %8.1f us  (shim-B - shim: paired median %.1f us; shim-B/hop %.2f; RSS %ld vs %ld KiB)\n",
        b_us - direct, median_of(d_b), hop_us > 0 ? b_us / hop_us : 0, vs[4].rss_kib, vs[2].rss_kib);
  }
  std::printf("shim / hop overhead %7.2f     (target <= 1.3; issue 11's goal in realistic mode <= 1.1): %s\n", ratio,
              ratio <= 1.1   ? "within 1.1"
              : ratio <= 1.3 ? "within 1.3"
                             : "OVER");
  std::printf("shim / hop           %6.2f     (whole runs)\n", whole);
  std::printf("shim peak RSS      %8ld KiB (target <= 2048): %s; the tool alone %ld KiB, probe floor %ld KiB\n",
              vs[2].rss_kib, vs[2].rss_kib <= 2048 ? "within" : "OVER", vs[0].rss_kib, floor_kib);
  std::printf(
      "RESULT mode=%s direct_us=%.1f hop_us=%.1f shim_us=%.1f shim_pinned_us=%.1f hop_overhead_us=%.1f "
      "shim_overhead_us=%.1f ratio=%.2f shim_hop=%.2f shim_rss_kib=%ld hop_rss_kib=%ld target_rss_kib=%ld "
      "shim_minflt=%ld hop_minflt=%ld direct_minflt=%ld shim_cpu_us=%.1f hop_cpu_us=%.1f rounds=%zu",
      sc.mode.c_str(), direct, hop_us, shim_us, pinned_us, hop_over, shim_over, ratio, whole, vs[2].rss_kib,
      vs[1].rss_kib, vs[0].rss_kib, median_of(vs[2].minflt), median_of(vs[1].minflt), median_of(vs[0].minflt),
      median_of(vs[2].cpu), median_of(vs[1].cpu), vs[0].us.size());
  if (vs.size() > 4) std::printf(" shim_b_us=%.1f shim_b_rss_kib=%ld", b_us, vs[4].rss_kib);
  std::printf("\n");
  std::fflush(stdout);
}

// The --compare build under the shim's command name (argv[0] picks the
// command), in a sibling of shims/ and linked the way the shim is.
std::string place_shim_b(const std::string& compare, const std::string& data_dir, const std::string& command,
                         bool symlink) {
  if (compare.empty()) return {};
  std::string dir = data_dir + "/shims-b";
  std::filesystem::create_directories(dir);
  std::string b = dir + "/" + command;
  if (symlink)
    std::filesystem::create_symlink(std::filesystem::absolute(compare), b);
  else
    std::filesystem::copy_file(compare, b);
  return b;
}

void print_fake_setup(const rtx::bench::FakeStore& store, const std::string& hop) {
  for (const std::string& kv : store.env()) std::printf("export %s\n", kv.c_str());
  std::printf("SHIM=%s\nTARGET=%s\nHOP=%s\nPROJECT=%s\nSHIM_LINK='%s'\n", store.shim_path().c_str(),
              store.best_command_path().c_str(), hop.c_str(), store.project_leaf().c_str(),
              store.shim_link_kind().c_str());
}

std::string single_quoted(const std::string& s) {
  if (s.find('\'') != std::string::npos) die("a value holds a quote: " + s);
  return "'" + s + "'";
}

void print_realistic_setup(const rtx::bench::RealisticSetup& setup, const std::string& hop, const std::string& pin) {
  std::printf("RUN_ENV=(");
  for (const std::string& kv : setup.env()) std::printf(" %s", single_quoted(kv).c_str());
  std::printf(" )\nPIN=%s\n", single_quoted(pin).c_str());
  std::printf("SHIM=%s\nTARGET=%s\nHOP=%s\nPROJECT=%s\nSHIM_LINK='symlink'\n", setup.shim_path().c_str(),
              setup.command_path().c_str(), hop.c_str(), setup.leaf().c_str());
}

std::string pin_of(const std::string& tool, const std::string& spec, const std::string& entry) {
  return rtx::resolver::pin_env_var(tool) + "=" + rtx::resolver::encode_pin({tool, spec, entry});
}

}  // namespace

int run(int argc, char** argv) {
  Options opt = parse(argc, argv);
  std::string shim = opt.shim.empty() ? rtx::bench::beside_self("rtx-shim") : opt.shim;
  if (::access(shim.c_str(), X_OK) != 0) die(shim + " is not an executable: pass the built rtx-shim with --shim");
  std::string hop = rtx::bench::beside_self("rtx-bench-exec-hop");
  std::string target = rtx::bench::beside_self("rtx-bench-target");

  rtx::bench::FakeStoreOptions so;
  so.target_binary = target;
  so.shim_binary = shim;
  rtx::bench::RealisticOptions ro;
  ro.target_binary = target;
  ro.shim_binary = std::filesystem::absolute(shim).string();
  if (!opt.setup_only.empty()) {  // not owned: left in place
    if (opt.fake) {
      rtx::bench::FakeStore store(so, opt.setup_only);
      print_fake_setup(store, hop);
    } else {
      ro.rtx = rtx::bench::beside_self("rtx");
      rtx::bench::RealisticSetup setup(ro, opt.setup_only);
      print_realistic_setup(setup, hop, pin_of(ro.tool, ro.version, setup.entry_path()));
    }
    return 0;
  }
  std::string probe = rtx::bench::beside_self("rtx-rss-probe");
  rtx::bench::install_stop_handlers();
  std::printf("rtx-bench-shim: shim %s%s%s\n", shim.c_str(), opt.compare.empty() ? "" : ", shim-B ",
              opt.compare.c_str());

  if (opt.fake && !rtx::bench::g_stop) {
    rtx::bench::FakeStore store(so);
    Scenario sc;
    sc.mode = "fake";
    sc.description = "fake store " + store.root() + ": " + std::to_string(so.versions) + " versions, config " +
                     std::to_string(so.depth) + " levels up, shim a " + store.shim_link_kind();
    sc.cwd = store.project_leaf();
    sc.tool = store.best_command_path();
    sc.shim = store.shim_path();
    sc.shim_b = place_shim_b(opt.compare, store.data_dir(), so.command, false);
    sc.env = store.env();
    sc.env.push_back("PATH=/usr/local/bin:/usr/bin:/bin");
    sc.pin = pin_of(so.tool, so.spec, store.best_entry_path());
    measure(sc, opt, hop, probe);
  }
  if (opt.realistic && !rtx::bench::g_stop) {
    ro.rtx = rtx::bench::beside_self("rtx");
    rtx::bench::RealisticSetup setup(ro);
    Scenario sc;
    sc.mode = "realistic";
    sc.description = "real rtx install + reshim in " + setup.root() + ", asdf plugin, " + ro.tool + " " + ro.version +
                     " in ~/src/webapp/.tool-versions, shim a symlink";
    sc.launch = Launch::ForkExec;
    sc.cwd = setup.leaf();
    sc.tool = setup.command_path();
    sc.shim = setup.shim_path();
    sc.shim_b = place_shim_b(opt.compare, setup.data_dir(), ro.command, true);
    sc.env = setup.env();
    sc.pin = pin_of(ro.tool, ro.version, setup.entry_path());
    measure(sc, opt, hop, probe);
  }
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
