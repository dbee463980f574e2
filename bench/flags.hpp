// The "--name value" flags of a benchmark. Each pair goes to `set`, which
// returns false for a name it does not know; a missing value or an unknown
// name throws (main prints it), naming `source`, whose top comment lists the
// flags.
#pragma once

#include <stdexcept>
#include <string>

namespace rtx::bench {

template <class Set>
void parse_flags(int argc, char** argv, const std::string& source, Set set) {
  for (int i = 1; i < argc; i += 2) {
    std::string name = argv[i];
    if (i + 1 >= argc) throw std::runtime_error(name + " needs a value (see the comment at the top of " + source + ")");
    if (!set(name, std::string(argv[i + 1])))
      throw std::runtime_error("unknown argument " + name + " (see the comment at the top of " + source + ")");
  }
}

}  // namespace rtx::bench
