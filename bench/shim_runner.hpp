// What the shim benchmarks (rtx-bench-shim, rtx-bench-shim-growth) share: one
// timed launch of a program (posix_spawn, or fork + execve as a shell does),
// the RSS probe, medians, and the Ctrl-C flag that ends the rounds early so
// the temp roots are still removed. Bench-only code: it may throw.
#pragma once

#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <string>
#include <vector>

namespace rtx::bench {

// A NULL-terminated char* array over owned strings (pointers taken on get():
// moving a vector of short strings moves their bytes).
struct Argv {
  std::vector<std::string> strings;
  std::vector<char*> ptrs;
  Argv() = default;
  explicit Argv(std::vector<std::string> s) : strings(std::move(s)) {}
  char** get() {
    ptrs.clear();
    for (auto& x : strings) ptrs.push_back(x.data());
    ptrs.push_back(nullptr);
    return ptrs.data();
  }
};

// posix_spawn (vfork-like, what the fake-store mode has always used) or
// fork + execve, what a shell does: the child is a copy of a parent with
// pages and page tables to duplicate, then execve replaces it.
enum class Launch { PosixSpawn, ForkExec };
const char* launch_name(Launch how);

// Set by SIGINT/SIGTERM once install_stop_handlers() ran.
extern volatile sig_atomic_t g_stop;
void install_stop_handlers();

double now_us();

// Runs argv (argv[0] a path) with exactly envp, waits; returns the exit status
// (or 128+signal) and fills rusage.
int launch_wait(Launch how, char** argv, char** envp, rusage& ru);

// One run of rtx-rss-probe on argv: the child's peak RSS and the probe's own floor.
void probe_rss(const std::string& probe, char** argv, char** envp, long& rss_kib, long& floor_kib);

template <typename T>
T median_of(std::vector<T> v) {
  if (v.empty()) return T{};
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double percentile_of(std::vector<double> v, double p);

// The directory of this executable, and a helper built beside it (throws if missing).
std::string self_dir();
std::string beside_self(const char* name);

}  // namespace rtx::bench
