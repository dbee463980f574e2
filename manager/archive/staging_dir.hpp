// Where an archive is extracted before anyone can see it: a fresh directory
// beside the destination (same filesystem, so the final step is one
// rename(2)), removed unless commit() moved it into place. A refused or failed
// extraction thus leaves nothing behind, whatever it had written.
//
// The destination must not exist, or be an empty directory (as the install
// prefix of DESIGN.md §6 is when it is made): rename(2) replaces an empty
// directory atomically and fails if something appeared in it meanwhile.
// The name starts with '.', so store listings never pick it up; one a crash
// left behind matches is_staging_name().
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "manager/archive/messages.hpp"
#include "resolver/expected.hpp"
#include "resolver/unique_fd.hpp"

namespace rtx::archive {

// ".<destination name>.extract-XXXXXX": for a recovery sweep of crashed runs.
bool is_staging_name(std::string_view file_name);

class StagingDir {
 public:
  static Expected<StagingDir> create(const Context& ctx);

  StagingDir(StagingDir&& o) noexcept;
  StagingDir& operator=(StagingDir&&) = delete;
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;
  ~StagingDir();  // discards, if neither commit() nor discard() ran

  int fd() const { return fd_.get(); }
  const std::string& path() const { return path_; }

  // Gives the tree the destination's mode (the existing directory's without
  // group/world write and 07000 bits, or 0755) and renames it over the destination.
  Status commit();
  // Removes the tree; the error says what could not be removed.
  Status discard();

 private:
  StagingDir(const Context& ctx, std::string path, UniqueFd fd, mode_t mode, bool replace);

  const Context* ctx_;
  std::string path_;
  UniqueFd fd_;
  mode_t mode_;
  bool replace_;  // the destination is an empty directory to rename over
  bool done_ = false;
};

}  // namespace rtx::archive
