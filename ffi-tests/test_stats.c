/* C tests of the statistics functions (ICC, Spearman, Pearson, t, Wilcoxon, chi-square, Fisher,
 * quantiles): values against R (R 4.2.2, psych 2.2.9; the R calls are in the comments), every
 * error status, and that nothing is written on failure. */
#include <string.h>

#include "check.h"
#include "ecvkit.h"

#define REL 1e-9
#define CHECK_REL(a, b) CHECK(fabs((double)(a) - (double)(b)) <= REL * fabs((double)(b)))

/* x, y: cor.test(x, y, method = "spearman") etc. */
static const double X[7] = {1.2, 3.4, 2.2, 5.9, 4.1, 7.3, 6.0};
static const double Y[7] = {2.0, 2.9, 1.1, 6.5, 3.3, 8.8, 4.0};
/* a, b: t.test(a, b), wilcox.test(a, b) */
static const double A[5] = {5.1, 4.8, 6.0, 5.5, 5.9};
static const double B[6] = {4.2, 4.9, 3.8, 4.4, 4.0, 4.6};

/* Shrout & Fleiss (1979) Table 2: 6 targets x 4 judges, row-major. */
static const double SF[24] = {9, 2, 5, 8, 6, 1, 3, 2, 8, 4, 6, 8, 7, 1, 2, 6, 10, 5, 6, 9, 6, 2, 4, 7};

static void test_spearman(void) {
    double v[14];
    uint32_t idx[14];
    ecv_spearman_result r;
    ecv_spearman_options o = ecv_spearman_options_default();
    const double constant[7] = {1, 1, 1, 1, 1, 1, 1};
    double with_nan[7];

    CHECK(ecv_rank_scratch_values_needed(7) == 14);
    CHECK(ecv_rank_scratch_indices_needed(7) == 14);
    /* rho 0.92857142857142827, S 4, p 0.0067460317460317464 (exact, n = 7) */
    CHECK_STATUS(ecv_spearman(X, Y, 7, NULL, v, 14, idx, 14, &r), ECV_OK);
    CHECK_REL(r.rho, 0.92857142857142827);
    CHECK(fabs(r.s - 4.0) < 1e-9);
    CHECK_REL(r.p_value, 0.0067460317460317464);
    CHECK(r.p_method == ECV_SPEARMAN_P_VALUE_EXACT);
    CHECK(r.n == 7 && r.tie_groups_x == 0 && r.tie_groups_y == 0);
    /* exact = FALSE: 0.0025194724037947334 */
    o.method = ECV_SPEARMAN_METHOD_T_APPROXIMATION;
    CHECK_STATUS(ecv_spearman(X, Y, 7, &o, v, 14, idx, 14, &r), ECV_OK);
    CHECK_REL(r.p_value, 0.0025194724037947334);
    CHECK(r.p_method == ECV_SPEARMAN_P_VALUE_T_APPROXIMATION);

    memset(&r, 0x5a, sizeof r);
    {
        ecv_spearman_result before = r;
        CHECK_STATUS(ecv_spearman(X, Y, 1, NULL, v, 14, idx, 14, &r), ECV_TOO_FEW_OBSERVATIONS);
        CHECK_STATUS(ecv_spearman(X, Y, 2, &o, v, 14, idx, 14, &r), ECV_TOO_FEW_OBSERVATIONS);
        CHECK_STATUS(ecv_spearman(X, Y, 0, NULL, v, 14, idx, 14, &r), ECV_EMPTY_INPUT);
        CHECK_STATUS(ecv_spearman(constant, Y, 7, NULL, v, 14, idx, 14, &r), ECV_ZERO_VARIANCE);
        memcpy(with_nan, X, sizeof X);
        with_nan[3] = NAN;
        CHECK_STATUS(ecv_spearman(with_nan, Y, 7, NULL, v, 14, idx, 14, &r), ECV_NOT_FINITE);
        CHECK_STATUS(ecv_spearman(X, Y, 7, NULL, v, 13, idx, 14, &r), ECV_SCRATCH_TOO_SMALL);
        CHECK_STATUS(ecv_spearman(X, Y, 7, NULL, v, 14, idx, 13, &r), ECV_SCRATCH_TOO_SMALL);
        CHECK_STATUS(ecv_spearman(NULL, Y, 7, NULL, v, 14, idx, 14, &r), ECV_NULL_POINTER);
        CHECK_STATUS(ecv_spearman(X, Y, 7, NULL, NULL, 14, idx, 14, &r), ECV_NULL_POINTER);
        CHECK_STATUS(ecv_spearman(X, Y, 7, NULL, v, 14, idx, 14, NULL), ECV_NULL_POINTER);
        o.method = 9;
        CHECK_STATUS(ecv_spearman(X, Y, 7, &o, v, 14, idx, 14, &r), ECV_INVALID_ENUM_VALUE);
        o = ecv_spearman_options_default();
        o.alternative = 3;
        CHECK_STATUS(ecv_spearman(X, Y, 7, &o, v, 14, idx, 14, &r), ECV_INVALID_ENUM_VALUE);
        /* scratch over the inputs */
        memcpy(v, X, sizeof X);
        CHECK_STATUS(ecv_spearman(v, Y, 7, NULL, v, 14, idx, 14, &r), ECV_BUFFERS_OVERLAP);
        CHECK(memcmp(&r, &before, sizeof r) == 0);
    }
}

