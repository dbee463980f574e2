// rtx-bench-resolve: the cost of resolution as the shim does it (DESIGN.md §4, §5)
// with a config 8 directories up and 20 installed versions. Target (README):
// ≤ 10 µs end to end. Printed, never asserted: the machine is noisy.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench_store.hpp"
#include "resolver/acquire.hpp"
#include "resolver/build_meta.hpp"
#include "resolver/file_io.hpp"
#include "resolver/pin.hpp"
#include "resolver/request.hpp"
#include "resolver/roots.hpp"
#include "resolver/shim_index.hpp"

using namespace rtx::resolver;

namespace {

rtx::bench::FakeStore* g_store = nullptr;

std::string cwd_now() {
  char buf[4096];
  return ::getcwd(buf, sizeof buf) ? buf : "/";
}

Request find_or_die(const Roots& roots, const std::string& cwd, const std::string& tool) {
  RequestFinder finder(roots, cwd);
  auto r = finder.find(tool);
  if (!r || r->tool.empty()) {
    std::fprintf(stderr, "rtx-bench-resolve: setup does not resolve: %s\n", r ? "no request" : r.error().c_str());
    std::exit(1);
  }
  return *r;
}

// The unit of cost on this machine, measured in the same run: one failed
// open() of a config name in the deepest project directory (the walk does 39).
void BM_OpenMissingBaseline(benchmark::State& state) {
  std::string path = g_store->project_leaf() + "/.rtx.toml";
  for (auto _ : state) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    benchmark::DoNotOptimize(fd);
    if (fd >= 0) ::close(fd);
  }
}

// §4: environment, then the nearest config from cwd upward (8 levels × 5 names).
void BM_FindRequest(benchmark::State& state) {
  auto roots = roots_from_env();
  std::string cwd = cwd_now();
  const std::string& tool = g_store->options().tool;
  for (auto _ : state) {
    RequestFinder finder(*roots, cwd);  // a fresh finder, as in a fresh shim: no cache
    auto r = finder.find(tool);
    benchmark::DoNotOptimize(r);
  }
}

// §5 steps 2–3: list installs, rank 21 names, read pointers, open + flock the
// lease, read the state after the lock. The lease closes at the end of each round.
void BM_AcquireBuild(benchmark::State& state) {
  auto roots = roots_from_env();
  Request request = find_or_die(*roots, cwd_now(), g_store->options().tool);
  StoreLayout layout{roots->data};
  for (auto _ : state) {
    Acquired out;
    bool found = acquire_build(layout, request, out);
    if (!found) state.SkipWithError("acquire_build found nothing");
    benchmark::DoNotOptimize(out);
  }
}

// Just the candidate listing of the fast path (readdir + sort + pointer reads).
void BM_ListCandidates(benchmark::State& state) {
  auto roots = roots_from_env();
  Request request = find_or_die(*roots, cwd_now(), g_store->options().tool);
  StoreLayout layout{roots->data};
  for (auto _ : state) {
    auto c = list_candidates(layout, request);
    benchmark::DoNotOptimize(c);
  }
}

// §5 step 2: a nested invocation carrying its ancestor's pin.
void BM_AcquirePinned(benchmark::State& state) {
  auto roots = roots_from_env();
  Request request = find_or_die(*roots, cwd_now(), g_store->options().tool);
  StoreLayout layout{roots->data};
  std::string var = pin_env_var(request.tool);
  ::setenv(var.c_str(), encode_pin(Pin{request.tool, request.joined(), g_store->best_entry_path()}).c_str(), 1);
  for (auto _ : state) {
    Acquired out;
    bool found = acquire_build(layout, request, out);
    if (!found || !out.from_pin) state.SkipWithError("the pin was not taken");
    benchmark::DoNotOptimize(out);
  }
  ::unsetenv(var.c_str());
}

// Everything rtx-shim does before execve (shim/main.cpp), minus the setenv of
// the pin (it would turn the next round into a pinned one).
void BM_ResolveEndToEnd(benchmark::State& state) {
  const std::string command = g_store->options().command;
  for (auto _ : state) {
    auto roots = roots_from_env();
    StoreLayout layout{roots->data};
    std::string index;
    if (read_file(layout.shim_index(), index) != 0) state.SkipWithError("no .index");
    std::vector<std::string> tools = tools_for_command(index, command);
    RequestFinder finder(*roots, cwd_now());
    auto request = finder.find(tools.front());
    Acquired build;
    if (!request || !acquire_build(layout, *request, build)) state.SkipWithError("not resolved");
    BuildMeta meta = load_build_meta(build.entry_path);
    std::string exe = find_command(build.entry_path, meta, command);
    std::string pin = encode_pin(Pin{request->tool, request->joined(), build.entry_path});
    if (exe.empty()) state.SkipWithError("no command");
    benchmark::DoNotOptimize(pin);
  }
}

