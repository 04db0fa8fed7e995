/* C tests of the image and ROI functions: ROIs drawn on synthetic phantoms whose statistics are
 * known in closed form, every bad descriptor and shape, outputs untouched on failure, and the
 * seed paper's tumor/liver measurement in one call. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "ecvkit.h"

#define W 64
#define H 64

/* Gradient phantom: HU(c, r) = c - 32, stored = HU + 1024 (intercept -1024). */
static int16_t gradient[H * W];
/* The same values as floats, in storage that doubles may also view (to test that scratch
 * overlapping the image is refused). */
static union {
    double as_double[H * W / 2];
    float as_float[H * W];
} f32_store;
#define gradient_f32 (f32_store.as_float)
/* The gradient embedded in rows of 80 elements (stride 160 bytes); the gaps hold garbage. */
static int16_t strided[H * 80];

static const ecv_pixel_spacing SPACING_1MM = {1.0, 1.0};

static void build_phantoms(void) {
    int r, c;
    for (r = 0; r < H; r++) {
        for (c = 0; c < W; c++) {
            gradient[r * W + c] = (int16_t)(c - 32 + 1024);
            gradient_f32[r * W + c] = (float)(c - 32 + 1024);
        }
        for (c = 0; c < 80; c++) {
            strided[r * 80 + c] = c < W ? (int16_t)(c - 32 + 1024) : (int16_t)31000;
        }
    }
}

static ecv_image ct_image(const int16_t *px, ecv_pixel_spacing spacing) {
    ecv_image img = ecv_image_packed(ECV_STORED_TYPE_I16, px, W, H, spacing);
    img.rescale.intercept = -1024.0;
    return img;
}

/* Lattice points with x^2 + y^2 <= 25: 81, and the sum of x^2 over them: 526. */
/* Field-by-field equality of two results (memcmp would read the unspecified padding bytes
   after `clipping`, which valgrind reports as uninitialised). */
static int same_roi_stats(const ecv_roi_stats_result *a, const ecv_roi_stats_result *b) {
    const ecv_roi_summary_result *x = &a->summary, *y = &b->summary;
    return x->count == y->count && x->shape_pixels == y->shape_pixels &&
           x->padding_pixels == y->padding_pixels && x->window_excluded == y->window_excluded &&
           x->non_finite_pixels == y->non_finite_pixels && x->clipping == y->clipping &&
           x->area_mm2 == y->area_mm2 && x->analytic_area_mm2 == y->analytic_area_mm2 &&
           x->sum == y->sum && x->mean == y->mean && x->sd_sample == y->sd_sample &&
           x->sd_population == y->sd_population && x->min == y->min && x->max == y->max &&
           a->median == b->median;
}

static void test_circle_closed_form(void) {
    ecv_image img = ct_image(gradient, SPACING_1MM);
    ecv_roi roi = ecv_roi_circle(ECV_UNITS_PIXELS, 20.0, 30.0, 5.0);
    ecv_roi_stats_result s;
    CHECK_STATUS(ecv_image_check(&img), ECV_OK);
    CHECK_STATUS(ecv_roi_stats(&img, &roi, NULL, NULL, 0, &s), ECV_OK);
    CHECK(s.summary.count == 81 && s.summary.shape_pixels == 81);
    CHECK(s.summary.padding_pixels == 0 && s.summary.window_excluded == 0);
    CHECK(s.summary.mean == -12.0);
    CHECK(s.median == -12.0);
    CHECK(s.summary.min == -17.0 && s.summary.max == -7.0);
    CHECK(s.summary.sum == -12.0 * 81);
    CHECK_NEAR(s.summary.sd_population, sqrt(526.0 / 81.0), 1e-13);
    CHECK_NEAR(s.summary.sd_sample, sqrt(526.0 / 80.0), 1e-13);
    CHECK(s.summary.clipping == ECV_CLIPPING_INSIDE);
    CHECK_NEAR(s.summary.area_mm2, 81.0, 1e-12);
    CHECK_NEAR(s.summary.analytic_area_mm2, 25.0 * 3.14159265358979323846, 1e-12);
}

