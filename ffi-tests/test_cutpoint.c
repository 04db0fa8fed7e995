/* C tests of the cutpoint functions: R's maxstat.test and survdiff on the ovarian data
 * (tests/reference/cutpoint.R), the X-tile grid, a fixed cutoff, the statuses (too few
 * subjects, all markers equal, no events, NaN marker, small buffers) and untouched outputs. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ecvkit.h"

#define N 26
/* survival::ovarian: futime, fustat, age. */
static const double TIME[N] = {59,  115, 156, 421, 431, 448,  464,  475,  477,  563,  638, 744, 769,
                               770, 803, 855, 1040, 1106, 1129, 1206, 1227, 268, 329, 353, 365, 377};
static const uint8_t EVENT[N] = {1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0,
                                 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0};
static const double AGE[N] = {72.3315, 74.4932, 66.4658, 53.3644, 50.3397, 56.4301, 56.937,
                              59.8548, 64.1753, 55.1781, 56.7562, 50.1096, 59.6301, 57.0521,
                              39.2712, 43.1233, 38.8932, 44.6,    53.9068, 44.2055, 59.589,
                              74.5041, 43.137,  63.2192, 64.4247, 58.3096};

static double rel(double a, double b) { return fabs(a - b) / fabs(b); }

typedef struct {
    double *reals;
    uint32_t *indices;
    ecv_cutpoint_scratch_sizes len;
} scratch;

static scratch scratch_for(ecv_cutpoint_scratch_sizes len) {
    scratch s;
    s.len = len;
    s.reals = (double *)calloc(len.reals, sizeof(double));
    s.indices = (uint32_t *)calloc(len.indices, sizeof(uint32_t));
    return s;
}

static void scratch_free(scratch *s) {
    free(s->reals);
    free(s->indices);
}

static ecv_status scan(const double *marker, const double *time, const uint8_t *event, size_t n,
                       const ecv_cutpoint_options *o, ecv_cutpoint_row *rows, size_t capacity,
                       size_t *needed, ecv_cutpoint_result *out) {
    scratch s = scratch_for(ecv_cutpoint_scratch_len(n));
    ecv_status st = ecv_cutpoint_scan(marker, time, event, n, o, s.reals, s.len.reals, s.indices,
                                      s.len.indices, rows, capacity, needed, out);
    scratch_free(&s);
    return st;
}

static void test_maxstat_on_ovarian_matches_r(void) {
    ecv_cutpoint_options o = ecv_cutpoint_options_default();
    ecv_cutpoint_row rows[N];
    ecv_cutpoint_result r;
    size_t needed = 0, counted = 0, i;
    uint32_t idx[2 * N];
    CHECK(o.min_prop == 0.1 && o.max_prop == 0.9 && o.permutations == 0);
    CHECK(ecv_cutpoint_max_rows(N, &o) == 22);
    CHECK_STATUS(ecv_cutpoint_rows_needed(AGE, N, NULL, idx, 2 * N, &counted), ECV_OK);
    CHECK(counted == 22);
    CHECK_STATUS(scan(AGE, TIME, EVENT, N, &o, rows, N, &needed, &r), ECV_OK);
    CHECK(needed == 22 && r.cuts == 22 && r.subjects == N && r.events == 12);
    /* R: maxstat.test(Surv(futime, fustat) ~ age, ovarian, smethod = "LogRank", ...) */
    CHECK(r.maxstat.cutpoint == 59.6301);
    CHECK(rel(r.maxstat.statistic, 3.175220104552833) < 1e-9);
    CHECK(rel(r.maxstat.p_lausen92, 0.035679689719629017) < 1e-9);
    CHECK(rel(r.maxstat.p_lausen94, 0.019287487752567209) < 1e-9);
    CHECK(isnan(r.maxstat.p_permutation));
    /* survdiff's chi-square is largest at age <= 64.4247 (22 low subjects). */
    CHECK(r.logrank.cutpoint == 64.4247 && r.logrank.n_low == 22 && r.logrank.n_high == 4);
    CHECK(rel(r.logrank.statistic, 36.622210527300702) < 1e-9);
    CHECK(r.logrank.p_unadjusted < r.logrank.p_lausen94);
    for (i = 1; i < r.cuts; i++) CHECK(rows[i].cutpoint > rows[i - 1].cutpoint);
    /* Ages are distinct: row k has k + 2 low subjects (m = 2 ... 23). */
    CHECK(rows[20].cutpoint == 64.4247 && rows[20].n_low == 22);
    CHECK(rel(rows[20].chisq, 36.622210527300702) < 1e-9);
    CHECK(rows[20].observed_low == 8.0);
    CHECK(rel(rows[20].expected_low, 11.599342251950949) < 1e-9);
    /* No profile at all. */
    CHECK_STATUS(scan(AGE, TIME, EVENT, N, NULL, NULL, 0, NULL, &r), ECV_OK);
    CHECK(r.cuts == 22);
}

