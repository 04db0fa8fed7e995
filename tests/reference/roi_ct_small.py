#!/usr/bin/env python3
"""Reference ROI statistics on a real CT image, for tests/roi_vs_reference.rs.

Run from the repository root:

    pip install pydicom numpy
    python3 tests/reference/roi_ct_small.py

Versions used for the committed outputs: Python 3.11.7, NumPy 2.4.6, pydicom 3.0.2.

Input: tests/data/CT_small.dcm, the small real CT image pydicom ships (128 x 128, signed 16-bit,
Rescale Intercept -1024, Pixel Spacing 0.661468 mm; pydicom.data.get_testdata_file("CT_small.dcm")).
The script checks that the committed copy is byte-identical to pydicom's.

Outputs (all under tests/reference/):
- roi_ct_small_stored_i16le.bin  the stored pixel values exactly as in the file's Pixel Data:
                                 signed 16-bit little-endian, row-major, 128 x 128;
- roi_ct_small_meta.csv          rows, columns, Bits Stored, Pixel Representation, Rescale Slope /
                                 Intercept, Pixel Spacing (row, column) = (dy, dx), Pixel Padding Value;
- roi_ct_small.csv               one row per ROI case: the shape and options, and the statistics
                                 computed here (numbers with repr(), 17 significant digits).

The statistics are computed independently of ecvkit, the straightforward way: for EVERY pixel the
documented membership test is evaluated on its centre (no spans, no bounding boxes), the kept
pixels are selected with NumPy masks, and NumPy computes the statistics:
- pixel (c, r) has its centre at x = c * sx, y = r * sy, with (sx, sy) = (1, 1) for shapes in
  pixels and (dx, dy) = (Pixel Spacing[1], Pixel Spacing[0]) for shapes in mm;
- circle: (x - cx)^2 + (y - cy)^2 <= r^2, evaluated as dx*dx + dy*dy <= r*r;
- rotated ellipse: u = dx cos t + dy sin t, v = -dx sin t + dy cos t, b^2 u^2 + a^2 v^2 <= a^2 b^2;
- rectangle: x0 <= x <= x1 and y0 <= y <= y1;
- polygon: even-odd (PNPOLY: edges with min y <= py < max y, crossing at
  x = px0 + ((py - py0)(qx - px0)) / (qy - py0), odd count strictly to the right), plus the boundary:
  the pixel equals a crossing, lies on a horizontal edge of its row, or is a vertex that is a local
  maximum in y;
- value = stored * slope + intercept (float64); padding matched on stored values (inclusive range);
  the value window [lo, hi] inclusive on values;
- mean = numpy.mean, SD with ddof = 1 (sample) and ddof = 0 (population), median = numpy.median,
  percentiles = numpy.percentile(method="linear"), which is R's quantile type 7.
For the rotated ellipses the script also reports the smallest distance of any pixel centre from
the boundary in units of the membership expression (|q - 1|), and requires it to be well above
rounding (unless the angle is 0, where sin and cos are exact), so the exact pixel counts do not
hinge on the last bit of sin and cos.
"""

import csv
import math
import os
import shutil
import sys

import numpy as np
import pydicom
from pydicom.data import get_testdata_file

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DCM = os.path.join(ROOT, "tests", "data", "CT_small.dcm")

PROBS = [0.05, 0.25, 0.75, 0.95]


def load():
    shipped = get_testdata_file("CT_small.dcm")
    if not os.path.exists(DCM):
        os.makedirs(os.path.dirname(DCM), exist_ok=True)
        shutil.copyfile(shipped, DCM)
    with open(DCM, "rb") as a, open(shipped, "rb") as b:
        if a.read() != b.read():
            sys.exit("tests/data/CT_small.dcm differs from pydicom's CT_small.dcm")
    ds = pydicom.dcmread(DCM)
    assert ds.BitsAllocated == 16 and ds.PixelRepresentation == 1
    assert ds.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.1"  # explicit VR little endian
    stored = np.frombuffer(ds.PixelData, dtype="<i2").reshape(ds.Rows, ds.Columns)
    # Bits Stored is 16 here, so masking and sign extension change nothing; check it.
    assert ds.BitsStored == 16
    assert np.array_equal(stored, ds.pixel_array)
    return ds, stored


