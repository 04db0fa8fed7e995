/* C tests of the survival functions: a small Kaplan-Meier fit and log-rank test against R's
 * printout, and every error the C caller can meet (buffer too small, n = 0, all censored, one
 * group empty, NaN time, negative time, event not 0/1), with outputs untouched on failure. */
#include <string.h>

#include "check.h"
#include "ecvkit.h"

/* R: survfit(Surv(T, E) ~ 1); survdiff(Surv(T, E) ~ G) */
#define N 8
static const double T[N] = {1.0, 2.0, 2.0, 3.0, 4.0, 4.0, 5.0, 6.0};
static const uint8_t E[N] = {1, 1, 0, 1, 0, 1, 1, 0};
static const uint32_t G[N] = {0, 0, 0, 0, 1, 1, 1, 1};

static uint64_t scratch[4 * N];

static void test_km_table(void) {
    ecv_km_row rows[N];
    ecv_km_summary s;
    size_t needed = 0;
    ecv_km_options o = ecv_km_options_default();
    CHECK(o.conf_type == ECV_CONF_TYPE_LOG && o.conf_level == 0.95);
    CHECK(o.time_matching == ECV_TIME_MATCHING_R_TIMEFIX);
    CHECK(ecv_survival_scratch_len(N) == 4 * N);

    CHECK_STATUS(ecv_km_rows_needed(T, E, N, ECV_TIME_MATCHING_R_TIMEFIX, scratch, 4 * N, &needed),
                 ECV_OK);
    CHECK(needed == 6);
    CHECK_STATUS(ecv_km_estimate(T, E, N, NULL, scratch, 4 * N, rows, N, &needed, &s), ECV_OK);
    CHECK(s.rows == 6 && s.n == N && s.events == 5);
    CHECK(rows[0].time == 1.0 && rows[0].n_risk == 8 && rows[0].n_event == 1);
    CHECK(rows[1].n_risk == 7 && rows[1].n_event == 1 && rows[1].n_censor == 1);
    CHECK_NEAR(rows[2].surv, 0.875 * (6.0 / 7.0) * (4.0 / 5.0), 1e-15);
    /* R: summary(fit)$std.err at t = 1 is 0.1169268 = S * sqrt(1 / (8 * 7)) */
    CHECK_NEAR(rows[0].std_err_surv, 0.875 * sqrt(1.0 / 56.0), 1e-15);
    CHECK_NEAR(rows[0].lower, 0.67338194, 1e-8);
    CHECK(rows[0].upper == 1.0);
    CHECK(rows[5].n_risk == 1 && rows[5].n_censor == 1);
    CHECK(s.median.median == 4.0);

    o.conf_type = ECV_CONF_TYPE_LOG_LOG;
    CHECK_STATUS(ecv_km_estimate(T, E, N, &o, scratch, 4 * N, rows, N, &needed, &s), ECV_OK);
    CHECK_NEAR(rows[0].lower, 0.38700001, 1e-8);
    CHECK_NEAR(rows[0].upper, 0.9813930, 1e-7);
}

static void test_km_at_times_and_rmean(void) {
    const double at[4] = {0.0, 2.5, 6.0, 7.0};
    ecv_km_point p[4];
    ecv_restricted_mean rm;
    ecv_km_options o = ecv_km_options_default();
    o.conf_type = ECV_CONF_TYPE_PLAIN;
    CHECK_STATUS(ecv_km_at_times(T, E, N, &o, scratch, 4 * N, at, 4, p, 4), ECV_OK);
    /* R: summary(fit, times = c(0, 2.5, 6, 7), extend = TRUE) */
    CHECK(p[0].n_risk == 8 && p[0].surv == 1.0 && p[0].lower == 1.0);
    CHECK(p[1].n_risk == 5 && p[1].surv == 0.75);
    CHECK_NEAR(p[1].lower, 0.4499430, 1e-7);
    CHECK(p[2].n_risk == 1 && p[3].n_risk == 0);
    CHECK_NEAR(p[3].surv, 0.225, 1e-15);
    CHECK_STATUS(ecv_km_at_times(T, E, N, &o, scratch, 4 * N, at, 4, p, 3), ECV_BUFFER_TOO_SMALL);

    CHECK_STATUS(ecv_km_restricted_mean(T, E, N, NULL, scratch, 4 * N, 3.0, &rm), ECV_OK);
    /* 1 * 1 + 0.875 * 1 + 0.875 * 6/7 * 1 */
    CHECK_NEAR(rm.mean, 1.0 + 0.875 + 0.75, 1e-15);
    CHECK_STATUS(ecv_km_restricted_mean(T, E, N, NULL, scratch, 4 * N, -1.0, &rm),
                 ECV_INVALID_OPTION);
    CHECK_STATUS(ecv_km_restricted_mean(T, E, N, NULL, scratch, 4 * N, NAN, &rm), ECV_NOT_FINITE);
}

