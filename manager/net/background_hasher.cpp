#include "manager/net/background_hasher.hpp"

namespace rtx::net {

BackgroundHasher::BackgroundHasher(HashAlgorithm algorithm) : hasher_(algorithm), worker_([this] { run(); }) {}

BackgroundHasher::~BackgroundHasher() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_.notify_one();
  worker_.join();
}

void BackgroundHasher::update(const void* data, std::size_t size) {
  if (size == 0) return;
  std::unique_lock<std::mutex> lock(mutex_);
  idle_.wait(lock, [this] { return queue_.size() < kMaxQueued; });
  std::string chunk;
  if (!spare_.empty()) {
    chunk = std::move(spare_.back());
    spare_.pop_back();
  }
  chunk.assign(static_cast<const char*>(data), size);
  queue_.push_back(std::move(chunk));
  lock.unlock();
  work_.notify_one();
}

void BackgroundHasher::wait_idle(std::unique_lock<std::mutex>& lock) {
  idle_.wait(lock, [this] { return queue_.empty() && !busy_; });
}

void BackgroundHasher::reset() {
  std::unique_lock<std::mutex> lock(mutex_);
  wait_idle(lock);
  hasher_.reset();
}

Checksum BackgroundHasher::finish() {
  std::unique_lock<std::mutex> lock(mutex_);
  wait_idle(lock);
  return hasher_.finish();
}

Hasher& BackgroundHasher::drained() {
  std::unique_lock<std::mutex> lock(mutex_);
  wait_idle(lock);
  return hasher_;
}

void BackgroundHasher::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    work_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    std::string chunk = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    idle_.notify_all();  // room in the queue
    hasher_.update(chunk.data(), chunk.size());
    lock.lock();
    busy_ = false;
    if (spare_.size() < kMaxQueued) spare_.push_back(std::move(chunk));
    idle_.notify_all();
  }
}

}  // namespace rtx::net
