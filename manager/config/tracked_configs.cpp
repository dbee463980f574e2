#include "manager/config/tracked_configs.hpp"

#include <set>

#include "manager/store/atomic_file.hpp"
#include "manager/store/file_lock.hpp"
#include "manager/util/fs.hpp"
#include "resolver/file_io.hpp"
#include "resolver/printable.hpp"

namespace rtx::config {
namespace {

std::set<std::string> read_list(const std::string& path) {
  std::set<std::string> out;
  for (auto& line : util::read_lines(path))
    if (line[0] == '/') out.insert(std::move(line));
  return out;
}

}  // namespace

Status track_configs(const std::string& state_dir, const std::vector<std::string>& paths) {
  if (paths.empty()) return ok_status();
  std::string file = state_dir + "/tracked-configs";
  std::set<std::string> all = read_list(file);
  bool added = false;
  // A path with a control character (a folder named "x\ny") would split the
  // line-based list (DESIGN.md §2): it is not tracked.
  for (const auto& p : paths)
    if (!p.empty() && p[0] == '/' && !resolver::has_control_chars(p)) added = all.insert(p).second || added;
  if (!added) return ok_status();
  if (auto st = util::make_dirs(state_dir); !st) return st;
  auto lock = store::FileLock::acquire(file + ".lock", store::LockMode::Exclusive);
  if (!lock) return Error{lock.error()};
  for (const auto& p : read_list(file)) all.insert(p);  // merge what others wrote meanwhile
  std::string text;
  for (const auto& p : all)
    if (util::exists(p)) text += p + "\n";
  return store::write_file_atomic(file, text);
}

std::vector<std::string> tracked_configs(const std::string& state_dir) {
  std::vector<std::string> out;
  for (const auto& p : read_list(state_dir + "/tracked-configs"))
    if (util::exists(p)) out.push_back(p);
  return out;
}

}  // namespace rtx::config
