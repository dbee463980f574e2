// The read-only commands both binaries run (manager/query/query_context.hpp):
// the front answers them itself, the full manager calls these same functions.
// Each returns the exit status.
#pragma once

#include <optional>
#include <string>

#include "manager/query/query_context.hpp"

namespace rtx::cli {

int cmd_ls(QueryContext& ctx, const std::optional<std::string>& tool, bool json);
int cmd_current(QueryContext& ctx, const std::optional<std::string>& tool, bool json);
int cmd_which(QueryContext& ctx, const std::string& command);
int cmd_ps(QueryContext& ctx, const std::optional<std::string>& tool, bool json);

}  // namespace rtx::cli
