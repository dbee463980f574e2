// Which build replaced which, per tool ($RTX_STATE_DIR/successions/<tool>),
// and which versions a rollback held back. `rtx rollback` reads the first,
// `rtx upgrade` the second; `keep_previous` counts from the first.
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
  Status append(const Succession& s) const;

  std::vector<std::string> held_back() const;  // versions
  Status hold_back(const std::string& version) const;
  Status clear_held_back() const;
  Status unhold(const std::string& version) const;

 private:
  std::string successions_;
  std::string held_back_;
};

}  // namespace rtx::store
