// The one fake store of rtx-bench-resolve, made by its main() before any
// benchmark runs (the benchmarks live in several files).
#pragma once

#include "bench/fake_store.hpp"

namespace rtx::bench {

FakeStore& bench_store();

}  // namespace rtx::bench
