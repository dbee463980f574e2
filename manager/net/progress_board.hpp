// The live rows of concurrent downloads on one terminal (issue 10 item 4:
// `rtx install -j N`). One board per terminal fd for the whole process; each
// active download owns a row; every change redraws all rows under the
// board's lock, as one write(2):
//
//   cursor up to the first row, the lines to print above the rows (log lines,
//   a finished download's summary), then each row, "\033[K" after each, and
//   "\033[J" when rows went away
//
// so the cursor always rests at the start of the line below the last row, a
// line printed through the board scrolls up above the rows, and rows never
// wrap (each is cut to the terminal's width - 1). With no rows a printed line
// is written as it is: one line, one write, as before boards existed.
//
//   auto& board = ProgressBoard::of(STDERR_FILENO);
//   auto row = board.add_row("node.tar.xz  1.0 MiB / 40.0 MiB");
//   board.set_row(row, "node.tar.xz  2.0 MiB / 40.0 MiB");
//   board.remove_row(row, "downloaded https://…/node.tar.xz: 40.0 MiB in 4.0 s (10.0 MiB/s)\n");
//
// The board of stderr also takes every util::log line (util/log.hpp's line
// sink), so a note printed while downloads run lands above their rows. What
// child processes write to the terminal themselves (an asdf plugin's own
// output) does not go through the board: a row may be drawn over such a
// line's place until the plugin's line scrolls away.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtx::net {

class ProgressBoard {
 public:
  using RowId = std::uint64_t;

  // A board drawing on `fd` (a terminal; the caller decides).
  explicit ProgressBoard(int fd);
  ProgressBoard(const ProgressBoard&) = delete;
  ProgressBoard& operator=(const ProgressBoard&) = delete;

  // The process-wide board of `fd`, made on first use and never freed (a log
  // line during exit still finds it). The board of stderr becomes the sink of
  // util::log lines when it is made.
  static ProgressBoard& of(int fd);

  // A new row at the bottom, drawn now.
  RowId add_row(std::string_view text);
  void set_row(RowId id, std::string_view text);
  // The row goes; `line_above` (whole lines, each ending in '\n'; may be
  // empty) is printed above the remaining rows in the same write.
  void remove_row(RowId id, std::string_view line_above = {});
  // Whole lines (each ending in '\n') printed above the rows.
  void print(std::string_view lines);

  std::size_t rows() const;

 private:
  void redraw(std::string_view above);  // under mutex_

  int fd_;
  mutable std::mutex mutex_;
  std::vector<std::pair<RowId, std::string>> rows_;
  std::size_t drawn_ = 0;  // rows on the screen now; the cursor is on the line below them
  RowId next_id_ = 1;
};

// Where rows may go on the terminal `fd`: columns = its width - 1, so a row
// never reaches the last column and wraps; rows = its height - 1. 79 by 23
// when the size is unknown.
struct ProgressArea {
  std::size_t columns = 79;
  std::size_t rows = 23;
};
ProgressArea progress_area(int fd);
// `text` cut to at most `columns` characters (UTF-8 aware, no half characters).
std::string progress_fit(std::string_view text, std::size_t columns);

}  // namespace rtx::net
