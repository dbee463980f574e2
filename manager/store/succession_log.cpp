#include "manager/store/succession_log.hpp"

#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "manager/store/atomic_file.hpp"
#include "manager/util/fs.hpp"
#include "resolver/file_io.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::store {
namespace {

Status write_lines(const std::string& path, const std::vector<std::string>& lines) {
  if (auto st = util::make_dirs(util::parent_dir(path)); !st) return st;
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  return write_file_atomic(path, text);
}

}  // namespace

SuccessionLog::SuccessionLog(std::string state_dir, std::string tool)
    : successions_(state_dir + "/successions/" + resolver::tool_dir_name(tool)),
      held_back_(state_dir + "/held-back/" + resolver::tool_dir_name(tool)),
      rollbacks_(state_dir + "/rollbacks/" + resolver::tool_dir_name(tool)) {}

std::vector<Succession> SuccessionLog::read() const {
  std::vector<Succession> out;
  for (const auto& line : util::read_lines(successions_)) {
    std::size_t sp = line.find(' ');
    if (sp == std::string::npos) continue;
    out.push_back(Succession{line.substr(0, sp), line.substr(sp + 1)});
  }
  return out;
}

// Callers hold the tool lock, which serialises writers of one tool's files.
Status SuccessionLog::append(const Succession& s) const {
  auto lines = util::read_lines(successions_);
  lines.push_back(s.retired + " " + s.successor);
  if (lines.size() > 64) lines.erase(lines.begin(), lines.end() - 64);
  return write_lines(successions_, lines);
}

std::vector<std::string> SuccessionLog::held_back() const { return util::read_lines(held_back_); }

Status SuccessionLog::hold_back(const std::string& version) const {
  auto lines = util::read_lines(held_back_);
  if (std::find(lines.begin(), lines.end(), version) != lines.end()) return ok_status();
  lines.push_back(version);
  return write_lines(held_back_, lines);
}

Status SuccessionLog::unhold(const std::string& version) const {
  auto lines = util::read_lines(held_back_);
  auto it = std::find(lines.begin(), lines.end(), version);
  if (it == lines.end()) return ok_status();
  lines.erase(it);
  return write_lines(held_back_, lines);
}

Status SuccessionLog::clear_held_back() const {
  if (::unlink(held_back_.c_str()) != 0 && errno != ENOENT)
    return make_error("cannot remove " + held_back_ + ": " + util::errno_text());
  return ok_status();
}

unsigned long SuccessionLog::rollbacks() const {
  auto lines = util::read_lines(rollbacks_);
  return lines.empty() ? 0 : std::strtoul(lines.front().c_str(), nullptr, 10);
}

Status SuccessionLog::count_rollback() const { return write_lines(rollbacks_, {std::to_string(rollbacks() + 1)}); }

}  // namespace rtx::store