static void test_permutation_p_is_reproducible(void) {
    ecv_cutpoint_options o = ecv_cutpoint_options_default();
    ecv_cutpoint_result a, b;
    o.permutations = 500;
    o.seed = 2025;
    CHECK_STATUS(scan(AGE, TIME, EVENT, N, &o, NULL, 0, NULL, &a), ECV_OK);
    CHECK_STATUS(scan(AGE, TIME, EVENT, N, &o, NULL, 0, NULL, &b), ECV_OK);
    CHECK(a.maxstat.p_permutation == b.maxstat.p_permutation);
    CHECK(a.logrank.p_permutation == b.logrank.p_permutation);
    CHECK(a.maxstat.p_permutation >= 0.0 && a.maxstat.p_permutation < 0.1);
}

static void test_statuses(void) {
    ecv_cutpoint_row rows[N];
    ecv_cutpoint_result r, untouched;
    size_t needed = 12345;
    double same[N], with_nan[N];
    uint8_t none[N];
    int i;
    memset(&untouched, 0xAB, sizeof untouched);
    r = untouched;
    for (i = 0; i < N; i++) {
        same[i] = 0.272;
        with_nan[i] = AGE[i];
        none[i] = 0;
    }
    with_nan[7] = NAN;
    /* n below the minimum group size: one subject cannot be split. */
    CHECK_STATUS(scan(AGE, TIME, EVENT, 1, NULL, rows, N, &needed, &r),
                 ECV_CUTPOINT_TOO_FEW_SUBJECTS);
    CHECK_STATUS(scan(AGE, TIME, EVENT, 0, NULL, rows, N, &needed, &r), ECV_EMPTY_INPUT);
    CHECK_STATUS(scan(same, TIME, EVENT, N, NULL, rows, N, &needed, &r),
                 ECV_CUTPOINT_MARKER_CONSTANT);
    CHECK_STATUS(scan(AGE, TIME, none, N, NULL, rows, N, &needed, &r), ECV_NO_EVENTS);
    CHECK_STATUS(scan(with_nan, TIME, EVENT, N, NULL, rows, N, &needed, &r), ECV_NOT_FINITE);
    CHECK_STATUS(scan(NULL, TIME, EVENT, N, NULL, rows, N, &needed, &r), ECV_NULL_POINTER);
    CHECK_STATUS(scan(AGE, TIME, EVENT, N, NULL, rows, N, &needed, NULL), ECV_NULL_POINTER);
    CHECK(memcmp(&r, &untouched, sizeof r) == 0 && needed == 12345);
    /* A profile that is too small: the rows needed are reported, nothing else is written. */
    CHECK_STATUS(scan(AGE, TIME, EVENT, N, NULL, rows, 5, &needed, &r), ECV_BUFFER_TOO_SMALL);
    CHECK(needed == 22);
    CHECK(memcmp(&r, &untouched, sizeof r) == 0);
    {
        ecv_cutpoint_options bad = ecv_cutpoint_options_default();
        bad.min_prop = 0.7;
        bad.max_prop = 0.3;
        CHECK_STATUS(scan(AGE, TIME, EVENT, N, &bad, rows, N, &needed, &r), ECV_INVALID_OPTION);
    }
    {
        double reals[4];
        uint32_t indices[4];
        CHECK_STATUS(ecv_cutpoint_scan(AGE, TIME, EVENT, N, NULL, reals, 4, indices, 4, NULL, 0,
                                       NULL, &r),
                     ECV_SCRATCH_TOO_SMALL);
    }
    CHECK(memcmp(&r, &untouched, sizeof r) == 0);
    CHECK(strlen(ecv_status_str(ECV_CUTPOINT_MARKER_CONSTANT)) > 0);
}

