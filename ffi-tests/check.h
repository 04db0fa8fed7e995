/* A minimal test harness for the ecvkit C tests: CHECK counts and reports failures, and
 * check_summary() prints "N passed, N failed" and gives the exit code. */
#ifndef ECVKIT_CHECK_H
#define ECVKIT_CHECK_H

#include <math.h>
#include <stdio.h>

static int check_passed = 0;
static int check_failed = 0;

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (cond) {                                                                 \
            check_passed++;                                                         \
        } else {                                                                    \
            check_failed++;                                                         \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                           \
    } while (0)

/* A status check that prints what the library said on failure. */
#define CHECK_STATUS(call, expected)                                                \
    do {                                                                            \
        ecv_status got_ = (call);                                                   \
        if (got_ == (ecv_status)(expected)) {                                       \
            check_passed++;                                                         \
        } else {                                                                    \
            check_failed++;                                                         \
            fprintf(stderr, "%s:%d: %s returned %u (%s), expected %s\n", __FILE__,  \
                    __LINE__, #call, (unsigned)got_, ecv_status_str(got_), #expected); \
        }                                                                           \
    } while (0)

#define CHECK_NEAR(a, b, tol) CHECK(fabs((double)(a) - (double)(b)) <= (tol))

static int check_summary(const char *name) {
    printf("%s: %d passed, %d failed\n", name, check_passed, check_failed);
    return check_failed == 0 ? 0 : 1;
}

#endif
