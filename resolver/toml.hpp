// The one way rtx includes toml++: header-only, no exceptions (so the static
// shim carries no shared libtomlplusplus and no throw on its hot path).
#pragma once

#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
// Floats through std::from_chars, not std::stringstream: keeps locale and
// iostreams out of the static shim (~800 KB of text, ~35 µs per exec).
#define TOML_FLOAT_CHARCONV 1
#define TOML_ENABLE_WINDOWS_COMPAT 0
#include <toml++/toml.h>
