/* The seed paper's measurement as a PACS plugin would run it, from C: the host hands over the
 * stored pixels of an unenhanced and an equilibrium CT slice (signed 16-bit, Rescale Intercept
 * -1024, Pixel Spacing, Pixel Padding Value) and the ROIs two radiologists drew (one tumor ROI,
 * three liver ROIs of ~100 mm^2, one aorta ROI of ~100 mm^2, in mm); the plugin shows each ROI's
 * statistics and the tumor and liver ECV with their quality flags (Fu et al., Sci Rep 2025).
 *
 * The slices are drawn here (the host would pass its own buffers): a body of soft tissue, a liver,
 * a tumor disk and an aorta disk at known HU, with a zero-mean checkerboard texture, so every
 * result has a closed form the program checks. Five cases: a clean study, weak blood enhancement,
 * a tumor ROI too small, a non-physiological hematocrit, and a hematocrit typed in percent.
 *
 * Build and run: make demo (or make -C ffi-tests test, which also runs it under sanitizers).
 * Exit status 0 when every check holds. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ecvkit.h"

#define SIZE 128
#define SPACING_MM 0.75
#define PADDING (-2000)

typedef struct {
    double tumor, liver, aorta;
} phase_hu;

static int failures = 0;

static void check(int ok, const char *what) {
    if (!ok) {
        printf("  CHECK FAILED: %s\n", what);
        failures++;
    }
}

/* Structure centres and radii in mm. */
static const double TUMOR_X = 30.0, TUMOR_Y = 62.0, TUMOR_R = 14.0;
static const double AORTA_X = 70.0, AORTA_Y = 62.0, AORTA_R = 9.0;

static int in_disk(double x, double y, double cx, double cy, double r) {
    return (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r;
}

/* One slice: stored = HU + 1024 (+/-2 HU checkerboard inside the body), padding outside a
 * circular field of view. */
static void draw(int16_t *px, phase_hu hu) {
    for (int r = 0; r < SIZE; r++) {
        for (int c = 0; c < SIZE; c++) {
            double x = c * SPACING_MM, y = r * SPACING_MM;
            double value;
            if (!in_disk(x, y, 47.6, 47.6, 50.0)) {
                px[r * SIZE + c] = PADDING;
                continue;
            }
            if (in_disk(x, y, TUMOR_X, TUMOR_Y, TUMOR_R))
                value = hu.tumor;
            else if (in_disk(x, y, AORTA_X, AORTA_Y, AORTA_R))
                value = hu.aorta;
            else if (x < 55.0 && y < 85.0)
                value = hu.liver;
            else
                value = 40.0; /* soft tissue */
            value += ((r + c) % 2 == 0) ? 2.0 : -2.0;
            px[r * SIZE + c] = (int16_t)lround(value + 1024.0);
        }
    }
}

static ecv_image describe(const int16_t *px) {
    ecv_pixel_spacing spacing = {SPACING_MM, SPACING_MM}; /* (row, column) = (dy, dx) */
    ecv_image im = ecv_image_packed(ECV_STORED_TYPE_I16, px, SIZE, SIZE, spacing);
    im.bits_stored = 12;
    im.rescale.slope = 1.0;
    im.rescale.intercept = -1024.0;
    im.padding_kind = ECV_PADDING_KIND_VALUE;
    im.padding_value = PADDING;
    return im;
}

static void flag_names(uint32_t flags, char *buf, size_t len) {
    static const struct {
        uint32_t bit;
        const char *name;
    } names[] = {{ECV_FLAG_LOW_BLOOD_ENHANCEMENT, "low-blood-enhancement"},
                 {ECV_FLAG_NEGATIVE_ECV, "negative-ECV"},
                 {ECV_FLAG_ECV_ABOVE_ONE, "ECV>100%"},
                 {ECV_FLAG_HEMATOCRIT_NON_PHYSIOLOGICAL, "hematocrit-non-physiological"},
                 {ECV_FLAG_SYNTHETIC_HEMATOCRIT, "synthetic-hematocrit"},
                 {ECV_FLAG_FEW_PIXELS, "few-pixels"}};
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (flags & names[i].bit) {
            if (buf[0] != '\0') strncat(buf, ",", len - strlen(buf) - 1);
            strncat(buf, names[i].name, len - strlen(buf) - 1);
        }
    }
    if (buf[0] == '\0') strncpy(buf, "none", len);
}