static void test_pearson(void) {
    ecv_pearson_result r;
    ecv_pearson_options o = ecv_pearson_options_default();
    const double constant[7] = {2, 2, 2, 2, 2, 2, 2};
    double with_inf[7];
    /* cor.test(x, y): r, t, p, CI */
    CHECK_STATUS(ecv_pearson(X, Y, 7, NULL, &r), ECV_OK);
    CHECK_REL(r.r, 0.89254638939828534);
    CHECK_REL(r.t, 4.4257005585385061);
    CHECK(r.df == 5.0);
    CHECK_REL(r.p_value, 0.0068554684963959851);
    CHECK_REL(r.conf_low, 0.42544982839454043);
    CHECK_REL(r.conf_high, 0.98413122769579908);
    o.alternative = ECV_ALTERNATIVE_GREATER;
    CHECK_STATUS(ecv_pearson(X, Y, 7, &o, &r), ECV_OK);
    CHECK_REL(r.p_value, 0.0034277342481979925);
    CHECK_REL(r.conf_low, 0.54545110804656594);
    CHECK(r.conf_high == 1.0);
    /* n = 3: no interval */
    CHECK_STATUS(ecv_pearson(X, Y, 3, NULL, &r), ECV_OK);
    CHECK(isnan(r.conf_low) && isnan(r.conf_high));

    r.r = -7.0;
    CHECK_STATUS(ecv_pearson(X, Y, 2, NULL, &r), ECV_TOO_FEW_OBSERVATIONS);
    CHECK_STATUS(ecv_pearson(X, constant, 7, NULL, &r), ECV_ZERO_VARIANCE);
    memcpy(with_inf, Y, sizeof Y);
    with_inf[0] = INFINITY;
    CHECK_STATUS(ecv_pearson(X, with_inf, 7, NULL, &r), ECV_NOT_FINITE);
    o = ecv_pearson_options_default();
    o.conf_level = 1.5;
    CHECK_STATUS(ecv_pearson(X, Y, 7, &o, &r), ECV_INVALID_OPTION);
    CHECK_STATUS(ecv_pearson(X, NULL, 7, NULL, &r), ECV_NULL_POINTER);
    CHECK_STATUS(ecv_pearson(X, Y, 7, NULL, NULL), ECV_NULL_POINTER);
    CHECK(r.r == -7.0);
}

