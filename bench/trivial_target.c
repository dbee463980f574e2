/* rtx-bench-target: the tool the benchmarks run. Static; exits 0 at once, so
 * a measurement of "run the tool" is all exec and process overhead. */
int main(void) { return 0; }