/* Reader k's ROIs (mm): the two readers place them a little differently. */
typedef struct {
    ecv_roi tumor[1], liver[3], aorta[1];
} reader_rois;

static reader_rois place(int reader, double tumor_roi_radius) {
    double d = reader == 0 ? 0.0 : 0.8; /* reader 2 draws 0.8 mm to the right and down */
    double liver_r = sqrt(100.0 / 3.14159265358979323846) * (reader == 0 ? 1.0 : 1.05);
    reader_rois r;
    r.tumor[0] = ecv_roi_circle(ECV_UNITS_MILLIMETRES, TUMOR_X + d, TUMOR_Y + d, tumor_roi_radius);
    r.liver[0] = ecv_roi_circle(ECV_UNITS_MILLIMETRES, 20.0 + d, 22.0 + d, liver_r);
    r.liver[1] = ecv_roi_circle(ECV_UNITS_MILLIMETRES, 42.0 + d, 18.0 + d, liver_r);
    r.liver[2] = ecv_roi_circle(ECV_UNITS_MILLIMETRES, 45.0 + d, 40.0 + d, liver_r);
    r.aorta[0] = ecv_roi_circle(ECV_UNITS_MILLIMETRES, AORTA_X - d, AORTA_Y + d, 5.64 - 0.3 * d);
    return r;
}

static void show_roi(const char *name, const ecv_image *im, const ecv_roi *roi) {
    ecv_roi_summary_result s;
    ecv_status st = ecv_roi_summary(im, roi, NULL, &s);
    if (st != ECV_OK) {
        printf("    %-8s %s\n", name, ecv_status_str(st));
        return;
    }
    printf("    %-8s mean %7.2f HU  SD %5.2f (n-1)  %5llu px  %6.1f mm^2\n", name, s.mean,
           s.sd_sample, (unsigned long long)s.count, s.area_mm2);
}

/* One study: returns the status of the ECV call and writes the result. */
static ecv_status study(const char *title, phase_hu un, phase_hu eq, ecv_hematocrit hct,
                        double tumor_roi_radius, ecv_ct_measurement *out) {
    static int16_t un_px[SIZE * SIZE], eq_px[SIZE * SIZE];
    draw(un_px, un);
    draw(eq_px, eq);
    ecv_image un_im = describe(un_px), eq_im = describe(eq_px);
    reader_rois rois[2] = {place(0, tumor_roi_radius), place(1, tumor_roi_radius)};
    ecv_structure_rois tumor[2], liver[2];
    for (int k = 0; k < 2; k++) {
        ecv_phase_rois tu = {&un_im, rois[k].tumor, 1, rois[k].aorta, 1};
        ecv_phase_rois te = {&eq_im, rois[k].tumor, 1, rois[k].aorta, 1};
        ecv_phase_rois lu = {&un_im, rois[k].liver, 3, rois[k].aorta, 1};
        ecv_phase_rois le = {&eq_im, rois[k].liver, 3, rois[k].aorta, 1};
        tumor[k].unenhanced = tu;
        tumor[k].equilibrium = te;
        liver[k].unenhanced = lu;
        liver[k].equilibrium = le;
    }
    printf("\n%s (hematocrit %.2f)\n", title, hct.fraction);
    printf("  reader 1, equilibrium phase:\n");
    show_roi("tumor", &eq_im, &rois[0].tumor[0]);
    show_roi("liver 1", &eq_im, &rois[0].liver[0]);
    show_roi("liver 2", &eq_im, &rois[0].liver[1]);
    show_roi("liver 3", &eq_im, &rois[0].liver[2]);
    show_roi("aorta", &eq_im, &rois[0].aorta[0]);
    ecv_measurement_options options = ecv_measurement_options_default();
    ecv_status st = ecv_ct_tumor_liver_ecv(tumor, 2, liver, 2, hct, &options, out);
    if (st != ECV_OK) {
        printf("  ECV: refused: %s\n", ecv_status_str(st));
        return st;
    }
    const ecv_structure_ecv *s[2] = {&out->tumor, &out->liver};
    const char *names[2] = {"tumor", "liver"};
    for (int i = 0; i < 2; i++) {
        char flags[160];
        flag_names(s[i]->ecv.flags, flags, sizeof flags);
        printf("  %s ECV %6.2f %%  (tissue %.1f -> %.1f HU, aorta %.1f -> %.1f HU, 2 readers, "
               "smallest ROI %llu px)  flags: %s\n",
               names[i], 100.0 * s[i]->ecv.fraction, s[i]->tissue_hu.unenhanced,
               s[i]->tissue_hu.equilibrium, s[i]->aorta_hu.unenhanced,
               s[i]->aorta_hu.equilibrium, (unsigned long long)s[i]->smallest_tissue_roi_pixels,
               flags);
    }
    return st;
}

