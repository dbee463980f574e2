// The pin an ancestor shim exports (DESIGN.md §5): variable name and encoding.
#include <gtest/gtest.h>

#include "resolver/pin.hpp"

namespace rtx::resolver {
namespace {

TEST(Pin, EnvVarName) {
  EXPECT_EQ(pin_env_var("node"), "RTX_PIN_NODE");
  EXPECT_EQ(pin_env_var("my-tool"), "RTX_PIN_MY_TOOL");
  EXPECT_EQ(pin_env_var("npm:prettier"), "RTX_PIN_NPM_PRETTIER");
}

TEST(Pin, EncodeDecodeRoundTrip) {
  Pin pin{"3.11 3.10", "/data/store/python/3.11.7-b1"};
  EXPECT_EQ(encode_pin(pin), "3.11 3.10\t/data/store/python/3.11.7-b1");
  auto back = decode_pin(encode_pin(pin));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->request, pin.request);
  EXPECT_EQ(back->entry_path, pin.entry_path);
}

TEST(Pin, DecodeRefusesMalformedValues) {
  for (const char* bad : {"", "20", "20\t", "20\trelative/path", "20 /abs/path", "\t"})
    EXPECT_FALSE(decode_pin(bad).has_value()) << "accepted '" << bad << "'";
}

}  // namespace
}  // namespace rtx::resolver
