// <entry>.meta (resolver/build_meta.cpp): parse(serialize(x)) == x, for x read
// from a file and for x built from arbitrary values a manager may write.
// Where serialize() can refuse (DESIGN.md §2: no control characters in a
// line-based file), it must refuse exactly the values holding one.
#include <fuzzer/FuzzedDataProvider.h>

#include <optional>
#include <string>
#include <type_traits>

#include "fuzz/fuzz_check.hpp"
#include "resolver/build_meta.hpp"

using rtx::resolver::BuildMeta;

namespace {

// serialize() returns the text, or an Expected of it where it can refuse.
constexpr bool kCanRefuse = !std::is_same_v<decltype(BuildMeta{}.serialize()), std::string>;

template <class Meta>  // a template, so only the branch for today's serialize() is compiled
std::optional<std::string> serialize(const Meta& meta) {
  auto out = meta.serialize();
  if constexpr (kCanRefuse) {
    if (!out) {
      FUZZ_CHECK(!out.error().empty());
      return std::nullopt;
    }
    return *out;
  } else {
    return out;
  }
}

bool has_control(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  return false;
}

bool has_control(const BuildMeta& m) {
  for (const auto* list : {&m.bin_dirs, &m.path_prepend, &m.aliases})
    for (const auto& s : *list)
      if (has_control(s)) return true;
  for (const auto& [k, v] : m.env)
    if (has_control(k) || has_control(v)) return true;
  return false;
}

bool same(const BuildMeta& a, const BuildMeta& b) {
  return a.bin_dirs == b.bin_dirs && a.env == b.env && a.path_prepend == b.path_prepend && a.aliases == b.aliases;
}

void check_roundtrip(const BuildMeta& meta) {
  auto text = serialize(meta);
  if (kCanRefuse) FUZZ_CHECK(text.has_value() == !has_control(meta));
  if (!text) return;
  BuildMeta back = rtx::resolver::parse_build_meta(*text);
  FUZZ_CHECK(same(back, meta));
  FUZZ_CHECK(serialize(back) == text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check_roundtrip(rtx::resolver::parse_build_meta(rtx::fuzz::as_text(data, size)));

  // Values as a backend hands them over; only where serialize() can refuse
  // may they hold control characters (a line break would add a line).
  FuzzedDataProvider in(data, size);
  BuildMeta made;
  auto value = [&] {
    std::string s = in.ConsumeRandomLengthString(64);
    if (!kCanRefuse) std::erase_if(s, [](char c) { return has_control(std::string_view(&c, 1)); });
    return s;
  };
  while (in.remaining_bytes() > 0 && made.bin_dirs.size() + made.env.size() + made.path_prepend.size() < 32) {
    switch (in.ConsumeIntegralInRange(0, 3)) {
      case 0:
        made.bin_dirs.push_back(value());
        break;
      case 1: {
        std::string key = value();
        std::erase(key, '=');
        if (!key.empty()) made.env.emplace_back(key, value());
        break;
      }
      case 2:
        made.path_prepend.push_back(value());
        break;
      default:
        made.aliases.push_back(value());
        break;
    }
  }
  check_roundtrip(made);
  return 0;
}
