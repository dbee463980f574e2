// The pin an ancestor shim exports (DESIGN.md §5): variable name, encoding,
// and the checks that make a pin from a hostile environment harmless.
#include <gtest/gtest.h>

#include "fake_store.hpp"
#include "resolver/pin.hpp"

namespace rtx::resolver {
namespace {

TEST(Pin, EnvVarName) {
  EXPECT_EQ(pin_env_var("node"), "RTX_PIN_NODE");
  EXPECT_EQ(pin_env_var("my-tool"), "RTX_PIN_MY_TOOL");
  EXPECT_EQ(pin_env_var("npm:prettier"), "RTX_PIN_NPM_PRETTIER");
}

TEST(Pin, EncodeDecodeRoundTrip) {
  Pin pin{"python", "3.11 3.10", "/data/store/python/3.11.7-b1"};
  EXPECT_EQ(encode_pin(pin), "python\t3.11 3.10\t/data/store/python/3.11.7-b1");
  auto back = decode_pin(encode_pin(pin));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->tool, pin.tool);
  EXPECT_EQ(back->request, pin.request);
  EXPECT_EQ(back->entry_path, pin.entry_path);
}

TEST(Pin, DecodeRefusesMalformedValues) {
  for (const char* bad :
       {"", "20", "20\t", "20\t/abs/path", "node\t20\trelative/path", "node 20 /abs/path", "\t\t", "\t20\t/abs"})
    EXPECT_FALSE(decode_pin(bad).has_value()) << "accepted '" << bad << "'";
}

class PinCheck : public ::testing::Test {
 protected:
  Request request(const std::string& tool, const std::string& spec) const {
    return Request{tool, {parse_spec(spec).value()}, "test", 1};
  }
  std::string mismatch(const Request& r, const std::string& pin_tool, const std::string& path) const {
    return pin_mismatch(store.layout(), r, Pin{pin_tool, r.joined(), path});
  }
  test::FakeStore store;
};

TEST_F(PinCheck, ABuildOfTheRequestInTheStorePasses) {
  std::string b = store.install("hello", "1.1.0", "b1");
  EXPECT_EQ(mismatch(request("hello", "1"), "hello", b), "");
  EXPECT_EQ(mismatch(request("hello", "1.1.0"), "hello", b), "");
  EXPECT_EQ(mismatch(request("hello", "latest"), "hello", b), "");
}

TEST_F(PinCheck, AnythingOutsideTheToolsStoreFails) {
  std::string b = store.install("hello", "1.1.0", "b1");
  std::string other = store.install("other", "1.1.0", "b1");
  Request r = request("hello", "1");
  EXPECT_NE(mismatch(r, "hello", "/tmp/evil/x-1"), "");
  EXPECT_NE(mismatch(r, "hello", store.data() + "/store/hello/../other/1.1.0-b1"), "");
  EXPECT_NE(mismatch(r, "hello", store.data() + "/store/hello/../../../evil/x-1"), "");
  EXPECT_NE(mismatch(r, "hello", other), "") << "another tool's build";
  EXPECT_NE(mismatch(r, "hello", store.data() + "/store/hello"), "");
  EXPECT_NE(mismatch(r, "hello", store.data() + "/store/hello/"), "");
  EXPECT_NE(mismatch(r, "hello", b + "/bin"), "");
  EXPECT_NE(mismatch(r, "hello", store.data() + "/store/hello/1.1.0-missing"), "");
}

TEST_F(PinCheck, ASymlinkInTheStoreFails) {
  std::string real = store.install("hello", "1.1.0", "b1");
  test::make_symlink(real, store.data() + "/store/hello/1.1.0-link");
  EXPECT_NE(mismatch(request("hello", "1"), "hello", store.data() + "/store/hello/1.1.0-link"), "");
}

TEST_F(PinCheck, AVersionTheRequestDoesNotAllowFails) {
  std::string two = store.install("hello", "2.0.0", "b1");
  EXPECT_NE(mismatch(request("hello", "1"), "hello", two).find("does not satisfy"), std::string::npos);
  std::string rc = store.install("hello", "1.2.0-rc1", "b1");
  EXPECT_NE(mismatch(request("hello", "1"), "hello", rc), "") << "a prefix never selects a prerelease";
}

TEST_F(PinCheck, TheToolAndRequestMustBeTheRequests) {
  std::string b = store.install("a_b", "1.0.0", "b1");
  Request r = request("a-b", "1");
  EXPECT_NE(pin_mismatch(store.layout(), r, Pin{"a_b", "1", b}), "");
  Request ours = request("a_b", "1");
  EXPECT_NE(pin_mismatch(store.layout(), ours, Pin{"a_b", "2", b}), "");
  EXPECT_EQ(pin_mismatch(store.layout(), ours, Pin{"a_b", "1", b}), "");
}

TEST_F(PinCheck, AnAliasSpecNeedsTheBuildToCarryTheAlias) {
  std::string b = store.install("node", "20.11.1", "b1");
  Request lts = request("node", "lts");
  EXPECT_NE(mismatch(lts, "node", b), "");
  test::write_file(meta_path(b), "bin bin\nalias lts\nalias lts-iron\n");
  EXPECT_EQ(mismatch(lts, "node", b), "");
  EXPECT_EQ(mismatch(request("node", "lts-iron"), "node", b), "");
  EXPECT_NE(mismatch(request("node", "lts-hydrogen"), "node", b), "");
}

}  // namespace
}  // namespace rtx::resolver