/* A circle in mm on 0.5 mm pixels is the same 81 pixels; on (row 1.0, column 0.5) mm pixels a
 * 2 mm circle is an ellipse of semi-axes 4 (x) and 2 (y) pixels: 9 + 2 * 7 + 2 * 1 = 25. */
static void test_mm_and_anisotropic_spacing(void) {
    ecv_pixel_spacing half = {0.5, 0.5};
    ecv_pixel_spacing aniso = {1.0, 0.5}; /* DICOM order: row spacing (dy) first */
    ecv_image img = ct_image(gradient, half);
    ecv_roi roi = ecv_roi_circle(ECV_UNITS_MILLIMETRES, 20.0, 20.0, 2.5);
    ecv_roi_summary_result s;
    CHECK_STATUS(ecv_roi_summary(&img, &roi, NULL, &s), ECV_OK);
    CHECK(s.count == 81 && s.mean == 8.0);
    CHECK_NEAR(s.area_mm2, 81 * 0.25, 1e-12);
    img = ct_image(gradient, aniso);
    roi = ecv_roi_circle(ECV_UNITS_MILLIMETRES, 20.0, 40.0, 2.0); /* pixel (40, 40) */
    CHECK_STATUS(ecv_roi_summary(&img, &roi, NULL, &s), ECV_OK);
    CHECK(s.count == 25 && s.mean == 8.0);
    CHECK(s.min == 4.0 && s.max == 12.0);
}

static void test_rectangle_polygon_ellipse_mask(void) {
    ecv_image img = ct_image(gradient, SPACING_1MM);
    ecv_roi rect = ecv_roi_rectangle(ECV_UNITS_PIXELS, 10.0, 10.0, 19.0, 14.0);
    ecv_point square[4] = {{10.0, 10.0}, {20.0, 10.0}, {20.0, 20.0}, {10.0, 20.0}};
    ecv_roi poly = ecv_roi_polygon(ECV_UNITS_PIXELS, square, 4);
    ecv_roi ell = ecv_roi_ellipse(ECV_UNITS_PIXELS, 40.0, 40.0, 4.0, 2.0, 0.0);
    /* A 3 x 3 mask with its first column off the left edge: 4 nonzero cells remain inside. */
    uint8_t cells[9] = {1, 1, 0, 1, 0, 1, 0, 1, 1};
    ecv_roi mask = ecv_roi_mask(cells, 3, 3, -1, 5);
    double probs[3] = {0.5, 0.1, 1.0};
    double q[3];
    ecv_roi_summary_result s;
    CHECK_STATUS(ecv_roi_summary(&img, &rect, NULL, &s), ECV_OK);
    CHECK(s.count == 50 && s.mean == -17.5);
    /* 50 values -22..-13, five each: type 7 median (x[25] + x[26]) / 2 = -17.5; p = 0.1 at
     * index 5.9: -22 + 0.9 = -21.1. */
    CHECK_STATUS(ecv_roi_percentiles(&img, &rect, NULL, probs, 3, q, 3, NULL, 0, NULL), ECV_OK);
    CHECK(q[0] == -17.5);
    CHECK_NEAR(q[1], -21.1, 1e-12);
    CHECK(q[2] == -13.0);
    CHECK_STATUS(ecv_roi_summary(&img, &poly, NULL, &s), ECV_OK);
    CHECK(s.count == 121 && s.mean == -17.0); /* edges included: 11 x 11 */
    CHECK_NEAR(s.analytic_area_mm2, 100.0, 1e-12);
    CHECK_STATUS(ecv_roi_summary(&img, &ell, NULL, &s), ECV_OK);
    CHECK(s.count == 25 && s.mean == 8.0);
    CHECK_STATUS(ecv_roi_summary(&img, &mask, NULL, &s), ECV_OK);
    /* Inside cells: (0,5) (1,6) (0,7) (1,7) -> columns 0, 1, 0, 1: mean -31.5. */
    CHECK(s.count == 4 && s.mean == -31.5);
    CHECK(s.clipping == ECV_CLIPPING_CLIPPED);
}

