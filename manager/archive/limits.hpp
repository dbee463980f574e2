// How much an archive may expand (DESIGN.md §9: "absurd sizes"). A bomb is
// stopped by the sizes headers declare before any byte is written, and by the
// bytes actually written, so a header that lies about its size gains nothing.
#pragma once

#include <cstddef>
#include <cstdint>

namespace rtx::archive {

// The largest toolchains (a full rust with docs, CUDA) stay well below these.
inline constexpr std::uint64_t kDefaultMaxTotalBytes = std::uint64_t{8} << 30;  // 8 GiB
inline constexpr std::uint64_t kDefaultMaxEntries = 1'000'000;
// Components of one entry's name (or a hardlink's target). Real toolchains
// nest a few dozen deep; without a bound a PATH_MAX name is 2,048 nested
// directories, and the per-entry work of the tree writer grows with depth.
inline constexpr std::size_t kMaxPathComponents = 256;

// Counts one extraction against its limits. Each call says whether the limit
// still holds after it; the caller turns a `false` into a refusal.
class Budget {
 public:
  Budget(std::uint64_t max_bytes, std::uint64_t max_entries) : max_bytes_(max_bytes), max_entries_(max_entries) {}

  bool add_entry() { return ++entries_ <= max_entries_; }
  // A size from a header (declared, not yet written).
  bool declare(std::uint64_t size) {
    declared_ += size;
    return size <= max_bytes_ && declared_ <= max_bytes_;
  }
  // Bytes about to be written.
  bool spend(std::uint64_t size) {
    written_ += size;
    return size <= max_bytes_ && written_ <= max_bytes_;
  }

  std::uint64_t max_bytes() const { return max_bytes_; }
  std::uint64_t max_entries() const { return max_entries_; }
  std::uint64_t written() const { return written_; }

 private:
  std::uint64_t max_bytes_;
  std::uint64_t max_entries_;
  std::uint64_t entries_ = 0;
  std::uint64_t declared_ = 0;
  std::uint64_t written_ = 0;
};

}  // namespace rtx::archive
