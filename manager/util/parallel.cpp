#include "manager/util/parallel.hpp"

namespace rtx::util {

WorkerPool::WorkerPool(std::size_t threads) {
  threads_.reserve(std::max<std::size_t>(threads, 1));
  for (std::size_t t = 0; t < std::max<std::size_t>(threads, 1); ++t) threads_.emplace_back([this] { work(); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void WorkerPool::run(std::size_t n, const std::function<void(std::size_t)>& fn) {
  if (n == 0) return;
  std::unique_lock<std::mutex> lock(mutex_);
  fn_ = &fn;
  n_ = n;
  next_ = 0;
  wake_.notify_all();
  done_.wait(lock, [this] { return next_ >= n_ && running_ == 0; });
  fn_ = nullptr;
}

void WorkerPool::work() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || (fn_ && next_ < n_); });
    if (stopping_) return;
    std::size_t i = next_++;
    ++running_;
    const auto* fn = fn_;
    lock.unlock();
    (*fn)(i);
    lock.lock();
    --running_;
    if (next_ >= n_ && running_ == 0) done_.notify_all();
  }
}

}  // namespace rtx::util