static void test_icc(void) {
    ecv_icc_table t;
    ecv_icc_options o = ecv_icc_options_default();
    double with_nan[24];
    const double flat[6] = {3, 3, 3, 3, 3, 3};
    /* psych::ICC(sf, lmer = FALSE)$results */
    static const double icc[6] = {0.16574176840547555, 0.28976377952755922, 0.71484071484071487,
                                  0.44279713367926893, 0.62005054759898925, 0.90931554237706946};
    static const double f[6] = {1.794678492239469, 11.027247956403272, 11.027247956403272,
                                1.794678492239469, 11.027247956403272, 11.027247956403272};
    static const double df2[6] = {18, 15, 15, 18, 15, 15};
    static const double p[6] = {0.16476880834463961, 0.00013456651648433693, 0.00013456651648433693,
                                0.16476880834463961, 0.00013456651648433693, 0.00013456651648433693};
    static const double lower[6] = {-0.13293232487475087, 0.018786513374712047, 0.34246476503392537,
                                    -0.88444215523811898, 0.071136815302503487, 0.67567471381630473};
    static const double upper[6] = {0.72256006232812109, 0.7610843696489531, 0.94585825995535955,
                                    0.91241542034077561, 0.92723204016772198, 0.98589167816906231};
    int i;

    CHECK(o.conf_level == 0.95);
    CHECK_STATUS(ecv_icc(SF, 6, 4, NULL, &t), ECV_OK);
    CHECK(t.subjects == 6 && t.raters == 4);
    for (i = 0; i < 6; i++) {
        CHECK(t.forms[i].kind == (ecv_icc_type)i);
        CHECK_REL(t.forms[i].icc, icc[i]);
        CHECK_REL(t.forms[i].f, f[i]);
        CHECK(t.forms[i].df1 == 5.0 && t.forms[i].df2 == df2[i]);
        CHECK_REL(t.forms[i].p_value, p[i]);
        CHECK_REL(t.forms[i].lower, lower[i]);
        CHECK_REL(t.forms[i].upper, upper[i]);
    }
    CHECK(t.forms[ECV_ICC_TYPE_ICC2].kind == ECV_ICC_TYPE_ICC2);

    t.subjects = 77;
    memcpy(with_nan, SF, sizeof SF);
    with_nan[5] = NAN; /* a missing rating */
    CHECK_STATUS(ecv_icc(with_nan, 6, 4, NULL, &t), ECV_NOT_FINITE);
    CHECK_STATUS(ecv_icc(SF, 6, 1, NULL, &t), ECV_TOO_FEW_RATERS);
    CHECK_STATUS(ecv_icc(SF, 1, 4, NULL, &t), ECV_TOO_FEW_OBSERVATIONS);
    CHECK_STATUS(ecv_icc(SF, 0, 4, NULL, &t), ECV_EMPTY_INPUT);
    CHECK_STATUS(ecv_icc(flat, 3, 2, NULL, &t), ECV_ZERO_VARIANCE);
    CHECK_STATUS(ecv_icc(SF, (size_t)-1, 4, NULL, &t), ECV_TOO_MANY_ELEMENTS);
    o.conf_level = 0.0;
    CHECK_STATUS(ecv_icc(SF, 6, 4, &o, &t), ECV_INVALID_OPTION);
    CHECK_STATUS(ecv_icc(NULL, 6, 4, NULL, &t), ECV_NULL_POINTER);
    CHECK_STATUS(ecv_icc(SF, 6, 4, NULL, NULL), ECV_NULL_POINTER);
    CHECK(t.subjects == 77);
}