static void test_km_errors_write_nothing(void) {
    ecv_km_row rows[N];
    ecv_km_summary s;
    size_t needed = 12345;
    double bad_t[N];
    uint8_t bad_e[N];
    ecv_km_options o = ecv_km_options_default();
    memset(rows, 0x5a, sizeof rows);
    memset(&s, 0x5a, sizeof s);

    /* buffer too small: only rows_needed is written */
    CHECK_STATUS(ecv_km_estimate(T, E, N, NULL, scratch, 4 * N, rows, 5, &needed, &s),
                 ECV_BUFFER_TOO_SMALL);
    CHECK(needed == 6);
    needed = 12345;
    /* n = 0 */
    CHECK_STATUS(ecv_km_estimate(NULL, NULL, 0, NULL, scratch, 4 * N, rows, N, &needed, &s),
                 ECV_EMPTY_INPUT);
    /* scratch too small */
    CHECK_STATUS(ecv_km_estimate(T, E, N, NULL, scratch, 4 * N - 1, rows, N, &needed, &s),
                 ECV_SCRATCH_TOO_SMALL);
    /* NaN and infinite time */
    memcpy(bad_t, T, sizeof bad_t);
    bad_t[3] = NAN;
    CHECK_STATUS(ecv_km_estimate(bad_t, E, N, NULL, scratch, 4 * N, rows, N, &needed, &s),
                 ECV_NOT_FINITE);
    bad_t[3] = INFINITY;
    CHECK_STATUS(ecv_km_estimate(bad_t, E, N, NULL, scratch, 4 * N, rows, N, &needed, &s),
                 ECV_NOT_FINITE);
    /* negative time */
    bad_t[3] = -1.0;
    CHECK_STATUS(ecv_km_estimate(bad_t, E, N, NULL, scratch, 4 * N, rows, N, &needed, &s),
                 ECV_NEGATIVE_TIME);
    /* event not 0/1 */
    memcpy(bad_e, E, sizeof bad_e);
    bad_e[2] = 2;
    CHECK_STATUS(ecv_km_estimate(T, bad_e, N, NULL, scratch, 4 * N, rows, N, &needed, &s),
                 ECV_EVENT_NOT_BINARY);
    /* options */
    o.conf_level = 1.5;
    CHECK_STATUS(ecv_km_estimate(T, E, N, &o, scratch, 4 * N, rows, N, &needed, &s),
                 ECV_INVALID_OPTION);
    o = ecv_km_options_default();
    o.conf_type = 7;
    CHECK_STATUS(ecv_km_estimate(T, E, N, &o, scratch, 4 * N, rows, N, &needed, &s),
                 ECV_INVALID_ENUM_VALUE);
    /* NULL outputs and aliasing */
    CHECK_STATUS(ecv_km_estimate(T, E, N, NULL, scratch, 4 * N, rows, N, NULL, &s),
                 ECV_NULL_POINTER);
    CHECK_STATUS(ecv_km_estimate(T, E, N, NULL, scratch, 4 * N, rows, N, &needed, NULL),
                 ECV_NULL_POINTER);
    CHECK_STATUS(ecv_km_estimate(T, E, N, NULL, NULL, 4 * N, rows, N, &needed, &s),
                 ECV_NULL_POINTER);
    CHECK_STATUS(ecv_km_estimate(T, E, N, NULL, scratch, 4 * N, (ecv_km_row *)(void *)scratch, 1, &needed,
                                 &s),
                 ECV_BUFFERS_OVERLAP);
    {
        /* everything untouched: still the 0x5a pattern */
        unsigned char pattern[sizeof rows];
        memset(pattern, 0x5a, sizeof pattern);
        CHECK(memcmp(rows, pattern, sizeof rows) == 0);
        CHECK(memcmp(&s, pattern, sizeof s) == 0);
        CHECK(needed == 12345);
    }
}