def polygon_mask(vertices, X, Y):
    n = len(vertices)
    parity = np.zeros(X.shape, dtype=bool)
    boundary = np.zeros(X.shape, dtype=bool)
    for i in range(n):
        p, q, nx = vertices[i - 1], vertices[i], vertices[(i + 1) % n]
        if p[1] != q[1]:
            cond = (min(p[1], q[1]) <= Y) & (Y < max(p[1], q[1]))
            xc = p[0] + ((Y - p[1]) * (q[0] - p[0])) / (q[1] - p[1])
            boundary |= cond & (xc == X)
            parity ^= cond & (xc > X)
        else:
            boundary |= (Y == p[1]) & (min(p[0], q[0]) <= X) & (X <= max(p[0], q[0]))
        if p[1] < q[1] and nx[1] < q[1]:
            boundary |= (Y == q[1]) & (X == q[0])
    return parity | boundary


def shoelace(vertices):
    s = 0.0
    for i in range(len(vertices)):
        (x0, y0), (x1, y1) = vertices[i], vertices[(i + 1) % len(vertices)]
        s += x0 * y1 - x1 * y0
    return abs(s) / 2.0


def membership(case, X, Y):
    kind = case["kind"]
    if kind == "circle":
        dx, dy = X - case["cx"], Y - case["cy"]
        r = case["r"]
        return dx * dx + dy * dy <= r * r, math.pi * r * r, None
    if kind == "ellipse":
        a, b, t = case["a"], case["b"], case["angle_rad"]
        c, s = (1.0, 0.0) if t == 0.0 else (math.cos(t), math.sin(t))
        dx, dy = X - case["cx"], Y - case["cy"]
        u = dx * c + dy * s
        v = -dx * s + dy * c
        a2, b2 = a * a, b * b
        lhs = b2 * (u * u) + a2 * (v * v)
        margin = float(np.min(np.abs(lhs / (a2 * b2) - 1.0)))
        return lhs <= a2 * b2, math.pi * a * b, margin
    if kind == "rectangle":
        inside = (case["x0"] <= X) & (X <= case["x1"]) & (case["y0"] <= Y) & (Y <= case["y1"])
        return inside, (case["x1"] - case["x0"]) * (case["y1"] - case["y0"]), None
    if kind == "polygon":
        return polygon_mask(case["vertices"], X, Y), shoelace(case["vertices"]), None
    if kind == "mask":
        # Cell (mc, mr) of a mask_w x mask_h mask is nonzero iff (7 mc + 3 mr) mod 5 != 0; cell
        # (0, 0) lies on image pixel (mask_col, mask_row). Pixel units only.
        C, R = X.astype(np.int64), Y.astype(np.int64)
        mc, mr = C - case["mask_col"], R - case["mask_row"]
        within = (mc >= 0) & (mc < case["mask_w"]) & (mr >= 0) & (mr < case["mask_h"])
        cells = [(c, r) for r in range(case["mask_h"]) for c in range(case["mask_w"])]
        nonzero = sum(1 for c, r in cells if (7 * c + 3 * r) % 5 != 0)
        return within & ((7 * mc + 3 * mr) % 5 != 0), float(nonzero), None
    raise ValueError(kind)


def clipped(case, sx, sy, rows, cols):
    """1 when the shape's bounding box, in pixels, reaches beyond the outer pixel centres."""
    kind = case["kind"]
    if kind == "circle":
        x0, x1 = case["cx"] - case["r"], case["cx"] + case["r"]
        y0, y1 = case["cy"] - case["r"], case["cy"] + case["r"]
    elif kind == "ellipse":
        t = case["angle_rad"]
        c, s = (1.0, 0.0) if t == 0.0 else (math.cos(t), math.sin(t))
        hw = math.hypot(case["a"] * c, case["b"] * s)
        hh = math.hypot(case["a"] * s, case["b"] * c)
        x0, x1, y0, y1 = case["cx"] - hw, case["cx"] + hw, case["cy"] - hh, case["cy"] + hh
    elif kind == "rectangle":
        x0, x1, y0, y1 = case["x0"], case["x1"], case["y0"], case["y1"]
    elif kind == "polygon":
        xs = [v[0] for v in case["vertices"]]
        ys = [v[1] for v in case["vertices"]]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    else:
        x0, y0 = case["mask_col"], case["mask_row"]
        x1, y1 = x0 + case["mask_w"] - 1, y0 + case["mask_h"] - 1
    x0, x1, y0, y1 = x0 / sx, x1 / sx, y0 / sy, y1 / sy
    return int(x0 < 0 or y0 < 0 or x1 > cols - 1 or y1 > rows - 1)


