/* C tests of the Cox functions: R's ovarian model (coxph(Surv(futime, fustat) ~ age + resid.ds
 * + rx + ecog.ps), survival 3.5-3, values from tests/reference/cox_coefficients.csv and
 * cox_tests.csv), the screen and subgroup helpers, and every status a C caller can meet, with
 * outputs untouched on failure. */
#include <string.h>

#include "check.h"
#include "ecvkit.h"

#define N 26
#define P 4
static const double T[N] = {59, 115, 156, 421, 431, 448, 464, 475, 477, 563, 638, 744, 769, 770, 803, 855, 1040, 1106, 1129, 1206, 1227, 268, 329, 353, 365, 377};
static const uint8_t E[N] = {1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0};
static const double X[N * P] = {
    72.331500000000005, 2, 1, 1,
    74.493200000000002, 2, 1, 1,
    66.465800000000002, 2, 1, 2,
    53.364400000000003, 2, 2, 1,
    50.339700000000001, 2, 1, 1,
    56.430100000000003, 1, 1, 2,
    56.936999999999998, 2, 2, 2,
    59.854799999999997, 2, 2, 2,
    64.175299999999993, 2, 1, 1,
    55.178100000000001, 1, 2, 2,
    56.7562, 1, 1, 2,
    50.1096, 1, 2, 1,
    59.630099999999999, 2, 2, 2,
    57.052100000000003, 2, 2, 1,
    39.2712, 1, 1, 1,
    43.1233, 1, 1, 2,
    38.8932, 2, 1, 2,
    44.600000000000001, 1, 1, 1,
    53.906799999999997, 1, 2, 1,
    44.205500000000001, 2, 2, 1,
    59.588999999999999, 1, 2, 2,
    74.504099999999994, 2, 1, 2,
    43.137, 2, 1, 1,
    63.219200000000001, 1, 2, 2,
    64.424700000000001, 2, 2, 1,
    58.309600000000003, 1, 2, 1};

static uint32_t index_scratch[4 * N];
#define VALUES (7 * N) /* N * (1 + max(P, 6)) */
static double values_scratch[VALUES];

static ecv_status fit(const double *t, const uint8_t *e, size_t n, const double *x, size_t p,
                      const ecv_cox_options *o, ecv_cox_result *out, ecv_cox_diagnostic *d) {
    return ecv_cox_fit(t, e, n, x, p, NULL, NULL, o, index_scratch, 4 * N, values_scratch, VALUES,
                       out, d);
}

static int untouched(const void *p, size_t size) {
    const unsigned char *b = (const unsigned char *)p;
    size_t i;
    for (i = 0; i < size; i++) {
        if (b[i] != 0x5a) return 0;
    }
    return 1;
}

