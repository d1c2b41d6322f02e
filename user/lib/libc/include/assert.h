/* C's <assert.h>: a failed assertion prints the expression and its place, then aborts.
 * Like every assert.h, this one may be included again with NDEBUG changed, so it has no guard. */
#undef assert

#ifdef __cplusplus
extern "C" {
#endif

__attribute__((noreturn)) void __tessera_assert_fail(const char* expression, const char* file,
                                                     int line, const char* function);

#ifdef __cplusplus
}
#endif

#ifdef NDEBUG
#define assert(expression) ((void)0)
#else
#define assert(expression)                                                                         \
    ((expression) ? (void)0 : __tessera_assert_fail(#expression, __FILE__, __LINE__, __func__))
#endif

#if !defined(__cplusplus) && !defined(static_assert)
#define static_assert _Static_assert
#endif