/* Padding on stored values and the value window. */
static void test_padding_and_window(void) {
    static int16_t px[H * W];
    ecv_image img;
    ecv_roi roi = ecv_roi_circle(ECV_UNITS_PIXELS, 20.0, 30.0, 5.0);
    ecv_roi_options o = ecv_roi_options_default();
    ecv_roi_summary_result s;
    memcpy(px, gradient, sizeof px);
    px[30 * W + 20] = -2000; /* the centre and one more pixel are padding */
    px[30 * W + 21] = -2000;
    img = ct_image(px, SPACING_1MM);
    img.padding_kind = ECV_PADDING_KIND_VALUE;
    img.padding_value = -2000.0;
    CHECK_STATUS(ecv_roi_summary(&img, &roi, NULL, &s), ECV_OK);
    CHECK(s.padding_pixels == 2 && s.count == 79);
    CHECK_NEAR(s.mean, (-12.0 * 81 - (-12.0) - (-11.0)) / 79.0, 1e-12);
    /* Window [-14, -10] HU keeps columns 18..22: 11 + 2 * 9 + 2 * 9 = 47 centres, 2 of them
     * padding. */
    o.window.lo = -14.0;
    o.window.hi = -10.0;
    CHECK_STATUS(ecv_roi_summary(&img, &roi, &o, &s), ECV_OK);
    CHECK(s.count == 45 && s.window_excluded == 34 && s.padding_pixels == 2);
    CHECK(s.shape_pixels == s.count + s.window_excluded + s.padding_pixels);
    img.padding_kind = ECV_PADDING_KIND_RANGE;
    img.padding_value = -3000.0;
    img.padding_range_limit = 1024.0 - 14.0; /* stored <= 1010 is padding: HU <= -14 */
    CHECK_STATUS(ecv_roi_summary(&img, &roi, NULL, &s), ECV_OK);
    CHECK(s.padding_pixels == 2 + (81 - 47) / 2 + 9 && s.min == -13.0);
}

static void test_float_pixels_and_stride(void) {
    ecv_image f = ecv_image_packed(ECV_STORED_TYPE_F32, gradient_f32, W, H, SPACING_1MM);
    ecv_image st = ct_image(strided, SPACING_1MM);
    ecv_image i16 = ct_image(gradient, SPACING_1MM);
    ecv_roi roi = ecv_roi_ellipse(ECV_UNITS_PIXELS, 31.3, 27.9, 12.0, 7.0, 0.7);
    ecv_roi_stats_result a, b, c;
    double scratch[1024];
    size_t need = 99;
    f.rescale.intercept = -1024.0;
    st.row_stride_bytes = 80 * sizeof(int16_t);
    st.data_len_bytes = sizeof strided;
    CHECK_STATUS(ecv_roi_scratch_len(&i16, &roi, &need), ECV_OK);
    CHECK(need == 0);
    CHECK_STATUS(ecv_roi_scratch_len(&f, &roi, &need), ECV_OK);
    CHECK(need > 200 && need <= 1024);
    CHECK_STATUS(ecv_roi_stats(&f, &roi, NULL, scratch, need - 1, &a), ECV_SCRATCH_TOO_SMALL);
    CHECK_STATUS(ecv_roi_stats(&f, &roi, NULL, scratch, need, &a), ECV_OK);
    CHECK_STATUS(ecv_roi_stats(&i16, &roi, NULL, NULL, 0, &b), ECV_OK);
    CHECK_STATUS(ecv_roi_stats(&st, &roi, NULL, NULL, 0, &c), ECV_OK);
    CHECK(a.summary.count == need && b.summary.count == need);
    CHECK(a.median == b.median && a.summary.min == b.summary.min);
    CHECK_NEAR(a.summary.mean, b.summary.mean, 1e-12);
    /* the stride changes nothing (field by field: padding bytes are unspecified) */
    CHECK(same_roi_stats(&b, &c));
    gradient_f32[30 * W + 31] = NAN;
    CHECK_STATUS(ecv_roi_stats(&f, &roi, NULL, scratch, need, &a), ECV_OK);
    CHECK(a.summary.non_finite_pixels == 1 && a.summary.count == need - 1);
    gradient_f32[30 * W + 31] = (float)(31 - 32 + 1024);
    /* Scratch overlapping the image is refused. */
    CHECK_STATUS(ecv_roi_stats(&f, &roi, NULL, f32_store.as_double, need, &a),
                 ECV_BUFFERS_OVERLAP);
}