static void test_ovarian_matches_r(void) {
    ecv_cox_result r;
    ecv_cox_diagnostic d;
    ecv_cox_options o = ecv_cox_options_default();
    CHECK(o.ties == ECV_TIES_EFRON && o.conf_level == 0.95 && o.max_iterations == 20);
    CHECK(o.eps == 1e-9 && o.concordance == ECV_CONCORDANCE_MODE_COMPUTE);
    CHECK(o.time_matching == ECV_TIME_MATCHING_R_TIMEFIX);
    CHECK(ecv_cox_index_scratch_len(N) == 4 * N && ecv_cox_values_scratch_len(N, P) == VALUES);
    CHECK(ecv_cox_values_scratch_len(N, 20) == 21 * N);

    CHECK_STATUS(fit(T, E, N, X, P, NULL, &r, &d), ECV_OK);
    CHECK(r.n == N && r.n_events == 12 && r.n_covariates == P && r.iterations == 5);
    CHECK(d.iterations == 5 && d.covariate == ECV_COX_NO_COVARIATE);
    CHECK_NEAR(r.coefficients[0], 0.12481307879516082, 1e-12);
    CHECK_NEAR(r.coefficients[1], 0.82618644082439363, 1e-12);
    CHECK_NEAR(r.coefficients[2], -0.91449991955531584, 1e-12);
    CHECK_NEAR(r.coefficients[3], 0.33621168622608155, 1e-12);
    CHECK_NEAR(r.std_errors[0], 0.046890363007897992, 1e-12);
    CHECK_NEAR(r.std_errors[3], 0.64392306273131894, 1e-12);
    CHECK_NEAR(r.p_values[0], 0.0077722515881120903, 1e-12);
    CHECK_NEAR(r.hazard_ratios[2], exp(-0.91449991955531584), 1e-12);
    CHECK(r.hr_lower[2] < r.hazard_ratios[2] && r.hazard_ratios[2] < r.hr_upper[2]);
    CHECK_NEAR(r.loglik_null, -34.984940371162558, 1e-10);
    CHECK_NEAR(r.loglik, -26.463293516710806, 1e-10);
    CHECK_NEAR(r.likelihood_ratio.statistic, 17.043293708903505, 1e-10);
    CHECK(r.likelihood_ratio.df == 4);
    CHECK_NEAR(r.likelihood_ratio.p_value, 0.0018958669878527243, 1e-12);
    CHECK_NEAR(r.wald.statistic, 14.250068987388337, 1e-10);
    CHECK_NEAR(r.score.statistic, 20.812789391235661, 1e-10);
    CHECK(r.concordance.concordant == 176 && r.concordance.discordant == 42);
    CHECK_NEAR(r.concordance.concordance, 0.80733944954128445, 1e-12);
    CHECK_NEAR(r.concordance.std_err, 0.068225367459998076, 1e-12);
    CHECK(r.covariance[1][2] == r.covariance[2][1]);
    CHECK(r.coefficients[P] == 0.0);

    /* Breslow gives the same here (no tied event times); skipping concordance gives NaN. */
    o.ties = ECV_TIES_BRESLOW;
    o.concordance = ECV_CONCORDANCE_MODE_SKIP;
    CHECK_STATUS(ecv_cox_fit(T, E, N, X, P, NULL, NULL, &o, index_scratch, 4 * N, values_scratch,
                             VALUES, &r, NULL),
                 ECV_OK);
    CHECK_NEAR(r.loglik, -26.463293516710806, 1e-10);
    CHECK(isnan(r.concordance.concordance));
}

static void test_strata_and_weights(void) {
    uint32_t s[N];
    double w[N];
    ecv_cox_result r;
    size_t i;
    for (i = 0; i < N; i++) {
        s[i] = (uint32_t)(i % 2);
        w[i] = 1.0;
    }
    CHECK_STATUS(ecv_cox_fit(T, E, N, X, P, s, w, NULL, index_scratch, 4 * N, values_scratch,
                             VALUES, &r, NULL),
                 ECV_OK);
    CHECK(r.loglik_null > -34.984940371162558); /* smaller risk sets */
    w[3] = 0.0;
    CHECK_STATUS(ecv_cox_fit(T, E, N, X, P, s, w, NULL, index_scratch, 4 * N, values_scratch,
                             VALUES, &r, NULL),
                 ECV_COX_WEIGHT_NOT_POSITIVE);
}

