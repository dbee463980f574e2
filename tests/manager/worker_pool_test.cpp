// util::WorkerPool: every index exactly once per batch, batches one after
// another on the same threads (what keeps their libcurl handles warm).
#include "manager/util/parallel.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace rtx::util {
namespace {

TEST(WorkerPool, EveryIndexRunsExactlyOncePerBatch) {
  WorkerPool pool(4);
  for (std::size_t n : {std::size_t{1}, std::size_t{3}, std::size_t{100}, std::size_t{0}, std::size_t{17}}) {
    std::vector<std::atomic<int>> calls(n);
    pool.run(n, [&](std::size_t i) { calls[i].fetch_add(1); });
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(calls[i].load(), 1) << "index " << i << " of " << n;
  }
}

TEST(WorkerPool, RunsInParallelOnThreadsThatOutliveABatch) {
  WorkerPool pool(4);
  std::mutex mu;
  std::set<std::thread::id> first, later;
  std::atomic<int> inside{0}, most{0};
  auto task = [&](std::set<std::thread::id>& ids) {
    return [&](std::size_t) {
      int now = ++inside;
      for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      --inside;
      std::lock_guard<std::mutex> lock(mu);
      ids.insert(std::this_thread::get_id());
    };
  };
  pool.run(8, task(first));
  pool.run(8, task(later));
  EXPECT_GT(most.load(), 1) << "the tasks never overlapped";
  EXPECT_LE(most.load(), 4);
  EXPECT_EQ(first.count(std::this_thread::get_id()), 0u) << "the caller only waits";
  std::set<std::thread::id> all = first;
  all.insert(later.begin(), later.end());
  EXPECT_LE(all.size(), 4u) << "a batch ran on threads beyond the pool's four";
}

}  // namespace
}  // namespace rtx::util
