// What a download shows on stderr (issue 4): on a terminal, a row redrawn in
// place with bytes, rate and ETA, at most ~10 times a second, which becomes
// the summary line when it ends; otherwise (logs, CI, cron) nothing while it
// runs and one summary line at the end, one write(2), so concurrent
// downloads (`rtx install -j`) never mix within a line:
//   downloaded URL: 12.3 MiB in 1.2 s (10.2 MiB/s)
// Rows of concurrent downloads on one terminal share its board
// (progress_board.hpp): one row each, log lines printed above them.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "manager/net/progress_board.hpp"

namespace rtx::net {

std::string format_bytes(std::uint64_t bytes);                 // "512 B", "1.5 KiB", "12.3 MiB", "1.1 GiB"
std::string format_seconds(double seconds);                    // "0.4 s", "12 s", "3m05s"
std::string format_rate(std::uint64_t bytes, double seconds);  // "10.2 MiB/s"

// "downloaded URL: 12.3 MiB in 1.2 s (10.2 MiB/s)". `fetched` are the bytes
// this run transferred; when it resumed, `total` is larger and the line adds
// ", resumed at <total - fetched>".
std::string format_summary(const std::string& url, std::uint64_t total, std::uint64_t fetched, double seconds);

// "node-v20.tar.xz  3.1 MiB / 40.0 MiB  10.2 MiB/s  ETA 4 s" (no ETA or total
// when the size is unknown).
std::string format_progress_line(const std::string& name, std::uint64_t done, std::optional<std::uint64_t> total,
                                 std::uint64_t fetched, double seconds);

class ProgressMeter {
 public:
  // fd < 0: silent. Whether it is a terminal is decided once, here.
  ProgressMeter(int fd, std::string url, std::string name);
  ~ProgressMeter();  // takes its row off the board, so an error printed next starts clean
  ProgressMeter(const ProgressMeter&) = delete;
  ProgressMeter& operator=(const ProgressMeter&) = delete;

  bool is_terminal() const { return terminal_; }
  // Bytes now in the file, of `total` when known, `fetched` of them by this run.
  void update(std::uint64_t done, std::optional<std::uint64_t> total, std::uint64_t fetched);
  // A warning outside the progress line (a retry notice): "rtx: " + line.
  void note(const std::string& line);
  // The summary line, replacing the progress row on a terminal.
  void finish(std::uint64_t total, std::uint64_t fetched);

 private:
  void write_all(const std::string& text) const;
  double elapsed() const;

  int fd_;
  bool terminal_ = false;
  ProgressBoard* board_ = nullptr;  // on a terminal
  ProgressBoard::RowId row_ = 0;    // 0: no row yet (nothing drawn)
  std::string url_;
  std::string name_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace rtx::net
