/* C tests of the ECV functions: the seed paper's Fig. 1 case, every error status, and that no
 * output is written on failure. */
#include <string.h>

#include "check.h"
#include "ecvkit.h"

static const ecv_phase_values AORTA = {42.0, 162.0};
static const ecv_phase_values TUMOR = {40.0, 116.96};
static const ecv_phase_values LIVER = {55.0, 111.14};

static ecv_hematocrit measured(double fraction) {
    ecv_hematocrit h;
    h.fraction = fraction;
    h.origin = ECV_HEMATOCRIT_ORIGIN_MEASURED;
    return h;
}

static void test_fig1_case(void) {
    ecv_result r;
    CHECK_STATUS(ecv_ct(TUMOR, AORTA, measured(0.40), NULL, &r), ECV_OK);
    CHECK_NEAR(r.fraction, 0.3848, 1e-12);
    CHECK(r.flags == 0);
    CHECK_STATUS(ecv_ct(LIVER, AORTA, measured(0.40), NULL, &r), ECV_OK);
    CHECK_NEAR(r.fraction, 0.2807, 1e-12);
}

static void test_statuses_and_untouched_outputs(void) {
    ecv_result r = {-7.0, 99u};
    ecv_phase_values nan_phase = {NAN, 100.0};
    ecv_phase_values flat = {42.0, 42.0};
    ecv_phase_values falling = {42.0, 30.0};
    ecv_hematocrit bad_origin = measured(0.4);
    bad_origin.origin = 9;

    CHECK_STATUS(ecv_ct(TUMOR, AORTA, measured(40.0), NULL, &r), ECV_HEMATOCRIT_PERCENT);
    CHECK_STATUS(ecv_ct(TUMOR, AORTA, measured(0.0), NULL, &r), ECV_HEMATOCRIT_OUT_OF_RANGE);
    CHECK_STATUS(ecv_ct(TUMOR, AORTA, measured(1.0), NULL, &r), ECV_HEMATOCRIT_OUT_OF_RANGE);
    CHECK_STATUS(ecv_ct(TUMOR, AORTA, measured(NAN), NULL, &r), ECV_NOT_FINITE);
    CHECK_STATUS(ecv_ct(TUMOR, AORTA, measured(INFINITY), NULL, &r), ECV_NOT_FINITE);
    CHECK_STATUS(ecv_ct(nan_phase, AORTA, measured(0.4), NULL, &r), ECV_NOT_FINITE);
    CHECK_STATUS(ecv_ct(TUMOR, flat, measured(0.4), NULL, &r), ECV_BLOOD_ENHANCEMENT_ZERO);
    CHECK_STATUS(ecv_ct(TUMOR, falling, measured(0.4), NULL, &r), ECV_BLOOD_ENHANCEMENT_NEGATIVE);
    CHECK_STATUS(ecv_ct(TUMOR, AORTA, bad_origin, NULL, &r), ECV_INVALID_ENUM_VALUE);
    CHECK_STATUS(ecv_ct(TUMOR, AORTA, measured(0.4), NULL, NULL), ECV_NULL_POINTER);
    CHECK(r.fraction == -7.0 && r.flags == 99u);
}

static void test_flags(void) {
    ecv_result r;
    ecv_options o = ecv_options_default();
    ecv_phase_values weak_blood = {42.0, 47.0};
    ecv_hematocrit synthetic = measured(0.10);
    synthetic.origin = ECV_HEMATOCRIT_ORIGIN_SYNTHETIC;
    CHECK(o.min_blood_delta_hu == 10.0);
    CHECK_STATUS(ecv_ct(TUMOR, weak_blood, synthetic, &o, &r), ECV_OK);
    CHECK(r.flags & ECV_FLAG_LOW_BLOOD_ENHANCEMENT);
    CHECK(r.flags & ECV_FLAG_ECV_ABOVE_ONE);
    CHECK(r.flags & ECV_FLAG_SYNTHETIC_HEMATOCRIT);
    CHECK(r.flags & ECV_FLAG_HEMATOCRIT_NON_PHYSIOLOGICAL);
    o.min_blood_delta_hu = 4.0;
    CHECK_STATUS(ecv_ct(TUMOR, weak_blood, measured(0.4), &o, &r), ECV_OK);
    CHECK(!(r.flags & ECV_FLAG_LOW_BLOOD_ENHANCEMENT));
}

static void test_dect_and_mri(void) {
    ecv_result r;
    ecv_t1_values myo = {1000.0, 450.0};
    ecv_t1_values blood = {1600.0, 300.0};
    ecv_t1_values zero = {0.0, 300.0};
    CHECK_STATUS(ecv_dect(1.0, 4.0, measured(0.4), NULL, &r), ECV_OK);
    CHECK_NEAR(r.fraction, 0.15, 1e-15);
    CHECK_STATUS(ecv_dect(1.0, 0.0, measured(0.4), NULL, &r), ECV_BLOOD_ENHANCEMENT_ZERO);
    CHECK_STATUS(ecv_mri(myo, blood, measured(0.42), NULL, &r), ECV_OK);
    CHECK_NEAR(r.fraction,
               0.58 * (1.0 / 450.0 - 1.0 / 1000.0) / (1.0 / 300.0 - 1.0 / 1600.0), 1e-14);
    CHECK_STATUS(ecv_mri(myo, zero, measured(0.42), NULL, &r), ECV_T1_NOT_POSITIVE);
}