BENCHMARK(BM_OpenMissingBaseline)->Unit(benchmark::kMicrosecond)->DisplayAggregatesOnly(true);
BENCHMARK(BM_FindRequest)->Unit(benchmark::kMicrosecond)->DisplayAggregatesOnly(true);
BENCHMARK(BM_ListCandidates)->Unit(benchmark::kMicrosecond)->DisplayAggregatesOnly(true);
BENCHMARK(BM_AcquireBuild)->Unit(benchmark::kMicrosecond)->DisplayAggregatesOnly(true);
BENCHMARK(BM_AcquirePinned)->Unit(benchmark::kMicrosecond)->DisplayAggregatesOnly(true);
BENCHMARK(BM_ResolveEndToEnd)->Unit(benchmark::kMicrosecond)->DisplayAggregatesOnly(true);

// The console table, plus the medians kept for the summary.
// (Colour only on a terminal: a custom reporter does not follow --benchmark_color.)
class MedianReporter : public benchmark::ConsoleReporter {
 public:
  MedianReporter() : ConsoleReporter(::isatty(STDOUT_FILENO) ? OO_Defaults : OO_Tabular) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs)
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name == "median") {
        real_us[r.run_name.function_name] = r.GetAdjustedRealTime();  // in the benchmark's unit: µs
        cpu_us[r.run_name.function_name] = r.GetAdjustedCPUTime();
      }
  }
  std::map<std::string, double> real_us, cpu_us;  // medians
};

}  // namespace

rtx::bench::FakeStore& rtx::bench::bench_store() { return *g_store; }

int main(int argc, char** argv) {
  // Defaults unless given: 9 repetitions, interleaved (A B A B …): noisy cores.
  std::vector<std::string> defaults = {"--benchmark_repetitions=9", "--benchmark_enable_random_interleaving=true"};
  std::vector<char*> args(argv, argv + argc);
  for (std::string& d : defaults) {
    std::string flag = d.substr(0, d.find('='));
    bool given = false;
    for (int i = 1; i < argc; ++i) given |= std::strncmp(argv[i], flag.c_str(), flag.size()) == 0;
    if (!given) args.push_back(d.data());
  }
  int n = int(args.size());
  args.push_back(nullptr);
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;

  std::unique_ptr<rtx::bench::FakeStore> made;
  try {
    made = std::make_unique<rtx::bench::FakeStore>(rtx::bench::FakeStoreOptions{});
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rtx-bench-resolve: cannot make the fake store: %s\n", e.what());
    return 1;
  }
  rtx::bench::FakeStore& store = *made;
  store.export_env();
  if (::chdir(store.project_leaf().c_str()) != 0) {
    std::perror("rtx-bench-resolve: chdir");
    return 1;
  }
  g_store = &store;
  std::printf("fake store: %s (%d versions, project %d levels deep, spec '%s')\n", store.root().c_str(),
              store.options().versions, store.options().depth, store.options().spec.c_str());

  MedianReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  // Wall time is what a user waits; CPU time (user + sys) is steadier when the
  // two cores are shared, so both are printed.
  auto& m = reporter.real_us;
  auto& c = reporter.cpu_us;
  if (m.count("BM_ResolveEndToEnd")) {
    double e2e = m["BM_ResolveEndToEnd"], unit = m["BM_OpenMissingBaseline"];
    std::printf("\nresolution end to end (median): %.2f us wall, %.2f us CPU (target <= 10 us): %s\n", e2e,
                c["BM_ResolveEndToEnd"], e2e <= 10.0 ? "within target" : "OVER target");
    if (unit > 0) std::printf("  = %.1f x one failed open() in the project (%.3f us)\n", e2e / unit, unit);
    if (c.count("BM_FindRequest") && c.count("BM_AcquireBuild") && c.count("BM_AcquirePinned"))
      std::printf("  find %.2f + acquire %.2f us CPU; pinned acquire %.2f us CPU\n", c["BM_FindRequest"],
                  c["BM_AcquireBuild"], c["BM_AcquirePinned"]);
    std::printf(
        "RESULT resolve_us=%.3f resolve_cpu_us=%.3f find_cpu_us=%.3f acquire_cpu_us=%.3f list_cpu_us=%.3f "
        "pinned_cpu_us=%.3f open_miss_cpu_us=%.3f\n",
        e2e, c["BM_ResolveEndToEnd"], c["BM_FindRequest"], c["BM_AcquireBuild"], c["BM_ListCandidates"],
        c["BM_AcquirePinned"], c["BM_OpenMissingBaseline"]);
  }
  g_store = nullptr;
  return 0;
}
