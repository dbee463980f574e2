// What-if benchmarks for rtx-bench-resolve: cheaper ways to do the two costly
// parts of resolution, measured beside the real thing in the same run, so a
// proposed change to resolver/ comes with a number. None of this is used by rtx.
#include <benchmark/benchmark.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "bench/bench_store.hpp"
#include "resolver/request.hpp"
#include "resolver/roots.hpp"
#include "resolver/store_layout.hpp"
#include "resolver/version.hpp"
#include "resolver/version_spec.hpp"

using namespace rtx::resolver;

namespace {

constexpr std::size_t kNames = std::size(kConfigNames);

// Reads the found config into a stack buffer, as a parser would.
void read_and_close(int fd) {
  char buf[4096];
  while (::read(fd, buf, sizeof buf) > 0) {
  }
  ::close(fd);
}

// The walk as resolver/request.cpp does it (open of a full path per name), but
// into one reused buffer: the syscall cost alone, no allocation or cache.
void BM_WhatIf_WalkFullPathNoAlloc(benchmark::State& state) {
  const std::string leaf = rtx::bench::bench_store().project_leaf();
  char path[4096];
  for (auto _ : state) {
    std::size_t len = leaf.size();
    std::memcpy(path, leaf.data(), len);
    bool found = false;
    while (!found && len > 0) {
      for (std::size_t i = 0; i < kNames && !found; ++i) {
        std::size_t n = std::strlen(kConfigNames[i]);
        path[len] = '/';
        std::memcpy(path + len + 1, kConfigNames[i], n + 1);
        int fd = ::open(path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
          read_and_close(fd);
          found = true;
        }
      }
      while (len > 0 && path[len - 1] != '/') --len;
      if (len > 0) --len;  // drop the last component
    }
    benchmark::DoNotOptimize(found);
  }
}

// The walk with openat() relative to a directory fd: each probe resolves one
// path component instead of the whole path; ".." climbs a level.
void BM_WhatIf_WalkOpenat(benchmark::State& state) {
  const std::string leaf = rtx::bench::bench_store().project_leaf();
  for (auto _ : state) {
    int dir = ::open(leaf.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    std::size_t levels = 0;
    for (char c : leaf) levels += c == '/';
    bool found = false;
    for (std::size_t level = 0; level < levels && !found && dir >= 0; ++level) {
      for (std::size_t i = 0; i < kNames && !found; ++i) {
        int fd = ::openat(dir, kConfigNames[i], O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
          read_and_close(fd);
          found = true;
        }
      }
      if (found) break;
      int up = ::openat(dir, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
      ::close(dir);
      dir = up;
    }
    if (dir >= 0) ::close(dir);
    benchmark::DoNotOptimize(found);
  }
}

// The walk listing each directory once (open + getdents64 + close) and opening
// only a name that is there. Cost grows with the directory's size: the fake
// project's directories are nearly empty, real ones are not.
void BM_WhatIf_WalkGetdents(benchmark::State& state) {
  const std::string leaf = rtx::bench::bench_store().project_leaf();
  alignas(8) char ents[8192];
  for (auto _ : state) {
    std::string dir = leaf;
    bool found = false;
    while (!found && !dir.empty()) {
      int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      int best = -1;
      for (long n; fd >= 0 && (n = ::syscall(SYS_getdents64, fd, ents, sizeof ents)) > 0;) {
        for (long off = 0; off < n;) {
          auto* d = reinterpret_cast<dirent64*>(ents + off);
          for (int i = 0; i < int(kNames); ++i)
            if (std::strcmp(d->d_name, kConfigNames[i]) == 0 && (best < 0 || i < best)) best = i;
          off += d->d_reclen;
        }
      }
      if (fd >= 0) ::close(fd);
      if (best >= 0) {
        int cfg = ::open((dir + "/" + kConfigNames[best]).c_str(), O_RDONLY | O_CLOEXEC);
        if (cfg >= 0) read_and_close(cfg), found = true;
      }
      dir.resize(dir.rfind('/'));
    }
    benchmark::DoNotOptimize(found);
  }
}

// The fast path of list_candidates reading only the pointers it needs (the
// first match that is a real pointer) instead of every match's.
void BM_WhatIf_LazyPointers(benchmark::State& state) {
  auto& store = rtx::bench::bench_store();
  StoreLayout layout{store.data_dir()};
  const std::string& tool = store.options().tool;
  auto spec = parse_spec(store.options().spec);
  for (auto _ : state) {
    std::vector<std::string> names = list_install_names(layout, tool);
    std::string entry;
    for (std::size_t i : ranked_matches(*spec, names))
      if (!(entry = pointer_entry(layout, tool, names[i])).empty()) break;
    benchmark::DoNotOptimize(entry);
  }
}

// The same without sorting: one pass keeping the best match (19 comparisons
// for 20 versions instead of ~100), then the lazy pointer read.
void BM_WhatIf_LazyPointersMaxScan(benchmark::State& state) {
  auto& store = rtx::bench::bench_store();
  StoreLayout layout{store.data_dir()};
  const std::string& tool = store.options().tool;
  auto spec = parse_spec(store.options().spec);
  for (auto _ : state) {
    std::vector<std::string> names = list_install_names(layout, tool);
    const std::string* best = nullptr;
    for (const auto& n : names)
      if (spec_matches(*spec, n) && (!best || compare_versions(n, *best) > 0)) best = &n;
    std::string entry = best ? pointer_entry(layout, tool, *best) : std::string();
    // (a fuzzy link winning the scan would need a second pass; not the case here)
    benchmark::DoNotOptimize(entry);
  }
}

BENCHMARK(BM_WhatIf_WalkFullPathNoAlloc)->Unit(benchmark::kMicrosecond)->DisplayAggregatesOnly(true);
BENCHMARK(BM_WhatIf_WalkOpenat)->Unit(benchmark::kMicrosecond)->DisplayAggregatesOnly(true);
BENCHMARK(BM_WhatIf_WalkGetdents)->Unit(benchmark::kMicrosecond)->DisplayAggregatesOnly(true);
BENCHMARK(BM_WhatIf_LazyPointers)->Unit(benchmark::kMicrosecond)->DisplayAggregatesOnly(true);
BENCHMARK(BM_WhatIf_LazyPointersMaxScan)->Unit(benchmark::kMicrosecond)->DisplayAggregatesOnly(true);

}  // namespace