static void test_bad_descriptors(void) {
    ecv_image good = ct_image(gradient, SPACING_1MM);
    ecv_image img;
    ecv_roi roi = ecv_roi_circle(ECV_UNITS_PIXELS, 20.0, 30.0, 5.0);
    ecv_roi_summary_result s;
    memset(&s, 0x5a, sizeof s);

#define BAD(field_change, expected)                                        \
    do {                                                                   \
        img = good;                                                        \
        field_change;                                                      \
        CHECK_STATUS(ecv_image_check(&img), expected);                     \
        CHECK_STATUS(ecv_roi_summary(&img, &roi, NULL, &s), expected);     \
    } while (0)

    CHECK_STATUS(ecv_image_check(NULL), ECV_NULL_POINTER);
    CHECK_STATUS(ecv_roi_summary(NULL, &roi, NULL, &s), ECV_NULL_POINTER);
    BAD(img.data = NULL, ECV_NULL_POINTER);
    BAD(img.stored_type = 7, ECV_INVALID_ENUM_VALUE);
    BAD(img.padding_kind = 3, ECV_INVALID_ENUM_VALUE);
    BAD(img.width = 0, ECV_IMAGE_SIZE_ZERO);
    BAD(img.height = 0, ECV_IMAGE_SIZE_ZERO);
    BAD(img.row_stride_bytes = 2 * W - 2, ECV_ROW_STRIDE_TOO_SMALL);
    BAD(img.row_stride_bytes = 2 * W + 1, ECV_ROW_STRIDE_NOT_MULTIPLE);
    BAD(img.data_len_bytes = sizeof gradient - 2, ECV_IMAGE_DATA_TOO_SHORT);
    BAD(img.row_stride_bytes = 2 * W + 2, ECV_IMAGE_DATA_TOO_SHORT);
    BAD(img.bits_stored = 0, ECV_BITS_STORED_INVALID);
    BAD(img.bits_stored = 17, ECV_BITS_STORED_INVALID);
    BAD(img.rescale.slope = NAN, ECV_NOT_FINITE);
    BAD(img.rescale.slope = INFINITY, ECV_NOT_FINITE);
    BAD(img.rescale.slope = 0.0, ECV_RESCALE_SLOPE_ZERO);
    BAD(img.rescale.intercept = NAN, ECV_NOT_FINITE);
    BAD(img.spacing.row_mm = 0.0, ECV_PIXEL_SPACING_NOT_POSITIVE);
    BAD(img.spacing.col_mm = -0.7, ECV_PIXEL_SPACING_NOT_POSITIVE);
    BAD(img.spacing.col_mm = NAN, ECV_NOT_FINITE);
    BAD((img.padding_kind = ECV_PADDING_KIND_VALUE, img.padding_value = NAN), ECV_NOT_FINITE);
    BAD(img.data = (const char *)gradient + 1, ECV_MISALIGNED_POINTER);
    BAD(img.stored_type = ECV_STORED_TYPE_F32, ECV_ROW_STRIDE_TOO_SMALL); /* 128 bytes < 64 floats */
    img = ecv_image_packed(ECV_STORED_TYPE_F32, gradient_f32, W, H, SPACING_1MM);
    CHECK_STATUS(ecv_image_check(&img), ECV_OK);
    img.bits_stored = 16;
    CHECK_STATUS(ecv_image_check(&img), ECV_BITS_STORED_INVALID);
    img = ecv_image_packed(ECV_STORED_TYPE_I16, gradient, W, H, SPACING_1MM);
    img.bits_stored = 12;
    CHECK_STATUS(ecv_image_check(&img), ECV_OK);
    CHECK(s.count == 0x5a5a5a5a5a5a5a5aULL); /* never written */
#undef BAD
}

