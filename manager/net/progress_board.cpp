#include "manager/net/progress_board.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <memory>

#include "manager/util/log.hpp"
#include "resolver/printable.hpp"

namespace rtx::net {
namespace {

void progress_board_write(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the terminal is gone: progress is not worth failing a download for
    done += std::size_t(n);
  }
}

void progress_board_log_sink(std::string_view line) { ProgressBoard::of(STDERR_FILENO).print(line); }

}  // namespace

ProgressArea progress_area(int fd) {
  ProgressArea area;
  winsize ws{};
  if (::ioctl(fd, TIOCGWINSZ, &ws) != 0) return area;
  if (ws.ws_col > 1) area.columns = std::size_t(ws.ws_col) - 1;
  if (ws.ws_row > 1) area.rows = std::size_t(ws.ws_row) - 1;
  return area;
}

std::string progress_fit(std::string_view text, std::size_t columns) {
  std::size_t chars = 0, i = 0;
  while (i < text.size() && chars < columns) {
    ++i;  // past the lead byte, then past its continuation bytes (10xxxxxx)
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
    ++chars;
  }
  return std::string(text.substr(0, i));
}

ProgressBoard::ProgressBoard(int fd) : fd_(fd) {}

ProgressBoard& ProgressBoard::of(int fd) {
  // Leaked on purpose: a log line printed while the process exits (after
  // static destructors ran) must still find its board.
  static std::mutex* mutex = new std::mutex;
  static auto* boards = new std::map<int, std::unique_ptr<ProgressBoard>>;
  std::lock_guard<std::mutex> lock(*mutex);
  auto& board = (*boards)[fd];
  if (!board) {
    board = std::make_unique<ProgressBoard>(fd);
    if (fd == STDERR_FILENO) util::set_log_line_sink(progress_board_log_sink);
  }
  return *board;
}

ProgressBoard::RowId ProgressBoard::add_row(std::string_view text) {
  std::lock_guard<std::mutex> lock(mutex_);
  RowId id = next_id_++;
  rows_.emplace_back(id, resolver::printable(text));
  redraw({});
  return id;
}

void ProgressBoard::set_row(RowId id, std::string_view text) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto row = std::find_if(rows_.begin(), rows_.end(), [id](const auto& r) { return r.first == id; });
  if (row == rows_.end()) return;
  row->second = resolver::printable(text);
  redraw({});
}

void ProgressBoard::remove_row(RowId id, std::string_view line_above) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::erase_if(rows_, [id](const auto& r) { return r.first == id; });
  redraw(line_above);
}

void ProgressBoard::print(std::string_view lines) {
  std::lock_guard<std::mutex> lock(mutex_);
  redraw(lines);
}

std::size_t ProgressBoard::rows() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return rows_.size();
}

void ProgressBoard::redraw(std::string_view above) {
  if (drawn_ == 0 && rows_.empty()) {
    // Nothing live: the lines as they are (what rtx wrote before boards).
    if (!above.empty()) progress_board_write(fd_, std::string(above));
    return;
  }
  std::string out;
  if (drawn_ > 0) out += "\r\033[" + std::to_string(drawn_) + "A";
  // Each line printed over a row's old place clears what the row left after it.
  for (std::size_t start = 0; start < above.size();) {
    std::size_t end = above.find('\n', start);
    if (end == std::string_view::npos) end = above.size();
    out.append(above.substr(start, end - start));
    out += "\033[K\n";
    start = end + 1;
  }
  // More rows than the screen has lines could not be reached again by
  // cursor-up: the newest that fit are drawn.
  ProgressArea area = progress_area(fd_);
  std::size_t shown = std::min(rows_.size(), area.rows);
  for (std::size_t i = rows_.size() - shown; i < rows_.size(); ++i) {
    out += progress_fit(rows_[i].second, area.columns);
    out += "\033[K\n";
  }
  if (shown < drawn_) out += "\033[J";  // the rows that went, and anything under them
  drawn_ = shown;
  progress_board_write(fd_, out);
}

}  // namespace rtx::net
