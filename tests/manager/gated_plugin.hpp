// A copy of the sample plugin whose bin/install counts its runs, says "started"
// on a FIFO, then waits for a word on a second FIFO: "go" builds, anything else
// fails. Tests use it to hold an install at a known point without sleeps.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "fs_helpers.hpp"

namespace rtx::test {

class GatedPlugin {
 public:
  GatedPlugin(const std::string& sample_copy, const std::string& work_dir)
      : dir_(sample_copy),
        counter_(work_dir + "/runs"),
        started_(work_dir + "/started.fifo"),
        gate_(work_dir + "/gate.fifo") {
    if (::mkfifo(started_.c_str(), 0600) != 0 || ::mkfifo(gate_.c_str(), 0600) != 0)
      throw std::runtime_error("mkfifo failed");
    // O_RDWR: opening never blocks, and the script's own opens find the other end.
    started_fd_ = ::open(started_.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    gate_fd_ = ::open(gate_.c_str(), O_RDWR | O_CLOEXEC);
    if (started_fd_ < 0 || gate_fd_ < 0) throw std::runtime_error("cannot open the FIFOs");
    std::filesystem::rename(dir_ + "/bin/install", dir_ + "/bin/install.real");
    write_script(dir_ + "/bin/install",
                 "echo $$ >> '" + counter_ +
                     "'\n"
                     // <> opens never block, so the read timeout bounds every wait.
                     "exec 3<>'" +
                     started_ + "' 4<>'" + gate_ +
                     "'\n"
                     "echo started >&3\n"
                     "read -r -t 20 word <&4\n"
                     "exec 3>&- 4>&-\n"
                     "[ \"$word\" = go ] || { echo \"gated install: told '$word'\" >&2; exit 1; }\n"
                     "exec \"$(dirname \"$0\")/install.real\"");
  }
  ~GatedPlugin() {
    // Release any install still waiting, whatever the test did.
    for (int i = 0; i < 8; ++i) (void)!::write(gate_fd_, "stop\n", 5);
    ::close(started_fd_);
    ::close(gate_fd_);
  }
  GatedPlugin(const GatedPlugin&) = delete;
  GatedPlugin& operator=(const GatedPlugin&) = delete;

  const std::string& dir() const { return dir_; }

  // Blocks (bounded) until one more install run has reached the gate.
  bool wait_started(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    auto end = std::chrono::steady_clock::now() + timeout;
    while (pending_.find("started\n") == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{started_fd_, POLLIN, 0};
      if (::poll(&p, 1, int(left.count())) <= 0) continue;
      char buf[256];
      ssize_t n = ::read(started_fd_, buf, sizeof buf);
      if (n > 0) pending_.append(buf, std::size_t(n));
    }
    pending_.erase(0, pending_.find("started\n") + 8);
    return true;
  }

  // Lets the next waiting run go on ("go") or fail (anything else).
  void open_gate(const std::string& word = "go") {
    std::string line = word + "\n";
    if (::write(gate_fd_, line.data(), line.size()) != ssize_t(line.size())) throw std::runtime_error("gate write");
  }

  // How many times bin/install ran.
  int runs() const {
    std::string text = read_text(counter_);
    int n = 0;
    for (char c : text) n += c == '\n';
    return n;
  }

 private:
  std::string dir_, counter_, started_, gate_;
  int started_fd_ = -1, gate_fd_ = -1;
  std::string pending_;
};

}  // namespace rtx::test