static void test_t_test(void) {
    ecv_t_test_result r;
    ecv_t_test_options o = ecv_t_test_options_default();
    const double same[3] = {4, 4, 4};
    double with_nan[5];
    /* t.test(a, b) */
    CHECK_STATUS(ecv_t_test(A, 5, B, 6, NULL, &r), ECV_OK);
    CHECK_REL(r.t, 4.0538524631845219);
    CHECK_REL(r.df, 7.5605085196318971);
    CHECK_REL(r.p_value, 0.0041242907776398458);
    CHECK_REL(r.conf_low, 0.48631673705970996);
    CHECK_REL(r.conf_high, 1.8003499296069572);
    CHECK_REL(r.stderr, 0.28203624668550048);
    /* t.test(a, b, var.equal = TRUE) */
    o.variance = ECV_T_TEST_VARIANCE_POOLED;
    CHECK_STATUS(ecv_t_test(A, 5, B, 6, &o, &r), ECV_OK);
    CHECK_REL(r.t, 4.1530104215181805);
    CHECK(r.df == 9.0);
    CHECK_REL(r.p_value, 0.0024732827952638043);
    CHECK_REL(r.conf_low, 0.52055625671803818);
    CHECK_REL(r.conf_high, 1.7661104099486291);
    /* Student takes a sample of one; Welch does not */
    CHECK_STATUS(ecv_t_test(A, 1, B, 6, &o, &r), ECV_OK);

    r.t = -7.0;
    CHECK_STATUS(ecv_t_test(A, 1, B, 6, NULL, &r), ECV_TOO_FEW_OBSERVATIONS);
    CHECK_STATUS(ecv_t_test(A, 1, B, 1, &o, &r), ECV_TOO_FEW_OBSERVATIONS);
    CHECK_STATUS(ecv_t_test(A, 0, B, 6, NULL, &r), ECV_EMPTY_INPUT);
    CHECK_STATUS(ecv_t_test(same, 3, same, 3, NULL, &r), ECV_ZERO_VARIANCE);
    memcpy(with_nan, A, sizeof A);
    with_nan[4] = NAN;
    CHECK_STATUS(ecv_t_test(with_nan, 5, B, 6, NULL, &r), ECV_NOT_FINITE);
    o.variance = 2;
    CHECK_STATUS(ecv_t_test(A, 5, B, 6, &o, &r), ECV_INVALID_ENUM_VALUE);
    o = ecv_t_test_options_default();
    o.conf_level = -0.5;
    CHECK_STATUS(ecv_t_test(A, 5, B, 6, &o, &r), ECV_INVALID_OPTION);
    CHECK_STATUS(ecv_t_test(A, 5, NULL, 6, NULL, &r), ECV_NULL_POINTER);
    CHECK(r.t == -7.0);
}

static void test_wilcoxon(void) {
    double v[24];
    uint32_t idx[24];
    ecv_wilcoxon_result r;
    ecv_wilcoxon_options o = ecv_wilcoxon_options_default();
    const double a_tied[6] = {5.1, 4.8, 6.0, 5.5, 5.9, 4.9};
    const double same[3] = {1, 1, 1};
    /* wilcox.test(a, b): W = 29, exact p = 0.008658008658008658 */
    CHECK_STATUS(ecv_wilcoxon_rank_sum(A, 5, B, 6, NULL, v, 22, idx, 22, &r), ECV_OK);
    CHECK(r.w == 29.0);
    CHECK_REL(r.p_value, 0.008658008658008658);
    CHECK(r.p_method == ECV_WILCOXON_P_VALUE_EXACT && isnan(r.z));
    /* exact = FALSE: 0.013710830078133228 */
    o.method = ECV_WILCOXON_METHOD_NORMAL_APPROXIMATION;
    CHECK_STATUS(ecv_wilcoxon_rank_sum(A, 5, B, 6, &o, v, 22, idx, 22, &r), ECV_OK);
    CHECK_REL(r.p_value, 0.013710830078133228);
    CHECK(r.p_method == ECV_WILCOXON_P_VALUE_NORMAL_APPROXIMATION);
    /* a tie (4.9) forces the normal approximation: W = 34.5, p = 0.010271837730705769 */
    CHECK_STATUS(ecv_wilcoxon_rank_sum(a_tied, 6, B, 6, NULL, v, 24, idx, 24, &r), ECV_OK);
    CHECK(r.w == 34.5 && r.tie_groups == 1);
    CHECK_REL(r.p_value, 0.010271837730705769);

    r.w = -7.0;
    CHECK_STATUS(ecv_wilcoxon_rank_sum(same, 3, same, 3, NULL, v, 24, idx, 24, &r), ECV_ZERO_VARIANCE);
    CHECK_STATUS(ecv_wilcoxon_rank_sum(A, 0, B, 6, NULL, v, 24, idx, 24, &r), ECV_EMPTY_INPUT);
    CHECK_STATUS(ecv_wilcoxon_rank_sum(A, 5, B, 6, NULL, v, 21, idx, 22, &r), ECV_SCRATCH_TOO_SMALL);
    CHECK_STATUS(ecv_wilcoxon_rank_sum(A, 5, B, 6, NULL, v, 22, NULL, 22, &r), ECV_NULL_POINTER);
    o = ecv_wilcoxon_options_default();
    o.continuity = 5;
    CHECK_STATUS(ecv_wilcoxon_rank_sum(A, 5, B, 6, &o, v, 22, idx, 22, &r), ECV_INVALID_ENUM_VALUE);
    o = ecv_wilcoxon_options_default();
    o.mu = NAN;
    CHECK_STATUS(ecv_wilcoxon_rank_sum(A, 5, B, 6, &o, v, 22, idx, 22, &r), ECV_NOT_FINITE);
    CHECK(r.w == -7.0);
}

