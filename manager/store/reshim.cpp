#include "manager/store/reshim.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <set>

#include "manager/store/atomic_file.hpp"
#include "manager/store/entries.hpp"
#include "manager/store/file_lock.hpp"
#include "manager/store/pointers.hpp"
#include "manager/util/fs.hpp"
#include "manager/util/log.hpp"
#include "resolver/build_meta.hpp"
#include "resolver/file_io.hpp"
#include "resolver/printable.hpp"

namespace rtx::store {
namespace {

// A command name a shim may carry. Never rtx's own names (a tarball shipping
// bin/rtx must not take over rtx), never one with a control character (it
// would split the line-based .index: DESIGN.md §2).
bool shimmable(std::string_view name) {
  return !name.empty() && name[0] != '.' && name != "rtx" && name != "rtx-shim" && !resolver::has_control_chars(name);
}

void say_refused(const std::string& dir, std::string_view name) {
  util::log_warn(
      "not making a shim for '" + resolver::printable(name, 80) + "' in " + resolver::printable(dir) +
      (name == "rtx" || name == "rtx-shim" ? ": that name is rtx's own" : ": the name holds a control character") +
      "; run it by its path if you need it");
}

std::vector<std::string> executables_in(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return out;
  while (dirent* de = ::readdir(d)) {
    if (de->d_name[0] == '.') continue;
    if (!resolver::is_executable_file(dir + "/" + de->d_name)) continue;
    if (shimmable(de->d_name))
      out.emplace_back(de->d_name);
    else
      say_refused(dir, de->d_name);
  }
  ::closedir(d);
  return out;
}

}  // namespace

Status reshim(const resolver::StoreLayout& layout, const std::string& shim_binary) {
  // One reshim at a time (threads of `rtx install -j`, or two rtx): each
  // writes the whole index from what it saw, and without the lock one that
  // read the builds before another tool's commit could write last, dropping
  // that tool's commands from .index and removing their shims as stale. A dot
  // name: no tool's lock (locks/<tool>.lock) can be called that. Taken after
  // the tool lock, and no tool lock is taken under it.
  auto lock = FileLock::acquire(layout.data + "/locks/.shims.lock", LockMode::Exclusive);
  if (!lock) return Error{lock.error()};
  std::map<std::string, std::set<std::string>> index;  // command -> tools
  for (const std::string& tool : list_tools(layout)) {
    for (const Pointer& p : list_pointers(layout, tool)) {
      std::string entry = layout.entry_path(tool, p.entry);
      for (const auto& dir : resolver::load_build_meta(entry).bin_dirs)
        for (const auto& cmd : executables_in(entry + "/" + dir)) index[cmd].insert(tool);
    }
  }
  std::string shims = layout.shims_dir();
  if (auto st = util::make_dirs(shims); !st) return st;

  std::string text;
  for (const auto& [cmd, tools] : index) {
    text += cmd;
    for (const auto& t : tools) text += "\t" + t;
    text += "\n";
  }
  // Shims first, then the index: a shim never finds a command missing from it.
  for (const auto& [cmd, tools] : index) {
    std::string link = shims + "/" + cmd;
    if (resolver::read_link(link) == shim_binary) continue;
    if (auto st = replace_symlink(link, shim_binary); !st) return st;
  }
  if (auto st = write_file_atomic(layout.shim_index(), text); !st) return st;
  if (DIR* d = ::opendir(shims.c_str())) {
    std::vector<std::string> stale;
    while (dirent* de = ::readdir(d)) {
      std::string n = de->d_name;
      if (n[0] == '.' || index.count(n)) continue;
      std::string target = resolver::read_link(shims + "/" + n);
      if (!target.empty() && target.size() >= 8 && target.compare(target.size() - 8, 8, "rtx-shim") == 0)
        stale.push_back(n);
    }
    ::closedir(d);
    for (const auto& n : stale) ::unlink((shims + "/" + n).c_str());
  }
  return ok_status();
}

}  // namespace rtx::store
