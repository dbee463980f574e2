// Writing rtx.lock in place (DESIGN.md §10, §11): the text is merged in
// memory (lock_merge.hpp) and the file replaced as a user's config is
// (config/atomic_replace.hpp): at a symlink's target, same mode and owner,
// temp file + fsync + rename, and never over a write someone made meanwhile.
#include "manager/config/atomic_replace.hpp"
#include "manager/lock/lock_merge.hpp"
#include "manager/lock/lockfile.hpp"

namespace rtx::lock {

Status update_lockfile(const std::string& path, const std::vector<LockedTool>& entries,
                       const std::vector<std::string>& remove_tools) {
  // The temp file goes beside the target: a bare name must still name a folder.
  std::string where = path.find('/') == std::string::npos ? "./" + path : path;
  auto file = config::read_for_edit(where, kMaxLockfileBytes);
  if (!file) return Error{file.error()};
  if (!file->exists && entries.empty()) return ok_status();  // nothing to lock, nothing to remove
  auto text = merge_lockfile_text(path, file->text, entries, remove_tools);
  if (!text) return Error{text.error()};
  if (file->exists && *text == file->text) return ok_status();
  if (auto st = config::check_writable(*file); !st) return st;
  return config::replace_contents(*file, *text);
}

}  // namespace rtx::lock
