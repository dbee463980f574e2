// toml++'s implementation, compiled once for everything that includes
// resolver/toml.hpp (see there).
#define TOML_IMPLEMENTATION
#include "resolver/toml.hpp"