static void test_input_errors_write_nothing(void) {
    ecv_cox_result r;
    ecv_cox_diagnostic d;
    ecv_cox_options o = ecv_cox_options_default();
    double t[N], x[N * P];
    uint8_t e[N];
    static double wide[34];
    static double big[VALUES];
    memset(&r, 0x5a, sizeof r);
    memset(&d, 0x5a, sizeof d);
    memcpy(t, T, sizeof t);
    memcpy(e, E, sizeof e);
    memcpy(x, X, sizeof x);

    CHECK_STATUS(fit(NULL, E, N, X, P, NULL, &r, &d), ECV_NULL_POINTER);
    CHECK_STATUS(fit(T, E, N, X, P, NULL, NULL, &d), ECV_NULL_POINTER);
    CHECK_STATUS(fit(T, E, 0, X, P, NULL, &r, &d), ECV_EMPTY_INPUT);
    CHECK_STATUS(fit(T, E, N, X, 0, NULL, &r, &d), ECV_EMPTY_INPUT);
    x[7] = NAN;
    CHECK_STATUS(fit(T, E, N, x, P, NULL, &r, &d), ECV_NOT_FINITE);
    x[7] = X[7];
    t[3] = INFINITY;
    CHECK_STATUS(fit(t, E, N, X, P, NULL, &r, &d), ECV_NOT_FINITE);
    t[3] = -1.0;
    CHECK_STATUS(fit(t, E, N, X, P, NULL, &r, &d), ECV_NEGATIVE_TIME);
    e[5] = 2;
    CHECK_STATUS(fit(T, e, N, X, P, NULL, &r, &d), ECV_EVENT_NOT_BINARY);
    o.conf_level = 1.5;
    CHECK_STATUS(fit(T, E, N, X, P, &o, &r, &d), ECV_INVALID_OPTION);
    o = ecv_cox_options_default();
    o.ties = 9;
    CHECK_STATUS(fit(T, E, N, X, P, &o, &r, &d), ECV_INVALID_ENUM_VALUE);
    o = ecv_cox_options_default();
    o.time_matching = 5;
    CHECK_STATUS(fit(T, E, N, X, P, &o, &r, &d), ECV_INVALID_ENUM_VALUE);
    CHECK_STATUS(ecv_cox_fit(T, E, N, X, P, NULL, NULL, NULL, index_scratch, 4 * N - 1,
                             values_scratch, VALUES, &r, &d),
                 ECV_SCRATCH_TOO_SMALL);
    CHECK_STATUS(ecv_cox_fit(T, E, N, X, P, NULL, NULL, NULL, index_scratch, 4 * N,
                             values_scratch, VALUES - 1, &r, &d),
                 ECV_SCRATCH_TOO_SMALL);
    memcpy(big, X, sizeof X); /* the covariates, then room: used as scratch too */
    CHECK_STATUS(ecv_cox_fit(T, E, N, big, P, NULL, NULL, NULL, index_scratch, 4 * N, big, VALUES,
                             &r, &d),
                 ECV_BUFFERS_OVERLAP);
    CHECK_STATUS(fit(T, E, 1, wide, 33, NULL, &r, &d), ECV_COX_TOO_MANY_COVARIATES);
    memset(e, 0, sizeof e);
    CHECK_STATUS(fit(T, e, N, X, P, NULL, &r, &d), ECV_NO_EVENTS);
    CHECK(untouched(&r, sizeof r));
    CHECK(untouched(&d, sizeof d));
}

static void test_fit_failures_explain_themselves(void) {
    ecv_cox_result r;
    ecv_cox_diagnostic d;
    ecv_cox_options o = ecv_cox_options_default();
    double x[N * P];
    size_t i;
    memset(&r, 0x5a, sizeof r);

    /* Column 2 = 2 * column 0 + 1: redundant. */
    memcpy(x, X, sizeof x);
    for (i = 0; i < N; i++) x[i * P + 2] = 2.0 * x[i * P] + 1.0;
    CHECK_STATUS(fit(T, E, N, x, P, NULL, &r, &d), ECV_COX_COLLINEAR);
    CHECK(d.covariate == 2);

    /* Column 3 is 1 only for censored subjects: its coefficient runs to -infinity. */
    memcpy(x, X, sizeof x);
    for (i = 0; i < N; i++) x[i * P + 3] = E[i] == 0 && i % 3 == 0 ? 1.0 : 0.0;
    CHECK_STATUS(fit(T, E, N, x, P, NULL, &r, &d), ECV_COX_MONOTONE_LIKELIHOOD);
    CHECK(d.covariate == 3 && d.iterations > 0);

    o.max_iterations = 2;
    CHECK_STATUS(fit(T, E, N, X, P, &o, &r, &d), ECV_COX_NOT_CONVERGED);
    CHECK(d.iterations == 2 && d.covariate == ECV_COX_NO_COVARIATE);
    CHECK(untouched(&r, sizeof r));
    CHECK(strlen(ecv_status_str(ECV_COX_MONOTONE_LIKELIHOOD)) > 0);
}