static void test_xtile_grid(void) {
    scratch s = scratch_for(ecv_xtile_scratch_len(N));
    size_t cells = ecv_xtile_cells(22), needed = 0, index = 0;
    ecv_xtile_cell *grid = (ecv_xtile_cell *)calloc(cells, sizeof(ecv_xtile_cell));
    ecv_xtile_summary sum;
    CHECK(cells == 231);
    CHECK_STATUS(ecv_xtile_grid(AGE, TIME, EVENT, N, NULL, s.reals, s.len.reals, s.indices,
                                s.len.indices, grid, 10, &needed, &sum),
                 ECV_BUFFER_TOO_SMALL);
    CHECK(needed == cells);
    CHECK_STATUS(ecv_xtile_grid(AGE, TIME, EVENT, N, NULL, s.reals, s.len.reals, s.indices,
                                s.len.indices, grid, cells, &needed, &sum),
                 ECV_OK);
    CHECK(sum.cuts == 22 && sum.cells == cells && sum.consistent_cells > 0);
    /* R: survdiff(Surv(futime, fustat) ~ group) for age <= 59.6301 / <= 64.4247 / above. */
    CHECK(sum.best.low_cut == 59.6301 && sum.best.high_cut == 64.4247);
    CHECK(sum.best.n_low == 18 && sum.best.n_mid == 4 && sum.best.n_high == 4);
    CHECK(rel(sum.best.chisq, 39.942917213997944) < 1e-9);
    CHECK(sum.best.ordering == ECV_GROUP_ORDERING_HAZARD_INCREASING);
    CHECK(rel(sum.best.observed_expected_high, 9.9835832939146893) < 1e-9);
    CHECK(sum.p_unadjusted < 1e-6);
    CHECK_STATUS(ecv_xtile_cell_index(sum.cuts, 0, 1, &index), ECV_OK);
    CHECK(index == 0);
    CHECK(grid[sum.best_index].chisq == sum.best.chisq);
    CHECK_STATUS(ecv_xtile_cell_index(sum.cuts, 3, 2, &index), ECV_INVALID_OPTION);
    free(grid);
    scratch_free(&s);
}

static void test_fixed_cutoff(void) {
    ecv_fixed_cutoff_scratch_sizes len = ecv_fixed_cutoff_scratch_len(N);
    double *times = (double *)calloc(len.times, sizeof(double));
    uint8_t *events = (uint8_t *)calloc(len.events, 1);
    uint32_t *indices = (uint32_t *)calloc(len.indices, sizeof(uint32_t));
    uint64_t *sort = (uint64_t *)calloc(len.sort, sizeof(uint64_t));
    ecv_fixed_cutoff f;
    double above_all = 100.0;
    CHECK_STATUS(ecv_cutpoint_apply(AGE, TIME, EVENT, N, 56.43, NULL, times, len.times, events,
                                    len.events, indices, len.indices, sort, len.sort, &f),
                 ECV_OK);
    /* R: survfit / survdiff(Surv(futime, fustat) ~ (age <= 56.43), ovarian) */
    CHECK(f.low.n == 11 && f.high.n == 15 && f.low.events == 3 && f.high.events == 9);
    CHECK(isnan(f.low.median.median) && f.low.median.lower == 563.0);
    CHECK(f.high.median.median == 475.0 && f.high.median.lower == 353.0);
    CHECK(isnan(f.high.median.upper) && isnan(f.low.median.upper));
    CHECK(rel(f.low.expected, 6.2130655746640402) < 1e-9);
    CHECK(rel(f.test.chisq, 3.5183670417883701) < 1e-9);
    CHECK(rel(f.test.p_value, 0.060692217464183074) < 1e-9);
    CHECK_STATUS(ecv_cutpoint_apply(AGE, TIME, EVENT, N, above_all, NULL, times, len.times, events,
                                    len.events, indices, len.indices, sort, len.sort, &f),
                 ECV_SINGLE_GROUP);
    CHECK_STATUS(ecv_cutpoint_apply(AGE, TIME, EVENT, N, NAN, NULL, times, len.times, events,
                                    len.events, indices, len.indices, sort, len.sort, &f),
                 ECV_NOT_FINITE);
    free(sort);
    free(times);
    free(events);
    free(indices);
}

static void test_lausen_functions(void) {
    CHECK(ecv_lausen92_p(0.5, 0.1, 0.9) == 1.0);
    CHECK(ecv_lausen92_p(3.0, 0.1, 0.9) < ecv_lausen92_p(2.0, 0.1, 0.9));
    CHECK(ecv_lausen94_p(3.0, 100, 0.1, 0.9) > 0.0);
}

int main(void) {
    test_maxstat_on_ovarian_matches_r();
    test_permutation_p_is_reproducible();
    test_statuses();
    test_xtile_grid();
    test_fixed_cutoff();
    test_lausen_functions();
    return check_summary("test_cutpoint");
}
