// "<dest>.part": the bytes of a download so far, kept between attempts and
// between runs so a download resumes where it stopped. It is locked (flock
// LOCK_EX) for as long as this object lives, so two rtx processes fetching the
// same file never write into one .part; the second waits, then finds the file
// done (a cache hit) or continues it.
#pragma once

#include <cstdint>
#include <string>

#include "resolver/expected.hpp"
#include "resolver/unique_fd.hpp"

namespace rtx::net {

class PartFile {
 public:
  // Opens (creating) and locks `<final_path>.part`. Blocks while another
  // process holds it; prints one line on `notice_fd` (if >= 0) when it waits.
  static Expected<PartFile> open_locked(const std::string& final_path, int notice_fd);

  const std::string& path() const { return path_; }
  std::uint64_t size() const { return size_; }  // bytes on disk

  // Appends and counts; the error names the file and says to free disk space.
  Status append(const char* data, std::size_t size);
  Status truncate();  // back to zero bytes (a restart)
  // fsync, then rename(2) over `final_path_` and fsync the folder: the final
  // name only ever holds a complete, verified file.
  Status commit();
  // Deletes the .part (a permanent failure or a checksum mismatch).
  void discard();

 private:
  PartFile(std::string final_path, UniqueFd fd, std::uint64_t size);

  std::string final_path_;
  std::string path_;
  UniqueFd fd_;
  std::uint64_t size_ = 0;
};

}  // namespace rtx::net