static void test_screen(void) {
    ecv_cox_screen_result s;
    ecv_cox_screen_options o = ecv_cox_screen_options_default();
    uint8_t selected[P];
    CHECK(o.threshold == 0.1 && o.test == ECV_SCREEN_TEST_WALD);
    CHECK_STATUS(ecv_cox_screen(T, E, N, X, P, NULL, NULL, &o, index_scratch, 4 * N,
                                values_scratch, VALUES, selected, P, &s),
                 ECV_OK);
    CHECK(s.n_columns == P);
    /* Univariable Wald p: age and resid.ds below 0.1, rx and ecog.ps not. */
    CHECK(selected[0] == 1 && s.univariable[0].status == ECV_OK && s.univariable[0].p_value < 0.1);
    CHECK(s.n_selected == (uint32_t)(selected[0] + selected[1] + selected[2] + selected[3]));
    CHECK(s.multivariable_status == ECV_OK && s.multivariable.n_covariates == s.n_selected);

    o.threshold = 1e-12;
    CHECK_STATUS(ecv_cox_screen(T, E, N, X, P, NULL, NULL, &o, index_scratch, 4 * N,
                                values_scratch, VALUES, selected, P, &s),
                 ECV_OK);
    CHECK(s.n_selected == 0 && s.multivariable_status == ECV_COX_NOTHING_SELECTED);
    CHECK(selected[0] == 0);

    memset(&s, 0x5a, sizeof s);
    CHECK_STATUS(ecv_cox_screen(T, E, N, X, P, NULL, NULL, NULL, index_scratch, 4 * N,
                                values_scratch, VALUES, selected, P - 1, &s),
                 ECV_BUFFER_TOO_SMALL);
    o = ecv_cox_screen_options_default();
    o.test = 3;
    CHECK_STATUS(ecv_cox_screen(T, E, N, X, P, NULL, NULL, &o, index_scratch, 4 * N,
                                values_scratch, VALUES, selected, P, &s),
                 ECV_INVALID_ENUM_VALUE);
    CHECK(untouched(&s, sizeof s));
}

static void test_subgroup(void) {
    ecv_cox_subgroup_result g;
    double x[N * P];
    size_t i;
    /* group = rx (column 2, values 1/2), subgroup = resid.ds (column 1, values 1/2). */
    CHECK_STATUS(ecv_cox_subgroup(T, E, N, X, P, NULL, NULL, 2, 1, NULL, index_scratch, 4 * N,
                                  values_scratch, VALUES, &g),
                 ECV_OK);
    CHECK(g.overall.status == ECV_OK && g.n_levels == 2);
    CHECK(g.levels[0].level == 1.0 && g.levels[1].level == 2.0);
    CHECK(g.levels[0].n + g.levels[1].n == N);
    CHECK(g.interaction_status == ECV_OK && g.interaction_wald.df == 1);
    CHECK(g.interaction_wald.p_value > 0.0 && g.interaction_wald.p_value <= 1.0);

    /* A constant subgroup: no interaction to test. */
    memcpy(x, X, sizeof x);
    for (i = 0; i < N; i++) x[i * P + 1] = 1.0;
    CHECK_STATUS(ecv_cox_subgroup(T, E, N, x, P, NULL, NULL, 2, 1, NULL, index_scratch, 4 * N,
                                  values_scratch, VALUES, &g),
                 ECV_OK);
    CHECK(g.n_levels == 1 && g.interaction_status == ECV_COX_ONE_SUBGROUP_LEVEL);

    memset(&g, 0x5a, sizeof g);
    CHECK_STATUS(ecv_cox_subgroup(T, E, N, X, P, NULL, NULL, 2, 2, NULL, index_scratch, 4 * N,
                                  values_scratch, VALUES, &g),
                 ECV_INVALID_OPTION);
    /* age has 26 distinct values: too many levels. */
    CHECK_STATUS(ecv_cox_subgroup(T, E, N, X, P, NULL, NULL, 2, 0, NULL, index_scratch, 4 * N,
                                  values_scratch, VALUES, &g),
                 ECV_COX_TOO_MANY_SUBGROUP_LEVELS);
    CHECK(untouched(&g, sizeof g));
}

int main(void) {
    test_ovarian_matches_r();
    test_strata_and_weights();
    test_input_errors_write_nothing();
    test_fit_failures_explain_themselves();
    test_screen();
    test_subgroup();
    return check_summary("test_cox");
}