static void test_bad_shapes(void) {
    ecv_image img = ct_image(gradient, SPACING_1MM);
    ecv_point two[2] = {{1.0, 1.0}, {5.0, 5.0}};
    uint8_t cells[4] = {1, 1, 1, 1};
    ecv_roi roi;
    ecv_roi_options o = ecv_roi_options_default();
    ecv_roi_summary_result s;
    memset(&s, 0x5a, sizeof s);

    CHECK_STATUS(ecv_roi_summary(&img, NULL, NULL, &s), ECV_NULL_POINTER);
    roi = ecv_roi_circle(ECV_UNITS_PIXELS, 20.0, 30.0, 5.0);
    CHECK_STATUS(ecv_roi_summary(&img, &roi, NULL, NULL), ECV_NULL_POINTER);
    roi.kind = 9;
    CHECK_STATUS(ecv_roi_summary(&img, &roi, NULL, &s), ECV_INVALID_ENUM_VALUE);
    roi = ecv_roi_circle(5, 20.0, 30.0, 5.0);
    CHECK_STATUS(ecv_roi_summary(&img, &roi, NULL, &s), ECV_INVALID_ENUM_VALUE);
    roi = ecv_roi_circle(ECV_UNITS_PIXELS, 20.0, 30.0, 0.0);
    CHECK_STATUS(ecv_roi_summary(&img, &roi, NULL, &s), ECV_INVALID_SHAPE);
    roi = ecv_roi_circle(ECV_UNITS_PIXELS, NAN, 30.0, 5.0);
    CHECK_STATUS(ecv_roi_summary(&img, &roi, NULL, &s), ECV_NOT_FINITE);
    roi = ecv_roi_ellipse(ECV_UNITS_PIXELS, 20.0, 30.0, 5.0, -1.0, 0.0);
    CHECK_STATUS(ecv_roi_summary(&img, &roi, NULL, &s), ECV_INVALID_SHAPE);
    roi = ecv_roi_rectangle(ECV_UNITS_PIXELS, 5.0, 5.0, 4.0, 9.0);
    CHECK_STATUS(ecv_roi_summary(&img, &roi, NULL, &s), ECV_INVALID_SHAPE);
    roi = ecv_roi_polygon(ECV_UNITS_PIXELS, two, 2);
    CHECK_STATUS(ecv_roi_summary(&img, &roi, NULL, &s), ECV_INVALID_SHAPE);
    roi = ecv_roi_polygon(ECV_UNITS_PIXELS, NULL, 4);
    CHECK_STATUS(ecv_roi_summary(&img, &roi, NULL, &s), ECV_NULL_POINTER);
    roi = ecv_roi_mask(NULL, 2, 2, 0, 0);
    CHECK_STATUS(ecv_roi_summary(&img, &roi, NULL, &s), ECV_NULL_POINTER);
    roi = ecv_roi_mask(cells, 2, 2, 0, 0);
    roi.units = ECV_UNITS_MILLIMETRES;
    CHECK_STATUS(ecv_roi_summary(&img, &roi, NULL, &s), ECV_INVALID_SHAPE);
    roi = ecv_roi_mask(cells, 2, 2, 70, 0);
    CHECK_STATUS(ecv_roi_summary(&img, &roi, NULL, &s), ECV_ROI_OUTSIDE_IMAGE);
    roi = ecv_roi_circle(ECV_UNITS_PIXELS, -10.0, 30.0, 5.0);
    CHECK_STATUS(ecv_roi_summary(&img, &roi, NULL, &s), ECV_ROI_OUTSIDE_IMAGE);
    roi = ecv_roi_circle(ECV_UNITS_MILLIMETRES, 30.0, 100.0, 20.0);
    CHECK_STATUS(ecv_roi_summary(&img, &roi, NULL, &s), ECV_ROI_OUTSIDE_IMAGE);
    roi = ecv_roi_circle(ECV_UNITS_PIXELS, 20.5, 30.5, 0.3);
    CHECK_STATUS(ecv_roi_summary(&img, &roi, NULL, &s), ECV_ROI_EMPTY);
    roi = ecv_roi_circle(ECV_UNITS_PIXELS, 20.0, 30.0, 5.0);
    o.window.lo = 5.0;
    o.window.hi = 4.0;
    CHECK_STATUS(ecv_roi_summary(&img, &roi, &o, &s), ECV_INVALID_RANGE);
    o.window.lo = NAN;
    CHECK_STATUS(ecv_roi_summary(&img, &roi, &o, &s), ECV_NOT_FINITE);
    o.window.lo = 500.0;
    o.window.hi = 600.0;
    CHECK_STATUS(ecv_roi_summary(&img, &roi, &o, &s), ECV_ROI_ALL_EXCLUDED);
    CHECK(s.count == 0x5a5a5a5a5a5a5a5aULL);
}