def fmt(x):
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "NA"
    if math.isinf(x):
        return "Inf" if x > 0 else "-Inf"
    return repr(float(x))


def compute(case, stored, meta):
    rows, cols = stored.shape
    sp_row = case.get("spacing_row", meta["spacing_row"])
    sp_col = case.get("spacing_col", meta["spacing_col"])
    if case["units"] == "mm":
        sx, sy, unit_area = sp_col, sp_row, 1.0
    else:
        sx, sy, unit_area = 1.0, 1.0, sp_col * sp_row
    C, R = np.meshgrid(np.arange(cols), np.arange(rows))
    X = C.astype(np.float64) * sx
    Y = R.astype(np.float64) * sy
    inside, analytic, margin = membership(case, X, Y)
    values = stored.astype(np.float64) * meta["slope"] + meta["intercept"]
    pad_lo, pad_hi = case.get("pad_lo"), case.get("pad_hi")
    padding = np.zeros(stored.shape, dtype=bool)
    if pad_lo is not None:
        padding = (stored >= pad_lo) & (stored <= pad_hi)
    lo, hi = case.get("win_lo", -math.inf), case.get("win_hi", math.inf)
    in_window = (values >= lo) & (values <= hi)
    kept = inside & ~padding & in_window
    v = values[kept]
    # A shape is "clipped" when its bounding box (in pixels) reaches beyond the outer pixel
    # centres; the test reads this column too.
    out = {
        "clipped": clipped(case, sx, sy, rows, cols),
        "shape_pixels": int(inside.sum()),
        "count": int(kept.sum()),
        "padding_pixels": int((inside & padding).sum()),
        "window_excluded": int((inside & ~padding & ~in_window).sum()),
        "area_mm2": int(inside.sum()) * sp_col * sp_row,
        "analytic_area_mm2": analytic * unit_area,
        "sum": float(np.sum(v)),
        "mean": float(np.mean(v)),
        "sd_sample": float(np.std(v, ddof=1)) if v.size > 1 else math.nan,
        "sd_population": float(np.std(v, ddof=0)),
        "min": float(np.min(v)),
        "max": float(np.max(v)),
        "median": float(np.median(v)),
        "boundary_margin": margin,
    }
    for p in PROBS:
        out["p%02d" % round(p * 100)] = float(np.percentile(v, p * 100, method="linear"))
    # With angle 0 (cos 1, sin 0 exactly) and integer parameters the test is exact arithmetic, so
    # a centre exactly on the boundary is no risk; otherwise keep clear of rounding.
    if margin is not None and margin < 1e-9 and case.get("angle_rad") != 0.0:
        sys.exit("case %s: a pixel centre lies within %g of the ellipse boundary" % (case["id"], margin))
    return out


R100 = math.sqrt(100.0 / math.pi)  # radius of a 100 mm^2 circle (the seed paper's liver ROIs)