static void test_km_all_censored(void) {
    const uint8_t none[N] = {0, 0, 0, 0, 0, 0, 0, 0};
    ecv_km_row rows[N];
    ecv_km_summary s;
    size_t needed = 0, i;
    CHECK_STATUS(ecv_km_estimate(T, none, N, NULL, scratch, 4 * N, rows, N, &needed, &s), ECV_OK);
    CHECK(s.events == 0 && s.rows == 6);
    for (i = 0; i < s.rows; i++) CHECK(rows[i].surv == 1.0 && rows[i].std_err == 0.0);
    CHECK(isnan(s.median.median) && isnan(s.median.lower) && isnan(s.median.upper));
}

static ecv_status logrank(const double *t, const uint8_t *e, const uint32_t *g, size_t n_groups,
                          const uint32_t *strata, const ecv_logrank_options *o, double *obs,
                          double *exp_, double *var, ecv_logrank_test *test) {
    return ecv_logrank(t, e, g, N, n_groups, strata, o, scratch, 4 * N, obs, exp_, n_groups, var,
                       n_groups * n_groups, test);
}

static void test_logrank(void) {
    double obs[3], exp_[3], var[9];
    ecv_logrank_test test;
    const uint32_t g3[N] = {0, 0, 0, 0, 2, 2, 2, 2}; /* group 1 empty */
    const uint32_t strata[N] = {5, 9, 5, 9, 5, 9, 5, 9};
    double chisq2;
    ecv_logrank_options o = ecv_logrank_options_default();
    CHECK(o.rho == 0.0 && o.time_matching == ECV_TIME_MATCHING_R_TIMEFIX);

    CHECK_STATUS(logrank(T, E, G, 2, NULL, NULL, obs, exp_, var, &test), ECV_OK);
    CHECK(obs[0] == 3.0 && obs[1] == 2.0);
    CHECK_NEAR(var[0], 0.654898, 1e-6); /* R: survdiff(...)$var */
    CHECK(var[1] == -var[0] && var[2] == var[1] && var[3] == var[0]);
    CHECK(test.df == 1 && test.strata == 1);
    CHECK_NEAR(test.chisq, (obs[0] - exp_[0]) * (obs[0] - exp_[0]) / var[0], 1e-12);
    CHECK(test.p_value > 0.0 && test.p_value < 1.0);
    chisq2 = test.chisq;

    /* one group empty: its O, E and variance row are 0 and the test is the two-group one */
    CHECK_STATUS(logrank(T, E, g3, 3, NULL, NULL, obs, exp_, var, &test), ECV_OK);
    CHECK(obs[1] == 0.0 && exp_[1] == 0.0 && var[4] == 0.0);
    CHECK(test.df == 1);
    CHECK_NEAR(test.chisq, chisq2, 1e-12);

    /* stratified, with Fleming-Harrington weights */
    o.rho = 1.0;
    CHECK_STATUS(logrank(T, E, G, 2, strata, &o, obs, exp_, var, &test), ECV_OK);
    CHECK(test.strata == 2 && test.df == 1);
}

