#include "manager/net/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <utility>

#include "manager/util/log.hpp"
#include "resolver/printable.hpp"

namespace rtx::net {
namespace {

constexpr auto kRedrawEvery = std::chrono::milliseconds(100);  // ~10 Hz: readable, and cheap

}  // namespace

std::string format_bytes(std::uint64_t bytes) {
  static const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
  double v = double(bytes) / 1024;
  int unit = 0;
  while (v >= 1024 && unit < 3) {
    v /= 1024;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %s", v, units[unit]);
  return buf;
}

std::string format_seconds(double seconds) {
  char buf[32];
  if (seconds < 10)
    std::snprintf(buf, sizeof buf, "%.1f s", seconds);
  else if (seconds < 60)
    std::snprintf(buf, sizeof buf, "%.0f s", seconds);
  else {
    long s = std::lround(seconds);
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  }
  return buf;
}

std::string format_rate(std::uint64_t bytes, double seconds) {
  // Below a millisecond the rate is noise; a floor keeps it finite.
  double rate = double(bytes) / std::max(seconds, 0.001);
  return format_bytes(std::uint64_t(rate)) + "/s";
}

std::string format_summary(const std::string& url, std::uint64_t total, std::uint64_t fetched, double seconds) {
  std::string line = "downloaded " + url + ": " + format_bytes(total) + " in " + format_seconds(seconds) + " (" +
                     format_rate(fetched, seconds);
  if (total > fetched) line += ", resumed at " + format_bytes(total - fetched);
  return line + ")";
}

std::string format_progress_line(const std::string& name, std::uint64_t done, std::optional<std::uint64_t> total,
                                 std::uint64_t fetched, double seconds) {
  std::string line = name + "  " + format_bytes(done);
  if (total) line += " / " + format_bytes(*total);
  line += "  " + format_rate(fetched, seconds);
  if (total && *total >= done && fetched > 0 && seconds > 0) {
    double rate = double(fetched) / seconds;
    line += "  ETA " + format_seconds(double(*total - done) / rate);
  }
  return line;
}

ProgressMeter::ProgressMeter(int fd, std::string url, std::string name)
    : fd_(fd), url_(std::move(url)), name_(std::move(name)), start_(std::chrono::steady_clock::now()) {
  // -q (util/log.hpp): no progress line and no summary; retry notices are warnings.
  terminal_ = fd_ >= 0 && ::isatty(fd_) == 1 && util::log_enabled(util::LogLevel::info);
  if (terminal_) board_ = &ProgressBoard::of(fd_);
}

ProgressMeter::~ProgressMeter() {
  if (row_) board_->remove_row(row_);
}

double ProgressMeter::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressMeter::write_all(const std::string& text) const {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // stderr gone: progress is not worth failing a download for
    done += std::size_t(n);
  }
}

void ProgressMeter::update(std::uint64_t done, std::optional<std::uint64_t> total, std::uint64_t fetched) {
  if (!terminal_) return;
  auto now = std::chrono::steady_clock::now();
  if (row_ && now - last_draw_ < kRedrawEvery) return;
  last_draw_ = now;
  std::string line = format_progress_line(name_, done, total, fetched, elapsed());
  if (row_)
    board_->set_row(row_, line);
  else
    row_ = board_->add_row(line);
}

void ProgressMeter::note(const std::string& line) {
  if (fd_ < 0 || !util::log_enabled(util::LogLevel::warn)) return;
  bool color = fd_ == STDERR_FILENO && util::log_color();
  std::string text = util::format_log_line(util::LogLevel::warn, line, color);
  if (board_)
    board_->print(text);  // above the rows, this one's included
  else
    write_all(text);
}

void ProgressMeter::finish(std::uint64_t total, std::uint64_t fetched) {
  if (fd_ < 0) return;
  std::string summary =
      util::log_enabled(util::LogLevel::info) ? format_summary(url_, total, fetched, elapsed()) + "\n" : "";
  if (board_) {
    // The row turns into the summary, above the rows still live.
    if (row_)
      board_->remove_row(std::exchange(row_, 0), summary);
    else
      board_->print(summary);
  } else if (!summary.empty()) {
    write_all(summary);  // one write(2): a whole line, never mixed with another download's
  }
}

}  // namespace rtx::net
