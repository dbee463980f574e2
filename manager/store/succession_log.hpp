// Which build replaced which, per tool ($RTX_STATE_DIR/successions/<tool>),
// which versions a rollback held back, and how many rollbacks ran. `rtx
// rollback` reads the first, `rtx upgrade` the second, and an upgrade's commit
// compares the third with what it saw when it planned (DESIGN.md §6 step 5);
// `keep_previous` counts from the first. Writers hold the tool lock.
#pragma once

#include <string>
#include <vector>

#include "resolver/expected.hpp"

namespace rtx::store {

struct Succession {
  std::string retired;    // entry name of the build that was replaced
  std::string successor;  // entry name of the build that replaced it
};

class SuccessionLog {
 public:
  SuccessionLog(std::string state_dir, std::string tool);

  std::vector<Succession> read() const;  // oldest first
  [[nodiscard]] Status append(const Succession& s) const;

  std::vector<std::string> held_back() const;  // versions
  [[nodiscard]] Status hold_back(const std::string& version) const;
  [[nodiscard]] Status clear_held_back() const;
  [[nodiscard]] Status unhold(const std::string& version) const;

  // Rollbacks of the tool so far (a counter that only grows).
  unsigned long rollbacks() const;
  [[nodiscard]] Status count_rollback() const;

 private:
  std::string successions_;
  std::string held_back_;
  std::string rollbacks_;
};

}  // namespace rtx::store
