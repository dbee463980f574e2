// A shell in a tmux terminal, typed at as a user would (the interactive e2e
// tests: completion on TAB, a new user's first `node`).
//
//   Terminal term(world, "env PS1='$ ' bash --norc");
//   term.type("echo hi");
//   term.press("Enter");
//   ASSERT_TRUE(term.shows("hi\n", &screen)) << screen;
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "harness.hpp"

namespace rtx::e2e {

class Terminal {
 public:
  // A socket of its own each: a server still going away on the last one's
  // socket made the next new-session fail ("server exited unexpectedly").
  Terminal(const World& world, const std::string& command)
      : world_(world), socket_(world.root() + "/tmux-" + std::to_string(next_id_++) + ".sock") {
    Output o = world_.sh("tmux -S '" + socket_ + "' -f /dev/null new-session -d -x 160 -y 40 " + command);
    if (o.status != 0) throw std::runtime_error("tmux did not start: " + o.err);
  }
  ~Terminal() { world_.sh("tmux -S '" + socket_ + "' kill-server"); }

  void type(const std::string& text) {
    std::string quoted;
    for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    keys("-l '" + quoted + "'");
  }
  void press(const std::string& key) { keys(key); }  // "Enter", "Tab", "C-u"

  std::string screen() const { return world_.sh("tmux -S '" + socket_ + "' capture-pane -p").out; }

  // Waits up to `seconds` for `text` to show; the screen then, for a message.
  bool shows(const std::string& text, std::string* last = nullptr, int seconds = 15) const {
    std::string s;
    for (int i = 0; i < seconds * 20; ++i) {
      s = screen();
      if (s.find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (last) *last = s;
    return false;
  }

 private:
  void keys(const std::string& args) { world_.sh("tmux -S '" + socket_ + "' send-keys -t 0 " + args); }

  static inline int next_id_ = 0;
  const World& world_;
  std::string socket_;
};

}  // namespace rtx::e2e