static void test_tables(void) {
    ecv_chi_square_result c;
    ecv_fisher_result f;
    const double t22[4] = {12, 5, 7, 9};
    const double t23[6] = {12, 5, 7, 9, 4, 10};
    const double negative[4] = {12, -5, 7, 9};
    const double zero_row[4] = {0, 0, 7, 9};
    const double zeros[4] = {0, 0, 0, 0};
    const double fractional[4] = {12, 5.5, 7, 9};
    /* chisq.test(matrix(c(12, 5, 7, 9), 2, byrow = TRUE)) */
    CHECK_STATUS(ecv_chi_square(t22, 2, 2, ECV_CONTINUITY_CORRECTED, &c), ECV_OK);
    CHECK_REL(c.statistic, 1.4559963788146839);
    CHECK(c.df == 1.0 && c.yates == 0.5);
    CHECK_REL(c.p_value, 0.22756821457580992);
    CHECK_STATUS(ecv_chi_square(t22, 2, 2, ECV_CONTINUITY_UNCORRECTED, &c), ECV_OK);
    CHECK_REL(c.statistic, 2.4305755196815575);
    CHECK_REL(c.p_value, 0.1189892055321448);
    /* 2 x 3: never corrected */
    CHECK_STATUS(ecv_chi_square(t23, 2, 3, ECV_CONTINUITY_CORRECTED, &c), ECV_OK);
    CHECK_REL(c.statistic, 1.0482922637654086);
    CHECK(c.df == 2.0 && c.yates == 0.0);
    CHECK_REL(c.p_value, 0.59206069034223041);
    /* fisher.test: 0.16632006577356481 two-sided, 0.11367380825716163 greater */
    CHECK_STATUS(ecv_fisher_exact_2x2(t22, 2, 2, &f), ECV_OK);
    CHECK_REL(f.p_two_sided, 0.16632006577356481);
    CHECK_REL(f.p_greater, 0.11367380825716163);
    CHECK(f.p_less > 0.9 && f.p_less <= 1.0);

    c.statistic = -7.0;
    f.p_less = -7.0;
    CHECK_STATUS(ecv_chi_square(negative, 2, 2, ECV_CONTINUITY_CORRECTED, &c), ECV_NEGATIVE_COUNT);
    CHECK_STATUS(ecv_fisher_exact_2x2(negative, 2, 2, &f), ECV_NEGATIVE_COUNT);
    CHECK_STATUS(ecv_chi_square(zero_row, 2, 2, ECV_CONTINUITY_CORRECTED, &c), ECV_ZERO_MARGINAL);
    CHECK_STATUS(ecv_chi_square(zeros, 2, 2, ECV_CONTINUITY_CORRECTED, &c), ECV_EMPTY_TABLE);
    CHECK_STATUS(ecv_fisher_exact_2x2(zeros, 2, 2, &f), ECV_EMPTY_TABLE);
    CHECK_STATUS(ecv_chi_square(t22, 1, 4, ECV_CONTINUITY_CORRECTED, &c), ECV_TABLE_TOO_SMALL);
    CHECK_STATUS(ecv_chi_square(t22, 0, 0, ECV_CONTINUITY_CORRECTED, &c), ECV_EMPTY_INPUT);
    CHECK_STATUS(ecv_chi_square(t22, 2, 2, 7, &c), ECV_INVALID_ENUM_VALUE);
    CHECK_STATUS(ecv_chi_square(NULL, 2, 2, ECV_CONTINUITY_CORRECTED, &c), ECV_NULL_POINTER);
    CHECK_STATUS(ecv_fisher_exact_2x2(t23, 2, 3, &f), ECV_TABLE_NOT_TWO_BY_TWO);
    CHECK_STATUS(ecv_fisher_exact_2x2(fractional, 2, 2, &f), ECV_NON_INTEGER_COUNT);
    CHECK_STATUS(ecv_fisher_exact_2x2(t22, 2, 2, NULL), ECV_NULL_POINTER);
    CHECK(c.statistic == -7.0 && f.p_less == -7.0);
}

