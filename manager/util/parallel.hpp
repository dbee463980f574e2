// A bounded parallel loop for independent I/O-bound tasks (npm downloads):
// fn(0) … fn(n - 1) on at most `width` threads, the caller's among them;
// returns when every call has returned. fn must not throw.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace rtx::util {

template <class Fn>
void parallel_for(std::size_t n, std::size_t width, Fn fn) {
  if (n == 0) return;
  width = std::clamp<std::size_t>(width, 1, n);
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < n;) fn(i);
  };
  std::vector<std::thread> threads;
  threads.reserve(width - 1);
  for (std::size_t t = 1; t < width; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
}

}  // namespace rtx::util