static int near(double a, double b, double tol) { return fabs(a - b) <= tol; }

int main(void) {
    ecv_hematocrit hct = {0.40, ECV_HEMATOCRIT_ORIGIN_MEASURED};
    ecv_ct_measurement m;
    printf("ecvkit %s - a PACS plugin measuring tumor and liver ECV (the seed paper's protocol)\n",
           ecv_version());

    /* 1. A clean study, the paper's Fig. 1 case in whole HU: tumor 40 -> 117, liver 55 -> 111,
     *    aorta 42 -> 162: ECV = 0.6 * 77 / 120 = 38.5 %, 0.6 * 56 / 120 = 28.0 %. */
    phase_hu un = {40, 55, 42}, eq = {117, 111, 162};
    check(study("Study 1: clean", un, eq, hct, 10.0, &m) == ECV_OK, "study 1 measures");
    check(near(m.tumor.ecv.fraction, 0.6 * 77.0 / 120.0, 2e-3), "study 1 tumor ECV 38.5 %");
    check(near(m.liver.ecv.fraction, 0.6 * 56.0 / 120.0, 2e-3), "study 1 liver ECV 28.0 %");
    check(m.tumor.ecv.flags == 0 && m.liver.ecv.flags == 0, "study 1 has no flags");

    /* 2. The bolus missed: the aorta enhances by 8 HU, below the 10 HU default. */
    phase_hu eq2 = {52, 60, 50};
    check(study("Study 2: weak blood enhancement", un, eq2, hct, 10.0, &m) == ECV_OK,
          "study 2 measures");
    check((m.tumor.ecv.flags & ECV_FLAG_LOW_BLOOD_ENHANCEMENT) != 0, "study 2 flags the aorta");

    /* 3. A tumor ROI of 1.5 mm radius: about 13 pixels, below the 20-pixel default. */
    check(study("Study 3: tumor ROI too small", un, eq, hct, 1.5, &m) == ECV_OK,
          "study 3 measures");
    check((m.tumor.ecv.flags & ECV_FLAG_FEW_PIXELS) != 0, "study 3 flags the small ROI");
    check((m.liver.ecv.flags & ECV_FLAG_FEW_PIXELS) == 0, "study 3 liver ROIs are large enough");

    /* 4. A hematocrit of 0.70: outside 0.15-0.65, reported, not refused. */
    ecv_hematocrit high = {0.70, ECV_HEMATOCRIT_ORIGIN_MEASURED};
    check(study("Study 4: hematocrit 0.70", un, eq, high, 10.0, &m) == ECV_OK, "study 4 measures");
    check((m.tumor.ecv.flags & ECV_FLAG_HEMATOCRIT_NON_PHYSIOLOGICAL) != 0,
          "study 4 flags the hematocrit");

    /* 5. A hematocrit typed in percent: refused with its own status, never guessed. */
    ecv_hematocrit percent = {40.0, ECV_HEMATOCRIT_ORIGIN_MEASURED};
    ecv_status st = study("Study 5: hematocrit typed as 40", un, eq, percent, 10.0, &m);
    check(st == ECV_HEMATOCRIT_PERCENT, "study 5 is refused as a percent");

    printf("\n%s\n", failures == 0 ? "pacs_plugin: all checks passed" : "pacs_plugin: FAILED");
    return failures == 0 ? 0 : 1;
}