static void test_percentile_errors(void) {
    ecv_image img = ct_image(gradient, SPACING_1MM);
    ecv_roi roi = ecv_roi_circle(ECV_UNITS_PIXELS, 20.0, 30.0, 5.0);
    double probs[2] = {0.25, 0.75};
    double bad[1] = {1.5};
    double out[2] = {-7.0, -7.0};
    double both[2] = {0.5, 0.5};
    CHECK_STATUS(ecv_roi_percentiles(&img, &roi, NULL, probs, 2, out, 1, NULL, 0, NULL),
                 ECV_BUFFER_TOO_SMALL);
    CHECK_STATUS(ecv_roi_percentiles(&img, &roi, NULL, bad, 1, out, 2, NULL, 0, NULL),
                 ECV_INVALID_OPTION);
    CHECK_STATUS(ecv_roi_percentiles(&img, &roi, NULL, probs, 0, out, 2, NULL, 0, NULL),
                 ECV_EMPTY_INPUT);
    CHECK_STATUS(ecv_roi_percentiles(&img, &roi, NULL, probs, 2, NULL, 2, NULL, 0, NULL),
                 ECV_NULL_POINTER);
    CHECK(out[0] == -7.0 && out[1] == -7.0);
    CHECK_STATUS(ecv_roi_percentiles(&img, &roi, NULL, both, 2, both, 2, NULL, 0, NULL),
                 ECV_BUFFERS_OVERLAP);
    CHECK_STATUS(ecv_roi_percentiles(&img, &roi, NULL, probs, 2, out, 2, NULL, 0, NULL), ECV_OK);
    CHECK(out[0] < -12.0 && out[1] > -12.0 && out[0] + out[1] == -24.0);
}

