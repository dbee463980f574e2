// What `rtx doctor` reports (issue 9 item 9): one finding per thing a user got
// wrong, each with the fix. Only a `Problem` makes doctor exit 1: a warning is
// a setup that works but likely not as meant, a note is worth knowing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rtx::doctor {

enum class Severity { Problem, Warning, Note };

// "problem", "warning", "note".
std::string_view severity_name(Severity s);

struct Finding {
  Severity severity = Severity::Note;
  std::string check;  // short id: "roots", "path", "path-order", "activation", "plugins", "builds", …
  std::string what;   // what is wrong and where (raw bytes: printed through resolver::printable)
  std::string fix;    // the command or line that fixes it
};

using Findings = std::vector<Finding>;

}  // namespace rtx::doctor