static void test_synthetic_hematocrit(void) {
    ecv_hematocrit h = measured(0.0);
    ecv_t1_hematocrit_model reiter = ecv_t1_hematocrit_model_reiter_2024_3t_molli();
    ecv_blood_hu_hematocrit_model linear = {0.009, 0.05};
    CHECK_STATUS(ecv_hematocrit_from_t1(reiter, 1650.0, 0.0, &h), ECV_OK);
    CHECK_NEAR(h.fraction, 1355.52 / 1650.0 - 0.310, 1e-15);
    CHECK(h.origin == ECV_HEMATOCRIT_ORIGIN_SYNTHETIC);
    CHECK_STATUS(ecv_hematocrit_from_t1(reiter, 1000.0, 0.0, &h),
                 ECV_SYNTHETIC_HEMATOCRIT_OUT_OF_RANGE);
    CHECK_STATUS(ecv_hematocrit_from_t1(reiter, -1.0, 0.0, &h), ECV_T1_NOT_POSITIVE);
    CHECK_STATUS(ecv_hematocrit_from_blood_hu(linear, 40.0, &h), ECV_OK);
    CHECK_NEAR(h.fraction, 0.41, 1e-15);
    CHECK_STATUS(ecv_hematocrit_from_blood_hu(linear, NAN, &h), ECV_NOT_FINITE);
    CHECK_STATUS(ecv_hematocrit_from_blood_hu(linear, 40.0, NULL), ECV_NULL_POINTER);
}

#define N 16
static void test_map(void) {
    float un[N], eq[N], out[N + 1];
    unsigned char mask[N];
    ecv_map_summary s;
    ecv_map_options mo = ecv_map_options_default();
    size_t i;
    for (i = 0; i < N; i++) {
        un[i] = 40.0f;
        eq[i] = 116.96f;
        mask[i] = (unsigned char)(i != 3);
    }
    eq[5] = NAN;
    out[N] = 123.0f; /* canary after the pixels */
    mo.fill = -1.0f;
    CHECK(isnan(ecv_map_options_default().fill));
    CHECK_STATUS(ecv_ct_map(un, eq, mask, N, AORTA, measured(0.4), NULL, &mo, out, N + 1, &s), ECV_OK);
    CHECK_NEAR(out[0], 0.3848, 1e-6);
    CHECK(out[3] == -1.0f && out[5] == -1.0f);
    CHECK(s.masked_pixels == 1 && s.invalid_pixels == 1);
    CHECK(out[N] == 123.0f);

    memset(&s, 0x5a, sizeof s);
    for (i = 0; i < N; i++) out[i] = 9.0f;
    CHECK_STATUS(ecv_ct_map(un, eq, NULL, N, AORTA, measured(0.4), NULL, NULL, out, N - 1, &s),
                 ECV_BUFFER_TOO_SMALL);
    CHECK_STATUS(ecv_ct_map(un, eq, NULL, 0, AORTA, measured(0.4), NULL, NULL, out, N, &s),
                 ECV_EMPTY_INPUT);
    CHECK_STATUS(ecv_ct_map(NULL, eq, NULL, N, AORTA, measured(0.4), NULL, NULL, out, N, &s),
                 ECV_NULL_POINTER);
    CHECK_STATUS(ecv_ct_map(un, eq, NULL, N, AORTA, measured(0.4), NULL, NULL, out, N, NULL),
                 ECV_NULL_POINTER);
    CHECK_STATUS(ecv_ct_map(un, eq, NULL, N, AORTA, measured(0.4), NULL, NULL, un, N, &s),
                 ECV_BUFFERS_OVERLAP);
    mo.plausible_min = 1.0;
    mo.plausible_max = 0.0;
    CHECK_STATUS(ecv_ct_map(un, eq, NULL, N, AORTA, measured(0.4), NULL, &mo, out, N, &s),
                 ECV_INVALID_RANGE);
    CHECK_STATUS(ecv_ct_map(un, eq, NULL, N, AORTA, measured(42.0), NULL, NULL, out, N, &s),
                 ECV_HEMATOCRIT_PERCENT);
    for (i = 0; i < N; i++) CHECK(out[i] == 9.0f);
    CHECK(s.invalid_pixels == s.masked_pixels); /* still the 0x5a pattern */
}

static void test_status_strings_and_version(void) {
    CHECK(strcmp(ecv_status_str(ECV_OK), "success") == 0);
    CHECK(strstr(ecv_status_str(ECV_HEMATOCRIT_PERCENT), "percent") != NULL);
    CHECK(strcmp(ecv_status_str(123456u), "unknown ecv_status value") == 0);
    CHECK(strcmp(ecv_version(), ECVKIT_VERSION_STRING) == 0);
}

int main(void) {
    test_fig1_case();
    test_statuses_and_untouched_outputs();
    test_flags();
    test_dect_and_mri();
    test_synthetic_hematocrit();
    test_map();
    test_status_strings_and_version();
    return check_summary("test_ecv");
}