static void test_pooling(void) {
    ecv_image img = ct_image(gradient, SPACING_1MM);
    ecv_roi rois[3];
    ecv_roi_summary_result s[3];
    ecv_pooled_stats p;
    double readers[2] = {40.0, 43.0};
    double avg = 0.0;
    int i;
    rois[0] = ecv_roi_circle(ECV_UNITS_PIXELS, 10.0, 10.0, 5.0);   /* 81 px, mean -22 */
    rois[1] = ecv_roi_circle(ECV_UNITS_PIXELS, 40.0, 10.0, 5.0);   /* 81 px, mean 8 */
    rois[2] = ecv_roi_rectangle(ECV_UNITS_PIXELS, 50, 50, 51, 50); /* 2 px, mean 18.5 */
    for (i = 0; i < 3; i++) CHECK_STATUS(ecv_roi_summary(&img, &rois[i], NULL, &s[i]), ECV_OK);
    CHECK_STATUS(ecv_roi_pool(s, 3, &p), ECV_OK);
    CHECK(p.roi_count == 3 && p.pixel_count == 164 && p.smallest_roi_count == 2);
    CHECK_NEAR(p.mean_of_means, (-22.0 + 8.0 + 18.5) / 3.0, 1e-12);
    CHECK_NEAR(p.pooled_mean, (-22.0 * 81 + 8.0 * 81 + 37.0) / 164.0, 1e-12);
    CHECK_STATUS(ecv_roi_pool(s, 0, &p), ECV_EMPTY_INPUT);
    CHECK_STATUS(ecv_roi_pool(NULL, 3, &p), ECV_NULL_POINTER);
    CHECK_STATUS(ecv_reader_average(readers, 2, &avg), ECV_OK);
    CHECK(avg == 41.5);
}

/* Measurement phantom: background 0 HU, liver block, tumor disk, aorta disk. */
static int16_t unenhanced[H * W], equilibrium[H * W];

static void paint(int16_t *px, int liver, int tumor, int aorta) {
    int r, c;
    for (r = 0; r < H; r++) {
        for (c = 0; c < W; c++) {
            int hu = 0;
            if ((c - 44) * (c - 44) + (r - 44) * (r - 44) <= 100) hu = tumor;
            else if ((c - 32) * (c - 32) + (r - 12) * (r - 12) <= 36) hu = aorta;
            else if (c < 32 && r >= 32) hu = liver;
            px[r * W + c] = (int16_t)(hu + 1024);
        }
    }
}

