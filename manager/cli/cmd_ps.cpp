// rtx ps: implemented in the next commit.
#include "manager/cli/commands.hpp"

namespace rtx::cli {

int cmd_ps(Context&, const std::optional<std::string>&, bool) { return fail("rtx ps is not available yet"); }

}  // namespace rtx::cli
