// Proxies come from the environment, read by libcurl itself (http_proxy,
// HTTPS_PROXY, NO_PROXY), plus the upper-case HTTP_PROXY rtx passes on. A
// second HttpServer plays the proxy: it serves absolute-form requests by path.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "manager/net/downloader.hpp"
#include "net_fixture.hpp"

namespace rtx::net {
namespace {

using ::testing::StartsWith;
using DownloadProxy = test::NetTest;

TEST_F(DownloadProxy, LowerCaseHttpProxyCarriesTheRequest) {
  test::HttpServer proxy;
  proxy.add_file("/dist/tool.tgz", "through the proxy");
  test::ScopedEnv env("http_proxy", proxy.base_url().c_str());
  auto req = request_for("/unused");
  req.url = "http://mirror.rtx-test.invalid/dist/tool.tgz";  // resolvable only by the proxy
  auto got = download(req);
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(test::read_file(req.dest), "through the proxy");
  ASSERT_EQ(proxy.request_count("/dist/tool.tgz"), 1);
  EXPECT_EQ(proxy.last_request("/dist/tool.tgz")->target, req.url);
}

TEST_F(DownloadProxy, UpperCaseHttpProxyIsHonouredToo) {
  test::HttpServer proxy;
  proxy.add_file("/dist/tool.tgz", "upper");
  test::ScopedEnv env("HTTP_PROXY", proxy.base_url().c_str());
  auto req = request_for("/unused");
  req.url = "http://mirror.rtx-test.invalid/dist/tool.tgz";
  auto got = download(req);
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(proxy.request_count("/dist/tool.tgz"), 1);
}

TEST_F(DownloadProxy, WithoutNoProxyEvenLoopbackGoesThroughTheProxy) {
  // The control for the next test: the proxy really is in the path.
  test::HttpServer proxy;
  proxy.add_file("/f", "from proxy");
  server.add_file("/f", "from origin");
  test::ScopedEnv env("http_proxy", proxy.base_url().c_str());
  auto req = request_for("/f");
  ASSERT_TRUE(download(req));
  EXPECT_EQ(test::read_file(req.dest), "from proxy");
  EXPECT_EQ(server.request_count("/f"), 0);
}

TEST_F(DownloadProxy, NoProxyBypassesIt) {
  test::HttpServer proxy;
  proxy.add_file("/f", "from proxy");
  server.add_file("/f", "from origin");
  test::ScopedEnv env("http_proxy", proxy.base_url().c_str());
  test::ScopedEnv no("NO_PROXY", "localhost,127.0.0.1");
  auto req = request_for("/f");
  ASSERT_TRUE(download(req));
  EXPECT_EQ(test::read_file(req.dest), "from origin");
  EXPECT_EQ(proxy.total_requests(), 0);
}

TEST_F(DownloadProxy, NoProxyAppliesToTheUpperCaseHttpProxyAsWell) {
  test::HttpServer proxy;
  server.add_file("/f", "from origin");
  test::ScopedEnv env("HTTP_PROXY", proxy.base_url().c_str());
  test::ScopedEnv no("no_proxy", "127.0.0.1");
  auto req = request_for("/f");
  ASSERT_TRUE(download(req));
  EXPECT_EQ(test::read_file(req.dest), "from origin");
  EXPECT_EQ(proxy.total_requests(), 0);
}

}  // namespace
}  // namespace rtx::net
