/* rtx-bench-exec-hop: the baseline "one exec hop costs this much". It only
 * execv's argv[1] with the remaining arguments: no lookup, no allocation.
 * Static, like rtx-shim, so both pay the same loader cost. */
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 2) return 127;
  execv(argv[1], argv + 1);
  return 126;
}
