// Concurrent downloads' progress (issue 10 item 4): on a terminal (a real
// pty) each gets a row, log lines and summaries land above the rows, and the
// final screen holds whole lines; on a pipe, exactly one summary line each,
// never mixed. The screen is what a VT100 shows after the byte stream (the
// few sequences the board writes).
#include "manager/net/progress_board.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pty.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <thread>
#include <vector>

#include "manager/net/progress.hpp"
#include "manager/util/log.hpp"

namespace rtx::net {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// The screen after `bytes` on a terminal `width` columns wide: CR, LF,
// "\033[nA" (up), "\033[K" (erase to end of line), "\033[J" (erase to end of
// screen), colours ignored, wrapping at the last column. Trailing empty
// lines dropped.
std::vector<std::string> board_test_screen(const std::string& bytes, std::size_t width) {
  std::vector<std::string> lines(1);
  std::size_t row = 0, col = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    char c = bytes[i];
    if (c == '\r') {
      col = 0;
    } else if (c == '\n') {
      if (++row == lines.size()) lines.emplace_back();
    } else if (c == '\033' && i + 1 < bytes.size() && bytes[i + 1] == '[') {
      std::size_t end = bytes.find_first_not_of("0123456789;", i + 2);
      if (end == std::string::npos) break;
      std::string arg = bytes.substr(i + 2, end - i - 2);
      std::size_t n = arg.empty() ? 1 : std::stoul(arg);
      if (bytes[end] == 'A') row = row >= n ? row - n : 0;
      if (bytes[end] == 'K' || bytes[end] == 'J') lines[row].resize(std::min(lines[row].size(), col));
      if (bytes[end] == 'J') lines.resize(row + 1);
      i = end;
    } else {
      if (col == width) {  // the terminal wraps
        col = 0;
        if (++row == lines.size()) lines.emplace_back();
      }
      if (lines[row].size() <= col) lines[row].resize(col + 1, ' ');
      lines[row][col++] = c;
    }
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

// A pty `width` x 24 whose output a thread drains (a full pty buffer would
// block the writers); output() once the terminal side is closed.
class BoardTestPty {
 public:
  explicit BoardTestPty(unsigned short width) {
    winsize ws{};
    ws.ws_col = width;
    ws.ws_row = 24;
    if (::openpty(&master_, &slave_, nullptr, nullptr, &ws) != 0) throw std::runtime_error("openpty failed");
    reader_ = std::thread([this] {
      char buf[4096];
      for (;;) {
        ssize_t n = ::read(master_, buf, sizeof buf);
        if (n > 0)
          bytes_.append(buf, std::size_t(n));
        else if (n < 0 && errno == EINTR)
          continue;
        else
          return;  // EIO: the terminal side is closed and everything was read
      }
    });
  }
  ~BoardTestPty() {
    close_terminal();
    if (reader_.joinable()) reader_.join();
    ::close(master_);
  }
  int terminal() const { return slave_; }
  std::string output() {
    close_terminal();
    reader_.join();
    return bytes_;
  }

 private:
  void close_terminal() {
    if (slave_ >= 0) ::close(slave_);
    slave_ = -1;
  }
  int master_ = -1, slave_ = -1;
  std::thread reader_;
  std::string bytes_;
};

TEST(ProgressBoard, RowsStayBelowTheLinesPrintedAboveThem) {
  BoardTestPty pty(60);
  {
    ProgressBoard board(pty.terminal());
    auto a = board.add_row("a.tar.xz  1.0 KiB");
    auto b = board.add_row("b.tar.gz  2.0 KiB");
    auto c = board.add_row("c.tgz  3.0 KiB");
    board.set_row(b, "b.tar.gz  2.5 KiB / 9.0 KiB");
    board.print("rtx: installing go 1.22.1\n");
    board.remove_row(a, "downloaded http://x/a.tar.xz: 4.0 KiB in 0.1 s (40.0 KiB/s)\n");
    board.set_row(c, "c.tgz  3.5 KiB");
    EXPECT_EQ(board.rows(), 2u);
  }
  // The board went with its rows still drawn: they stay on the screen as last drawn.
  EXPECT_THAT(board_test_screen(pty.output(), 60),
              ElementsAre("rtx: installing go 1.22.1", "downloaded http://x/a.tar.xz: 4.0 KiB in 0.1 s (40.0 KiB/s)",
                          "b.tar.gz  2.5 KiB / 9.0 KiB", "c.tgz  3.5 KiB"));
}

TEST(ProgressBoard, TheLastRowGoneLeavesOnlyWholeLines) {
  BoardTestPty pty(60);
  ProgressBoard board(pty.terminal());
  auto a = board.add_row("a.tar.xz  1.0 KiB / 9.0 KiB  1.0 KiB/s  ETA 8.0 s");
  auto b = board.add_row("b.tar.gz  2.0 KiB");
  board.remove_row(a, "downloaded a\n");
  board.remove_row(b);  // failed: no summary
  board.print("rtx: b failed\n");
  EXPECT_EQ(board.rows(), 0u);
  EXPECT_THAT(board_test_screen(pty.output(), 60), ElementsAre("downloaded a", "rtx: b failed"));
}

TEST(ProgressBoard, RowsNeverWrap) {
  BoardTestPty pty(20);
  ProgressBoard board(pty.terminal());
  board.add_row(std::string(50, 'x'));
  board.add_row("short");
  board.add_row("é" + std::string(30, 'y'));  // cut by characters, not bytes
  std::string bytes = pty.output();
  EXPECT_THAT(board_test_screen(bytes, 20), ElementsAre(std::string(19, 'x'), "short", "é" + std::string(18, 'y')));
}

TEST(ProgressBoard, ControlCharactersInARowAreShownNotObeyed) {
  BoardTestPty pty(60);
  ProgressBoard board(pty.terminal());
  board.add_row("evil\033[2J\rname");
  EXPECT_THAT(board_test_screen(pty.output(), 60), ElementsAre(StartsWith("evil\\e[2J\\rname")));
}

TEST(ProgressBoard, WithoutRowsALineIsWrittenAsItIs) {
  BoardTestPty pty(60);
  ProgressBoard board(pty.terminal());
  board.print("rtx: plain\n");
  EXPECT_EQ(pty.output(), "rtx: plain\r\n");  // the pty's ONLCR adds the \r
}

// Four downloads at once on a terminal, each updated many times then
// finished: the screen ends with four whole summary lines and no row.
TEST(ProgressBoard, ConcurrentMetersEndAsOneSummaryLineEach) {
  BoardTestPty pty(100);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([t, fd = pty.terminal()] {
      std::string name = "tool" + std::to_string(t) + ".tar.xz";
      ProgressMeter meter(fd, "http://127.0.0.1/" + name, name);
      for (std::uint64_t done = 0; done <= 64 * 1024; done += 1024) meter.update(done, 64 * 1024, done);
      meter.finish(64 * 1024, 64 * 1024);
    });
  for (auto& t : threads) t.join();
  auto screen = board_test_screen(pty.output(), 100);
  ASSERT_EQ(screen.size(), 4u) << ::testing::PrintToString(screen);
  std::vector<bool> seen(4);
  for (const auto& line : screen) {
    EXPECT_THAT(line, StartsWith("downloaded http://127.0.0.1/tool"));
    EXPECT_THAT(line, HasSubstr(".tar.xz: 64.0 KiB in "));
    seen[std::size_t(line[32] - '0')] = true;
  }
  EXPECT_THAT(seen, ElementsAre(true, true, true, true));
}

// A note (util::log) while rows are live, through stderr's board.
TEST(ProgressBoard, LogLinesPrintedWhileRowsAreLiveLandAboveThem) {
  BoardTestPty pty(80);
  int saved = ::dup(STDERR_FILENO);
  ::dup2(pty.terminal(), STDERR_FILENO);
  {
    ProgressMeter a(STDERR_FILENO, "http://h/a.tgz", "a.tgz");
    ProgressMeter b(STDERR_FILENO, "http://h/b.tgz", "b.tgz");
    a.update(1024, 4096, 1024);
    b.update(2048, 4096, 2048);
    util::log_info("installing b 1.0.0");
    a.finish(4096, 4096);
  }  // b went without finishing (a failed download): its row is cleared
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  auto screen = board_test_screen(pty.output(), 80);
  ASSERT_EQ(screen.size(), 2u) << ::testing::PrintToString(screen);
  EXPECT_EQ(screen[0], "rtx: installing b 1.0.0");
  EXPECT_THAT(screen[1], StartsWith("downloaded http://h/a.tgz: 4.0 KiB in "));
}

// Not a terminal (CI, a log file): one summary line per download, whole.
TEST(ProgressBoard, APipeGetsOneWholeSummaryLinePerDownload) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::string bytes;
  std::thread reader([&] {
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) bytes.append(buf, std::size_t(n));
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([t, fd = fds[1]] {
      std::string name = "f" + std::to_string(t) + ".tgz";
      ProgressMeter meter(fd, "http://127.0.0.1/" + name, name);
      EXPECT_FALSE(meter.is_terminal());
      for (std::uint64_t done = 0; done <= 8192; done += 512) meter.update(done, 8192, done);
      meter.finish(8192, 8192);
    });
  for (auto& t : threads) t.join();
  ::close(fds[1]);
  reader.join();
  ::close(fds[0]);
  EXPECT_EQ(bytes.find('\033'), std::string::npos);
  EXPECT_EQ(bytes.find('\r'), std::string::npos);
  std::vector<std::string> lines;
  for (std::size_t start = 0, end; (end = bytes.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(bytes.substr(start, end - start));
  ASSERT_EQ(lines.size(), 6u) << bytes;
  for (const auto& line : lines)
    EXPECT_THAT(line, ::testing::MatchesRegex("downloaded http://127.0.0.1/f[0-5].tgz: 8.0 KiB in .*\\)"));
}

}  // namespace
}  // namespace rtx::net
