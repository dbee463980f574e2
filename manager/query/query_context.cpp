#include "manager/query/query_context.hpp"

#include <unistd.h>

#include "resolver/file_io.hpp"

namespace rtx::cli {

Expected<QueryContext> make_query_context() {
  auto roots = resolver::roots_from_env();
  if (!roots) return Error{roots.error()};
  QueryContext ctx;
  ctx.roots = *roots;
  ctx.layout = resolver::StoreLayout{roots->data};
  char buf[4096];
  ctx.cwd = ::getcwd(buf, sizeof buf) ? buf : "/";
  return ctx;
}

std::string front_binary() {
  std::string self = resolver::read_link("/proc/self/exe");
  std::size_t slash = self.rfind('/');
  if (slash == std::string::npos || self.compare(slash + 1, std::string::npos, "rtx-manager") != 0) return self;
  std::string front = self.substr(0, slash) + "/rtx";
  return ::access(front.c_str(), X_OK) == 0 ? front : self;
}

int fail(const std::string& message, int status) {
  util::log_error(message);
  return status;
}

void note(const std::string& line) { util::log_info(line); }

std::optional<resolver::Candidate> installed_match(const QueryContext& ctx, const resolver::Request& request) {
  resolver::Acquired acquired;
  if (!resolver::acquire_build(ctx.layout, request, acquired)) return std::nullopt;
  std::string entry = acquired.entry_path.substr(acquired.entry_path.rfind('/') + 1);
  return resolver::Candidate{acquired.version, acquired.entry_path.empty() ? "" : entry};
}

}  // namespace rtx::cli