static void test_logrank_errors_write_nothing(void) {
    double obs[2] = {-1.0, -1.0}, exp_[2] = {-1.0, -1.0}, var[4] = {-1.0, -1.0, -1.0, -1.0};
    ecv_logrank_test test = {-1.0, 77, -1.0, 77};
    const uint8_t none[N] = {0, 0, 0, 0, 0, 0, 0, 0};
    const uint32_t one_group[N] = {1, 1, 1, 1, 1, 1, 1, 1};
    const uint32_t out_of_range[N] = {0, 0, 0, 0, 1, 1, 1, 2};
    const uint8_t two[N] = {1, 1, 0, 1, 0, 1, 2, 0};
    double bad_t[N];
    ecv_logrank_options o = ecv_logrank_options_default();
    memcpy(bad_t, T, sizeof bad_t);

    /* all censored */
    CHECK_STATUS(logrank(T, none, G, 2, NULL, NULL, obs, exp_, var, &test), ECV_NO_EVENTS);
    /* one group only */
    CHECK_STATUS(logrank(T, E, one_group, 2, NULL, NULL, obs, exp_, var, &test), ECV_SINGLE_GROUP);
    CHECK_STATUS(logrank(T, E, out_of_range, 2, NULL, NULL, obs, exp_, var, &test),
                 ECV_GROUP_OUT_OF_RANGE);
    /* buffer too small */
    CHECK_STATUS(ecv_logrank(T, E, G, N, 2, NULL, NULL, scratch, 4 * N, obs, exp_, 2, var, 3, &test),
                 ECV_BUFFER_TOO_SMALL);
    CHECK_STATUS(ecv_logrank(T, E, G, N, 2, NULL, NULL, scratch, 4 * N - 1, obs, exp_, 2, var, 4,
                             &test),
                 ECV_SCRATCH_TOO_SMALL);
    /* n = 0 */
    CHECK_STATUS(ecv_logrank(NULL, NULL, NULL, 0, 2, NULL, NULL, scratch, 4 * N, obs, exp_, 2, var,
                             4, &test),
                 ECV_EMPTY_INPUT);
    /* NaN time, negative time, event not 0/1 */
    bad_t[0] = NAN;
    CHECK_STATUS(logrank(bad_t, E, G, 2, NULL, NULL, obs, exp_, var, &test), ECV_NOT_FINITE);
    bad_t[0] = -0.5;
    CHECK_STATUS(logrank(bad_t, E, G, 2, NULL, NULL, obs, exp_, var, &test), ECV_NEGATIVE_TIME);
    CHECK_STATUS(logrank(T, two, G, 2, NULL, NULL, obs, exp_, var, &test), ECV_EVENT_NOT_BINARY);
    /* options, NULL outputs, too many groups, aliasing */
    o.rho = NAN;
    CHECK_STATUS(logrank(T, E, G, 2, NULL, &o, obs, exp_, var, &test), ECV_NOT_FINITE);
    o = ecv_logrank_options_default();
    o.time_matching = 5;
    CHECK_STATUS(logrank(T, E, G, 2, NULL, &o, obs, exp_, var, &test), ECV_INVALID_ENUM_VALUE);
    CHECK_STATUS(logrank(T, E, G, 2, NULL, NULL, obs, exp_, var, NULL), ECV_NULL_POINTER);
    CHECK_STATUS(logrank(T, E, G, 2, NULL, NULL, NULL, exp_, var, &test), ECV_NULL_POINTER);
    CHECK_STATUS(ecv_logrank(T, E, G, N, ECV_LOGRANK_MAX_GROUPS + 1, NULL, NULL, scratch, 4 * N,
                             obs, exp_, 2, var, 4, &test),
                 ECV_TOO_MANY_GROUPS);
    CHECK_STATUS(ecv_logrank(T, E, G, N, 2, NULL, NULL, scratch, 4 * N, obs, obs + 1, 1, var, 4,
                             &test),
                 ECV_BUFFER_TOO_SMALL);
    CHECK_STATUS(ecv_logrank(T, E, G, N, 2, NULL, NULL, scratch, 4 * N, obs, obs + 1, 2, var, 4,
                             &test),
                 ECV_BUFFERS_OVERLAP);

    CHECK(obs[0] == -1.0 && obs[1] == -1.0 && exp_[0] == -1.0 && exp_[1] == -1.0);
    CHECK(var[0] == -1.0 && var[1] == -1.0 && var[2] == -1.0 && var[3] == -1.0);
    CHECK(test.chisq == -1.0 && test.df == 77 && test.strata == 77);
    CHECK(strstr(ecv_status_str(ECV_NO_EVENTS), "no subject had an event") != NULL);
}

int main(void) {
    test_km_table();
    test_km_at_times_and_rmean();
    test_km_errors_write_nothing();
    test_km_all_censored();
    test_logrank();
    test_logrank_errors_write_nothing();
    return check_summary("test_survival");
}
