// Math that Swift's own functions do not let LLVM vectorise on Linux: `Float.squareRoot()` goes through C's
// `sqrtf`, which may set errno, so every loop with a square root ran one element at a time. Clang's elementwise
// builtin never touches errno and becomes a vector square root.
static inline float soma_sqrtf(float x) { return __builtin_elementwise_sqrt(x); }
static inline double soma_sqrt(double x) { return __builtin_elementwise_sqrt(x); }
