#include "resolver/shim_index.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "resolver/unique_fd.hpp"

namespace rtx::resolver {

namespace {

// The tools of one line after "<command>\t", empty fields skipped.
std::vector<std::string> index_line_tools(std::string_view fields) {
  std::vector<std::string> tools;
  while (!fields.empty()) {
    std::size_t tab = fields.find('\t');
    if (tab != 0) tools.emplace_back(fields.substr(0, tab));
    if (tab == std::string_view::npos) break;
    fields.remove_prefix(tab + 1);
  }
  return tools;
}

// Whether `line` is the line of `command`; then `fields` is what follows its tab.
bool index_line_of(std::string_view line, std::string_view command, std::string_view& fields) {
  if (line.size() <= command.size() || line[command.size()] != '\t' || line.substr(0, command.size()) != command)
    return false;
  fields = line.substr(command.size() + 1);
  return true;
}

// Files up to one page are read whole: one read(2) costs less than mapping.
// A larger one is mapped: reading it would fill fresh heap pages, each a page
// fault (about 10 µs on a VM, rtx-bench-kernel-costs), where the search
// touches only the O(log n) pages of the lines it reads, from the page cache
// (rtx-bench-shim-growth --curve index: 1,000 lines read whole cost +24,000
// instructions and more faults than 10,000 mapped).
constexpr std::size_t kIndexReadWhole = 4096;

}  // namespace

std::vector<std::string> tools_for_command(std::string_view text, std::string_view command) {
  while (!text.empty()) {
    std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    if (std::string_view fields; index_line_of(line, command, fields)) return index_line_tools(fields);
  }
  return {};
}

std::vector<std::string> tools_for_command_sorted(std::string_view text, std::string_view command) {
  // [lo, hi) always starts at a line start and ends at one (or the end).
  std::size_t lo = 0, hi = text.size();
  while (lo < hi) {
    std::size_t mid = lo + (hi - lo) / 2;
    std::size_t start = lo;  // of the line holding mid
    if (mid > lo) {
      std::size_t nl = text.rfind('\n', mid - 1);
      if (nl != std::string_view::npos && nl >= lo) start = nl + 1;
    }
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos || end > hi) end = hi;
    std::string_view line = text.substr(start, end - start);
    if (std::string_view fields; index_line_of(line, command, fields)) return index_line_tools(fields);
    std::string_view key = line.substr(0, line.find('\t'));
    if (key.compare(command) < 0)
      lo = end < hi ? end + 1 : hi;
    else
      hi = start;
  }
  return tools_for_command(text, command);  // not there, or the index is not sorted
}

int tools_for_command_in_file(const std::string& path, std::string_view command, std::vector<std::string>& tools) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (!fd.valid()) return errno;
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return errno;
  if (!S_ISREG(st.st_mode)) return EINVAL;
  std::size_t size = static_cast<std::size_t>(st.st_size);
  if (size <= kIndexReadWhole) {
    // Sized to the file, not to the cap: on a VM a fresh page costs a shim
    // more than a syscall, and a large buffer touches pages it never fills.
    std::string text(size, '\0');
    std::size_t got = 0;
    while (got < size) {  // a file that shrank meanwhile is taken as it now is
      ssize_t n = ::read(fd.get(), text.data() + got, size - got);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return errno;
      if (n == 0) break;
      got += static_cast<std::size_t>(n);
    }
    text.resize(got);
    tools = tools_for_command_sorted(text, command);
    return 0;
  }
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (map == MAP_FAILED) return errno;
  tools = tools_for_command_sorted(std::string_view(static_cast<const char*>(map), size), command);
  ::munmap(map, size);
  return 0;
}

}  // namespace rtx::resolver
