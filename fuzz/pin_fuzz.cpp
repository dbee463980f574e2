// Pins (resolver/pin.cpp, DESIGN.md §5): decode_pin of an RTX_PIN_<TOOL>
// value, and, where the resolver has it, the check a pin must pass before a
// shim trusts it (pin_mismatch), against a real store in /dev/shm: a pin
// accepted for hello names a folder directly in store/hello/, whatever
// "..", symlinks or tricks the value holds.
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <concepts>
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "resolver/pin.hpp"
#include "resolver/request.hpp"
#include "resolver/store_layout.hpp"
#include "resolver/version_spec.hpp"

using namespace rtx::resolver;

namespace {

// Fixed, so seeds can name it: RTX_DATA_DIR of the fake store.
constexpr const char* kData = "/dev/shm/rtx-fuzz-pin/data";

void make(const std::string& path, const char* link_to = nullptr) {
  if (link_to) {
    (void)::symlink(link_to, path.c_str());
  } else {
    (void)::mkdir(path.c_str(), 0755);
  }
}

template <class P>
void check_roundtrip(const P& pin) {
  auto again = decode_pin(encode_pin(pin));
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again->request == pin.request && again->entry_path == pin.entry_path);
  if constexpr (requires { pin.tool; }) FUZZ_CHECK(again->tool == pin.tool);
}

template <class P>
concept HasPinCheck = requires(const StoreLayout& l, const Request& r, const P& p) {
  { pin_mismatch(l, r, p) } -> std::convertible_to<std::string>;
};

template <class P>
void check_against_store(const P& pin) {
  if constexpr (HasPinCheck<P>) {
    Request request;
    request.tool = "hello";
    std::string_view words = pin.request, word;
    while (!words.empty()) {
      rtx::fuzz::split_once(words, ' ', word, words);
      auto spec = parse_spec(word);
      if (!spec) return;
      request.specs.push_back(*spec);
    }
    if (request.specs.empty()) return;
    StoreLayout layout{kData};
    if (!pin_mismatch(layout, request, pin).empty()) return;
    char real[PATH_MAX], store[PATH_MAX];
    FUZZ_CHECK(::realpath(pin.entry_path.c_str(), real) != nullptr);
    FUZZ_CHECK(::realpath(layout.store_dir("hello").c_str(), store) != nullptr);
    std::string r = real, s = std::string(store) + "/";
    FUZZ_CHECK(r.size() > s.size() && r.compare(0, s.size(), s) == 0 && r.find('/', s.size()) == std::string::npos);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const std::string root = "/dev/shm/rtx-fuzz-pin", data = kData, store = data + "/store";
  for (const auto& dir : {root, data, store, store + "/hello", store + "/hello/1.0.0-a", store + "/hello/2.0.0-b",
                          store + "/a-b", store + "/a-b/1.0.0-c", root + "/evil", root + "/evil/x-1"})
    make(dir);
  make(store + "/hello/1.0.1-link", "../../../evil/x-1");  // a symlink out of the store
  make(store + "/hello/up", "..");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view value = rtx::fuzz::as_text(data, size);
  if (value.find('\0') != std::string_view::npos) return 0;  // an environment variable cannot hold one
  for (char c : pin_env_var(value))                          // an environment variable name, whatever the tool
    FUZZ_CHECK((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
  auto pin = decode_pin(value);
  if (!pin) return 0;
  FUZZ_CHECK(!pin->entry_path.empty() && pin->entry_path[0] == '/');
  check_roundtrip(*pin);
  check_against_store(*pin);
  return 0;
}