static void test_measurement(void) {
    ecv_pixel_spacing sp = {0.75, 0.75};
    ecv_image un, eq;
    ecv_roi tumor[1], liver[3], aorta[1], many[17];
    ecv_structure_rois t, l, bad;
    ecv_hematocrit hct = {0.40, ECV_HEMATOCRIT_ORIGIN_MEASURED};
    ecv_measurement_options o = ecv_measurement_options_default();
    ecv_ct_measurement m;
    ecv_structure_ecv se;
    int i;
    paint(unenhanced, 55, 40, 42);
    paint(equilibrium, 111, 117, 162);
    un = ct_image(unenhanced, sp);
    eq = ct_image(equilibrium, sp);
    tumor[0] = ecv_roi_circle(ECV_UNITS_MILLIMETRES, 44 * 0.75, 44 * 0.75, 5.0);
    liver[0] = ecv_roi_circle(ECV_UNITS_MILLIMETRES, 8 * 0.75, 40 * 0.75, 5.6);
    liver[1] = ecv_roi_circle(ECV_UNITS_MILLIMETRES, 20 * 0.75, 50 * 0.75, 5.6);
    liver[2] = ecv_roi_circle(ECV_UNITS_MILLIMETRES, 10 * 0.75, 58 * 0.75, 3.0);
    aorta[0] = ecv_roi_circle(ECV_UNITS_MILLIMETRES, 32 * 0.75, 12 * 0.75, 3.5);
    t.unenhanced.image = &un;
    t.unenhanced.tissue = tumor;
    t.unenhanced.tissue_count = 1;
    t.unenhanced.aorta = aorta;
    t.unenhanced.aorta_count = 1;
    t.equilibrium = t.unenhanced;
    t.equilibrium.image = &eq;
    l = t;
    l.unenhanced.tissue = liver;
    l.unenhanced.tissue_count = 3;
    l.equilibrium.tissue = liver;
    l.equilibrium.tissue_count = 3;
    CHECK(o.pooling == ECV_POOLING_MEAN_OF_MEANS && o.min_roi_pixels == ECV_DEFAULT_MIN_ROI_PIXELS);
    CHECK_STATUS(ecv_ct_tumor_liver_ecv(&t, 1, &l, 1, hct, NULL, &m), ECV_OK);
    CHECK_NEAR(m.tumor.ecv.fraction, 0.6 * 77.0 / 120.0, 1e-14);
    CHECK_NEAR(m.liver.ecv.fraction, 0.6 * 56.0 / 120.0, 1e-14);
    CHECK(m.tumor.ecv.flags == 0 && m.liver.ecv.flags == 0);
    CHECK(m.liver.tissue_hu.unenhanced == 55.0 && m.liver.aorta_hu.equilibrium == 162.0);
    CHECK(m.liver.smallest_tissue_roi_pixels == 49 && m.tumor.readers == 1);
    o.min_roi_pixels = 50;
    CHECK_STATUS(ecv_ct_structure_ecv(&l, 1, hct, &o, &se), ECV_OK);
    CHECK(se.ecv.flags & ECV_FLAG_FEW_PIXELS);
    {
        ecv_structure_rois two[2];
        two[0] = l;
        two[1] = l;
        CHECK_STATUS(ecv_ct_structure_ecv(two, 2, hct, NULL, &se), ECV_OK);
        CHECK(se.readers == 2 && se.tissue_hu.equilibrium == 111.0);
    }
    /* Errors, and nothing written. */
    memset(&m, 0x5a, sizeof m);
    CHECK_STATUS(ecv_ct_tumor_liver_ecv(&t, 0, &l, 1, hct, NULL, &m), ECV_EMPTY_INPUT);
    CHECK_STATUS(ecv_ct_tumor_liver_ecv(NULL, 1, &l, 1, hct, NULL, &m), ECV_NULL_POINTER);
    CHECK_STATUS(ecv_ct_tumor_liver_ecv(&t, 1, &l, 1, hct, NULL, NULL), ECV_NULL_POINTER);
    bad = t;
    bad.equilibrium.tissue_count = 0;
    CHECK_STATUS(ecv_ct_tumor_liver_ecv(&bad, 1, &l, 1, hct, NULL, &m), ECV_EMPTY_INPUT);
    for (i = 0; i < 17; i++) many[i] = tumor[0];
    bad.equilibrium.tissue = many;
    bad.equilibrium.tissue_count = 17;
    CHECK_STATUS(ecv_ct_tumor_liver_ecv(&bad, 1, &l, 1, hct, NULL, &m), ECV_TOO_MANY_ELEMENTS);
    bad = t;
    bad.unenhanced.image = NULL;
    CHECK_STATUS(ecv_ct_tumor_liver_ecv(&bad, 1, &l, 1, hct, NULL, &m), ECV_NULL_POINTER);
    o = ecv_measurement_options_default();
    o.pooling = 7;
    CHECK_STATUS(ecv_ct_tumor_liver_ecv(&t, 1, &l, 1, hct, &o, &m), ECV_INVALID_ENUM_VALUE);
    hct.fraction = 40.0;
    CHECK_STATUS(ecv_ct_tumor_liver_ecv(&t, 1, &l, 1, hct, NULL, &m), ECV_HEMATOCRIT_PERCENT);
    hct.fraction = 0.4;
    /* Aorta not enhanced: the equilibrium aorta ROI on the unenhanced image. */
    bad = t;
    bad.equilibrium.image = &un;
    CHECK_STATUS(ecv_ct_tumor_liver_ecv(&bad, 1, &l, 1, hct, NULL, &m),
                 ECV_BLOOD_ENHANCEMENT_ZERO);
    CHECK(m.tumor.readers == 0x5a5a5a5a5a5a5a5aULL);
}

int main(void) {
    build_phantoms();
    test_circle_closed_form();
    test_mm_and_anisotropic_spacing();
    test_rectangle_polygon_ellipse_mask();
    test_padding_and_window();
    test_float_pixels_and_stride();
    test_bad_descriptors();
    test_bad_shapes();
    test_percentile_errors();
    test_pooling();
    test_measurement();
    return check_summary("test_roi");
}
