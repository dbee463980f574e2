#include "resolver/store_layout.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "resolver/file_io.hpp"
#include "resolver/unique_fd.hpp"

namespace rtx::resolver {

std::string_view state_name(EntryState s) {
  switch (s) {
    case EntryState::Building:
      return "BUILDING";
    case EntryState::Ready:
      return "READY";
    case EntryState::Retired:
      return "RETIRED";
    case EntryState::Reaping:
      return "REAPING";
    case EntryState::Failed:
      return "FAILED";
    case EntryState::Missing:
      return "MISSING";
    case EntryState::Unknown:
      break;
  }
  return "UNKNOWN";
}

EntryState parse_state(std::string_view word) {
  while (!word.empty() && (word.back() == '\n' || word.back() == ' ' || word.back() == '\r')) word.remove_suffix(1);
  if (word == "BUILDING") return EntryState::Building;
  if (word == "READY") return EntryState::Ready;
  if (word == "RETIRED") return EntryState::Retired;
  if (word == "REAPING") return EntryState::Reaping;
  if (word == "FAILED") return EntryState::Failed;
  return EntryState::Unknown;
}

std::string tool_dir_name(std::string_view tool) {
  std::string out(tool);
  for (char& c : out)
    if (c == '/') c = '+';
  return out;
}

EntryState read_state(const std::string& entry_path) {
  // One read(2): a state file is one word, replaced whole by rename, so a
  // short read is all of it (every shim call reads one).
  UniqueFd fd(::open(state_path(entry_path).c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!fd.valid()) return EntryState::Missing;
  char buf[32];
  ssize_t n;
  do n = ::read(fd.get(), buf, sizeof buf);
  while (n < 0 && errno == EINTR);
  if (n < 0) return EntryState::Missing;
  if (std::size_t(n) == sizeof buf) return EntryState::Unknown;  // longer than any state word
  return parse_state(std::string_view(buf, std::size_t(n)));
}

std::string pointer_entry(const StoreLayout& layout, std::string_view tool, std::string_view name) {
  return pointer_target_entry(tool, read_link(layout.pointer_path(tool, name)));
}

std::string pointer_target_entry(std::string_view tool, const std::string& target) {
  std::string prefix = "../../store/" + tool_dir_name(tool) + "/";
  if (target.size() <= prefix.size() || target.compare(0, prefix.size(), prefix) != 0) return {};
  std::string entry = target.substr(prefix.size());
  if (entry.find('/') != std::string::npos) return {};
  return entry;
}

std::vector<std::string> list_install_names(const StoreLayout& layout, std::string_view tool) {
  std::vector<std::string> names;
  DIR* d = ::opendir(layout.installs_dir(tool).c_str());
  if (!d) return names;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.') continue;  // ".", "..", and temporary links being renamed in
    names.emplace_back(e->d_name);
  }
  ::closedir(d);
  return names;
}

}  // namespace rtx::resolver
