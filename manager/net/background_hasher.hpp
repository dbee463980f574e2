// A Hasher fed on a thread of its own, so a download receives its next chunk
// while the previous one is hashed (the hash is still computed while
// streaming, never in a second pass: DESIGN.md §6 step 3). update() copies
// the bytes into a bounded queue (at most kMaxQueued chunks, then it waits);
// reset() and finish() first wait until everything queued was hashed.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "manager/net/hashing.hpp"

namespace rtx::net {

class BackgroundHasher {
 public:
  explicit BackgroundHasher(HashAlgorithm algorithm);
  ~BackgroundHasher();
  BackgroundHasher(const BackgroundHasher&) = delete;
  BackgroundHasher& operator=(const BackgroundHasher&) = delete;

  HashAlgorithm algorithm() const { return hasher_.algorithm(); }
  void update(const void* data, std::size_t size);
  void reset();       // forget what was fed (a download restarting from zero)
  Checksum finish();  // the digest of everything fed; the hasher is then reset
  // The underlying hasher once the queue is drained, to feed it directly (the
  // part of a download already on disk, when it resumes).
  Hasher& drained();

  static constexpr std::size_t kMaxQueued = 16;

 private:
  void run();
  void wait_idle(std::unique_lock<std::mutex>& lock);

  Hasher hasher_;  // touched by the worker only while busy_ or the queue is non-empty
  std::mutex mutex_;
  std::condition_variable work_, idle_;
  std::deque<std::string> queue_;
  std::vector<std::string> spare_;  // emptied chunks, reused to avoid allocations
  bool busy_ = false;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace rtx::net
