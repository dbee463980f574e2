// A bounded parallel loop for independent I/O-bound tasks (npm downloads).
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace rtx::util {

// fn(0) … fn(n - 1) on threads that live as long as the pool, so what a
// thread keeps (its libcurl handle: connections, the parsed CA store) serves
// every batch. run() is called from one thread at a time.
class WorkerPool {
 public:
  explicit WorkerPool(std::size_t threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // fn(0) … fn(n - 1) on the pool's threads; returns when all have returned.
  // fn must not throw.
  void run(std::size_t n, const std::function<void(std::size_t)>& fn);

 private:
  void work();

  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(std::size_t)>* fn_ = nullptr;
  std::size_t n_ = 0, next_ = 0, running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace rtx::util