static void test_describe(void) {
    double scratch[7];
    double q[5] = {-7, -7, -7, -7, -7};
    const double probs[5] = {0, 0.25, 0.5, 0.9, 1};
    const double bad_probs[2] = {0.5, 1.5};
    ecv_median_iqr_result m;
    ecv_mean_sd_result s;
    /* quantile(x, c(0, .25, .5, .9, 1)) */
    CHECK_STATUS(ecv_quantile_type7(X, 7, probs, 5, q, 5, scratch, 7), ECV_OK);
    CHECK_REL(q[0], 1.2);
    CHECK_REL(q[1], 2.7999999999999998);
    CHECK_REL(q[2], 4.0999999999999996);
    CHECK_REL(q[3], 6.5200000000000005);
    CHECK_REL(q[4], 7.2999999999999998);
    CHECK(X[0] == 1.2 && X[6] == 6.0); /* inputs untouched */
    CHECK_STATUS(ecv_median_iqr(X, 7, scratch, 7, &m), ECV_OK);
    CHECK_REL(m.median, 4.0999999999999996);
    CHECK_REL(m.iqr, 3.1500000000000004);
    CHECK(m.min == 1.2 && m.max == 7.3 && m.n == 7);
    CHECK_STATUS(ecv_mean_sd(X, 7, &s), ECV_OK);
    CHECK_REL(s.mean, 4.2999999999999998);
    CHECK_REL(s.sd, 2.2105806175452338);
    CHECK_STATUS(ecv_mean_sd(X, 1, &s), ECV_OK);
    CHECK(isnan(s.sd));

    q[0] = -7;
    CHECK_STATUS(ecv_quantile_type7(X, 7, bad_probs, 2, q, 5, scratch, 7), ECV_INVALID_OPTION);
    CHECK_STATUS(ecv_quantile_type7(X, 7, probs, 5, q, 4, scratch, 7), ECV_BUFFER_TOO_SMALL);
    CHECK_STATUS(ecv_quantile_type7(X, 7, probs, 5, q, 5, scratch, 6), ECV_SCRATCH_TOO_SMALL);
    CHECK_STATUS(ecv_quantile_type7(X, 0, probs, 5, q, 5, scratch, 7), ECV_EMPTY_INPUT);
    CHECK_STATUS(ecv_quantile_type7(X, 7, probs, 5, scratch + 1, 5, scratch, 7), ECV_BUFFERS_OVERLAP);
    CHECK_STATUS(ecv_quantile_type7(X, 7, probs, 5, NULL, 5, scratch, 7), ECV_NULL_POINTER);
    CHECK(q[0] == -7);
    m.n = 99;
    CHECK_STATUS(ecv_median_iqr(X, 7, scratch, 6, &m), ECV_SCRATCH_TOO_SMALL);
    CHECK_STATUS(ecv_median_iqr(NULL, 7, scratch, 7, &m), ECV_NULL_POINTER);
    CHECK_STATUS(ecv_median_iqr(X, 7, scratch, 7, NULL), ECV_NULL_POINTER);
    CHECK(m.n == 99);
    CHECK_STATUS(ecv_mean_sd(X, 0, &s), ECV_EMPTY_INPUT);
}

int main(void) {
    test_spearman();
    test_pearson();
    test_icc();
    test_t_test();
    test_wilcoxon();
    test_tables();
    test_describe();
    return check_summary("test_stats");
}