CASES = [
    dict(id="circle_px_centre", kind="circle", units="px", cx=64.0, cy=64.0, r=20.0),
    dict(id="circle_px_r5_exact_boundary", kind="circle", units="px", cx=64.0, cy=64.0, r=5.0),
    dict(id="circle_mm_100mm2", kind="circle", units="mm", cx=40.1, cy=45.3, r=R100),
    dict(id="circle_px_clipped_left", kind="circle", units="px", cx=5.5, cy=60.2, r=15.0),
    dict(id="circle_mm_clipped_corner", kind="circle", units="mm", cx=83.0, cy=2.0, r=10.0),
    dict(id="circle_mm_anisotropic_spacing", kind="circle", units="mm", cx=30.0, cy=40.0, r=9.0,
         spacing_row=0.661468, spacing_col=0.45),
    dict(id="ellipse_px_rotated_30deg", kind="ellipse", units="px", cx=70.3, cy=52.7, a=25.0,
         b=12.0, angle_rad=0.5236),
    dict(id="ellipse_mm_rotated", kind="ellipse", units="mm", cx=30.0, cy=55.0, a=12.0, b=6.0,
         angle_rad=-1.1),
    dict(id="ellipse_mm_rotated_clipped", kind="ellipse", units="mm", cx=2.0, cy=40.0, a=15.0,
         b=5.0, angle_rad=2.0),
    dict(id="ellipse_px_axis_aligned", kind="ellipse", units="px", cx=64.0, cy=64.0, a=30.0,
         b=10.0, angle_rad=0.0),
    dict(id="rectangle_px", kind="rectangle", units="px", x0=10.0, y0=20.0, x1=50.0, y1=40.0),
    dict(id="rectangle_mm_clipped", kind="rectangle", units="mm", x0=-5.0, y0=70.0, x1=20.0,
         y1=100.0),
    dict(id="rectangle_px_full_image", kind="rectangle", units="px", x0=-1.0, y0=-1.0, x1=128.0,
         y1=128.0),
    dict(id="polygon_px_concave", kind="polygon", units="px",
         vertices=[(30, 30), (90, 25), (100, 70), (60, 50), (40, 95), (20, 60)]),
    dict(id="polygon_px_bowtie", kind="polygon", units="px",
         vertices=[(20, 20), (100, 90), (100, 20), (20, 90)]),
    dict(id="polygon_mm_fractional", kind="polygon", units="mm",
         vertices=[(10.3, 12.7), (60.1, 20.2), (45.5, 70.9), (15.2, 55.4)]),
    dict(id="polygon_px_clipped", kind="polygon", units="px",
         vertices=[(-20.5, 10.0), (60.0, -15.25), (70.0, 40.0), (10.0, 50.5)]),
    dict(id="mask_px_clipped", kind="mask", units="px", mask_col=100, mask_row=-10, mask_w=50,
         mask_h=40),
    dict(id="window_soft_tissue", kind="circle", units="px", cx=64.0, cy=64.0, r=30.0,
         win_lo=0.0, win_hi=100.0),
    dict(id="window_lower_only", kind="circle", units="px", cx=64.0, cy=64.0, r=40.0,
         win_lo=-200.0, win_hi=math.inf),
    dict(id="padding_range_stored", kind="circle", units="px", cx=64.0, cy=64.0, r=60.0,
         pad_lo=0, pad_hi=400),
    dict(id="padding_and_window", kind="ellipse", units="px", cx=60.0, cy=70.0, a=50.0, b=35.0,
         angle_rad=0.3, pad_lo=-2000, pad_hi=300, win_lo=-50.0, win_hi=150.0),
]

COLUMNS = [
    "id", "kind", "units", "cx", "cy", "r", "a", "b", "angle_rad", "x0", "y0", "x1", "y1",
    "vertices", "mask_col", "mask_row", "mask_w", "mask_h", "spacing_row", "spacing_col", "pad_lo", "pad_hi", "win_lo", "win_hi",
    "clipped", "shape_pixels", "count", "padding_pixels", "window_excluded", "area_mm2", "analytic_area_mm2",
    "sum", "mean", "sd_sample", "sd_population", "min", "max", "median",
] + ["p%02d" % round(p * 100) for p in PROBS] + ["boundary_margin"]


def main():
    ds, stored = load()
    meta = dict(
        rows=int(ds.Rows), columns=int(ds.Columns), bits_stored=int(ds.BitsStored),
        pixel_representation=int(ds.PixelRepresentation), slope=float(ds.RescaleSlope),
        intercept=float(ds.RescaleIntercept), spacing_row=float(ds.PixelSpacing[0]),
        spacing_col=float(ds.PixelSpacing[1]), pixel_padding_value=int(ds.PixelPaddingValue),
    )
    with open(os.path.join(HERE, "roi_ct_small_stored_i16le.bin"), "wb") as f:
        f.write(stored.astype("<i2").tobytes())
    with open(os.path.join(HERE, "roi_ct_small_meta.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(meta.keys())
        w.writerow([fmt(v) for v in meta.values()])
    with open(os.path.join(HERE, "roi_ct_small.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for case in CASES:
            stats = compute(case, stored, meta)
            row = dict(case)
            row.setdefault("spacing_row", meta["spacing_row"])
            row.setdefault("spacing_col", meta["spacing_col"])
            if "vertices" in row:
                row["vertices"] = ";".join("%r %r" % (float(x), float(y)) for x, y in row["vertices"])
            row.update(stats)
            cells = []
            for c in COLUMNS:
                if c in ("id", "kind", "units", "vertices"):
                    cells.append(row.get(c, ""))
                else:
                    cells.append(fmt(row[c]) if c in row else "NA")
            w.writerow(cells)
            print("%-32s count %6d  mean %10.4f  margin %s" % (
                case["id"], stats["count"], stats["mean"], stats["boundary_margin"]))


if __name__ == "__main__":
    main()
