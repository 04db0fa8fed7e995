//! Shapes → row spans.
//!
//! For each image row the rasteriser computes the columns whose centres lie inside the shape as
//! one or more runs [c0, c1), clipped to the image, and hands them to the statistics. It never
//! tests every pixel of the bounding box: circles and ellipses solve their quadratic per row,
//! rectangles are one interval, polygons intersect each edge with the row. The run ends are then
//! confirmed with the shape's exact membership test (written on each shape in `shape.rs`), so a
//! rounding in the quadratic's roots never moves a boundary pixel: a pixel is inside exactly when
//! that test says so.

use crate::image::PixelSpacing;
use crate::roi::shape::{mask_cells, Circle, Ellipse, Mask, Point, Rectangle, Roi, Shape, Units};
use crate::sort::heapsort_f64;
use crate::status::Status;

/// Whether the shape reaches beyond the image. In C: `ECV_CLIPPING_INSIDE`, `ECV_CLIPPING_CLIPPED`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Clipping {
    /// The shape's bounding box lies within the outermost pixel centres: nothing was cut.
    #[default]
    Inside = 0,
    /// The shape's bounding box reaches beyond the outermost pixel centres (x < 0, x > width − 1,
    /// y < 0 or y > height − 1 in pixel units): the ROI was cut at the image edge, and its pixel
    /// area may be smaller than the analytic area.
    Clipped = 1,
}

/// The most crossings (and, separately, the most inside runs) a polygon may have on one row: 64.
/// More gives `PolygonTooComplex`. Two crossings make one run, so a polygon can have 32 separate
/// runs on a row; ROI outlines drawn by hand are far below this.
pub const MAX_POLYGON_CROSSINGS_PER_ROW: usize = 64;

/// What the rasteriser learned besides the spans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RasterInfo {
    /// Pixel centres inside the shape and the image.
    pub shape_pixels: u64,
    /// Whether the shape was cut at the image edge.
    pub clipping: Clipping,
}

/// The image grid as a shape sees it: size, and the length of one pixel step in the shape's
/// units along x (columns) and y (rows).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Grid {
    pub width: u32,
    pub height: u32,
    pub sx: f64,
    pub sy: f64,
}

impl Grid {
    pub(crate) fn new(width: u32, height: u32, spacing: PixelSpacing, units: Units) -> Grid {
        let (sx, sy) = match units {
            Units::Pixels => (1.0, 1.0),
            Units::Millimetres => (spacing.col_mm, spacing.row_mm),
        };
        Grid {
            width,
            height,
            sx,
            sy,
        }
    }

    /// x of column `c`'s centre, in shape units.
    fn x(&self, c: i64) -> f64 {
        c as f64 * self.sx
    }

    /// y of row `r`'s centre, in shape units.
    fn y(&self, r: i64) -> f64 {
        r as f64 * self.sy
    }
}

/// Calls `span(row, c0, c1)` for every run of pixels [c0, c1) of `row` inside the ROI, rows in
/// increasing order and runs left to right, never overlapping.
///
/// Errors: those of [`Roi::validate`]; `RoiOutsideImage` when the shape's bounding box misses
/// every pixel centre of the image; `RoiEmpty` when no pixel centre is inside;
/// `PolygonTooComplex`. `span` may have been called before an error is returned.
pub(crate) fn for_each_span<F: FnMut(u32, u32, u32)>(
    roi: &Roi<'_>,
    width: u32,
    height: u32,
    spacing: PixelSpacing,
    mut span: F,
) -> Result<RasterInfo, Status> {
    roi.validate()?;
    let grid = Grid::new(width, height, spacing, roi.units);
    let bbox = bounding_box(&roi.shape, &grid);
    let (w, h) = (f64::from(width) - 1.0, f64::from(height) - 1.0);
    if bbox.max_x < 0.0 || bbox.min_x > w || bbox.max_y < 0.0 || bbox.min_y > h {
        return Err(Status::RoiOutsideImage);
    }
    let clipping = if bbox.min_x < 0.0 || bbox.max_x > w || bbox.min_y < 0.0 || bbox.max_y > h {
        Clipping::Clipped
    } else {
        Clipping::Inside
    };
    let mut shape_pixels = 0u64;
    let mut emit = |row: u32, c0: u32, c1: u32| {
        shape_pixels += u64::from(c1.saturating_sub(c0));
        span(row, c0, c1);
    };
    match roi.shape {
        Shape::Circle(c) => conic_spans(&Conic::circle(c), &grid, &mut emit),
        Shape::Ellipse(e) => conic_spans(&Conic::ellipse(e), &grid, &mut emit),
        Shape::Rectangle(r) => rectangle_spans(r, &grid, &mut emit),
        Shape::Polygon(v) => polygon_spans(v, &grid, &mut emit)?,
        Shape::Mask(m) => mask_spans(&m, &grid, &mut emit),
    }
    if shape_pixels == 0 {
        return Err(Status::RoiEmpty);
    }
    Ok(RasterInfo {
        shape_pixels,
        clipping,
    })
}

/// A bounding box in pixel units (column, row).
struct BoundingBox {
    min_x: f64,
    max_x: f64,
    min_y: f64,
    max_y: f64,
}

fn bounding_box(shape: &Shape<'_>, g: &Grid) -> BoundingBox {
    let (min, max) = match *shape {
        Shape::Circle(c) => {
            let r = c.radius;
            (
                Point {
                    x: c.center.x - r,
                    y: c.center.y - r,
                },
                Point {
                    x: c.center.x + r,
                    y: c.center.y + r,
                },
            )
        }
        Shape::Ellipse(e) => {
            let (hw, hh) = Conic::ellipse(e).half_extents();
            (
                Point {
                    x: e.center.x - hw,
                    y: e.center.y - hh,
                },
                Point {
                    x: e.center.x + hw,
                    y: e.center.y + hh,
                },
            )
        }
        Shape::Rectangle(r) => (r.min, r.max),
        Shape::Polygon(v) => v.iter().fold(
            (
                Point {
                    x: f64::INFINITY,
                    y: f64::INFINITY,
                },
                Point {
                    x: f64::NEG_INFINITY,
                    y: f64::NEG_INFINITY,
                },
            ),
            |(lo, hi), p| {
                (
                    Point {
                        x: libm::fmin(lo.x, p.x),
                        y: libm::fmin(lo.y, p.y),
                    },
                    Point {
                        x: libm::fmax(hi.x, p.x),
                        y: libm::fmax(hi.y, p.y),
                    },
                )
            },
        ),
        Shape::Mask(m) => {
            // Already in pixels; the grid scale is 1.
            let lo = Point {
                x: m.origin_col as f64,
                y: m.origin_row as f64,
            };
            let hi = Point {
                x: lo.x + f64::from(m.width) - 1.0,
                y: lo.y + f64::from(m.height) - 1.0,
            };
            (lo, hi)
        }
    };
    BoundingBox {
        min_x: min.x / g.sx,
        max_x: max.x / g.sx,
        min_y: min.y / g.sy,
        max_y: max.y / g.sy,
    }
}

/// The largest number of one-pixel steps used to correct a candidate run end.
const MAX_CORRECTION_STEPS: u32 = 4;

/// The integer range [lo, hi] of indices i with `inside(i)`, given real estimates of its ends,
/// for a predicate that holds on an interval. The estimates are rounded inwards, clamped to
/// [−2, limit + 1], then each end is moved outwards while the next index is inside and inwards
/// while the end is outside (at most [`MAX_CORRECTION_STEPS`] each). May return lo > hi (empty).
fn integer_range<P: Fn(i64) -> bool>(
    lo_est: f64,
    hi_est: f64,
    limit: u32,
    inside: P,
) -> (i64, i64) {
    // Clamp first, then round through the integer conversion (truncation towards zero,
    // corrected by one): cheaper than libm's ceil and floor, and exact in this range. NaN
    // becomes 0; the corrections below fix any estimate.
    let top = f64::from(limit) + 1.0;
    let clamp = |x: f64| libm::fmax(-2.0, libm::fmin(x, top));
    let ceil = |x: f64| {
        let t = x as i64;
        if (t as f64) < x {
            t + 1
        } else {
            t
        }
    };
    let floor = |x: f64| {
        let t = x as i64;
        if (t as f64) > x {
            t - 1
        } else {
            t
        }
    };
    let (mut lo, mut hi) = (ceil(clamp(lo_est)), floor(clamp(hi_est)));
    let mut steps = 0;
    while steps < MAX_CORRECTION_STEPS && inside(lo - 1) {
        lo -= 1;
        steps += 1;
    }
    steps = 0;
    while steps < MAX_CORRECTION_STEPS && inside(hi + 1) {
        hi += 1;
        steps += 1;
    }
    steps = 0;
    while steps < MAX_CORRECTION_STEPS && lo <= hi && !inside(lo) {
        lo += 1;
        steps += 1;
    }
    steps = 0;
    while steps < MAX_CORRECTION_STEPS && hi >= lo && !inside(hi) {
        hi -= 1;
        steps += 1;
    }
    (lo, hi)
}

/// Clips an inclusive index range to [0, limit − 1] as a half-open u32 range, or `None`.
fn clip(lo: i64, hi: i64, limit: u32) -> Option<(u32, u32)> {
    let lo = lo.max(0);
    let hi = hi.min(i64::from(limit) - 1);
    if lo > hi {
        return None;
    }
    Some((u32::try_from(lo).ok()?, u32::try_from(hi + 1).ok()?))
}

/// Rows whose centres may lie in [y_min, y_max] (shape units), one row of margin each side,
/// clipped to the image.
fn candidate_rows(y_min: f64, y_max: f64, g: &Grid) -> core::ops::RangeInclusive<i64> {
    let lo = libm::fmax(libm::ceil(y_min / g.sy) - 1.0, 0.0);
    let hi = libm::fmin(libm::floor(y_max / g.sy) + 1.0, f64::from(g.height) - 1.0);
    (lo as i64)..=(hi as i64)
}

/// A circle or a rotated ellipse, with its membership test and per-row quadratic.
enum Conic {
    Circle {
        cx: f64,
        cy: f64,
        r: f64,
    },
    Ellipse {
        cx: f64,
        cy: f64,
        a: f64,
        b: f64,
        cos: f64,
        sin: f64,
    },
}

impl Conic {
    fn circle(c: Circle) -> Conic {
        Conic::Circle {
            cx: c.center.x,
            cy: c.center.y,
            r: c.radius,
        }
    }

    fn ellipse(e: Ellipse) -> Conic {
        let (sin, cos) = if e.angle_rad == 0.0 {
            (0.0, 1.0)
        } else {
            (libm::sin(e.angle_rad), libm::cos(e.angle_rad))
        };
        Conic::Ellipse {
            cx: e.center.x,
            cy: e.center.y,
            a: e.semi_axis_a,
            b: e.semi_axis_b,
            cos,
            sin,
        }
    }

    fn center(&self) -> (f64, f64) {
        match *self {
            Conic::Circle { cx, cy, .. } | Conic::Ellipse { cx, cy, .. } => (cx, cy),
        }
    }

    /// The membership test at (x, y), shape units; the definition of "inside".
    fn contains(&self, x: f64, y: f64) -> bool {
        match *self {
            Conic::Circle { cx, cy, r } => {
                let (dx, dy) = (x - cx, y - cy);
                dx * dx + dy * dy <= r * r
            }
            Conic::Ellipse {
                cx,
                cy,
                a,
                b,
                cos,
                sin,
            } => {
                let (dx, dy) = (x - cx, y - cy);
                let u = dx * cos + dy * sin;
                let v = -dx * sin + dy * cos;
                let (a2, b2) = (a * a, b * b);
                b2 * (u * u) + a2 * (v * v) <= a2 * b2
            }
        }
    }

    /// Half width (along x) and half height (along y) of the bounding box.
    fn half_extents(&self) -> (f64, f64) {
        match *self {
            Conic::Circle { r, .. } => (r, r),
            Conic::Ellipse { a, b, cos, sin, .. } => {
                (libm::hypot(a * cos, b * sin), libm::hypot(a * sin, b * cos))
            }
        }
    }

    /// For a row at dy = y − cy: the centre offset m and half width h of the x interval
    /// [cx + m − h, cx + m + h] inside the conic (h = 0 when the row misses it).
    fn row_interval(&self, dy: f64) -> (f64, f64) {
        match *self {
            Conic::Circle { r, .. } => (0.0, libm::sqrt(libm::fmax(r * r - dy * dy, 0.0))),
            Conic::Ellipse { a, b, cos, sin, .. } => {
                // A dx² + B dx + C ≤ 0 from the membership test divided by a²b².
                let (ia2, ib2) = (1.0 / (a * a), 1.0 / (b * b));
                let qa = cos * cos * ia2 + sin * sin * ib2;
                let qb = 2.0 * dy * sin * cos * (ia2 - ib2);
                let qc = dy * dy * (sin * sin * ia2 + cos * cos * ib2) - 1.0;
                let disc = libm::fmax(qb * qb - 4.0 * qa * qc, 0.0);
                (-qb / (2.0 * qa), libm::sqrt(disc) / (2.0 * qa))
            }
        }
    }
}

fn conic_spans<F: FnMut(u32, u32, u32)>(conic: &Conic, g: &Grid, emit: &mut F) {
    let (cx, cy) = conic.center();
    let (_, hh) = conic.half_extents();
    let inv_sx = 1.0 / g.sx;
    for r in candidate_rows(cy - hh, cy + hh, g) {
        let y = g.y(r);
        let (m, h) = conic.row_interval(y - cy);
        // Multiplying by 1/Δx rounds differently from dividing; the corrections make it exact.
        let (lo, hi) = integer_range((cx + m - h) * inv_sx, (cx + m + h) * inv_sx, g.width, |c| {
            conic.contains(g.x(c), y)
        });
        if let (Some((c0, c1)), Ok(row)) = (clip(lo, hi, g.width), u32::try_from(r)) {
            emit(row, c0, c1);
        }
    }
}

/// Indices i with a ≤ i · step ≤ b (exactly that test in f64), as an inclusive range.
fn scaled_range(a: f64, b: f64, step: f64, limit: u32) -> (i64, i64) {
    integer_range(a / step, b / step, limit, |i| {
        let x = i as f64 * step;
        a <= x && x <= b
    })
}

fn rectangle_spans<F: FnMut(u32, u32, u32)>(rect: Rectangle, g: &Grid, emit: &mut F) {
    let (clo, chi) = scaled_range(rect.min.x, rect.max.x, g.sx, g.width);
    let (rlo, rhi) = scaled_range(rect.min.y, rect.max.y, g.sy, g.height);
    let (Some((c0, c1)), Some((r0, r1))) = (clip(clo, chi, g.width), clip(rlo, rhi, g.height))
    else {
        return;
    };
    for row in r0..r1 {
        emit(row, c0, c1);
    }
}

/// The x where edge (p, q) meets the row at height y: p.x + ((y − p.y)(q.x − p.x)) / (q.y − p.y),
/// evaluated in that order (exact whenever the true crossing is representable and the product
/// is, e.g. for integer or half-integer vertices). Requires p.y ≠ q.y.
fn crossing_x(p: Point, q: Point, y: f64) -> f64 {
    p.x + ((y - p.y) * (q.x - p.x)) / (q.y - p.y)
}

/// The crossings (or runs) of one polygon row, at most [`MAX_POLYGON_CROSSINGS_PER_ROW`].
type RowList<T> = heapless::Vec<T, MAX_POLYGON_CROSSINGS_PER_ROW>;

/// Appends to a row list; a full list (heapless hands the element back) is a polygon too complex.
fn push_row<T>(list: &mut RowList<T>, x: T) -> Result<(), Status> {
    list.push(x).map_err(|_| Status::PolygonTooComplex)
}

/// Polygon rows: the even-odd runs between sorted crossings of the half-open edges
/// (min y ≤ row y < max y, as PNPOLY counts them), closed at both ends, plus the boundary points
/// the half-open rule leaves out: horizontal edges lying on the row and vertices on the row that
/// are local maxima in y. Membership of pixel (x, y): an odd number of crossings lies strictly to
/// its right, or x equals a crossing, a vertex on the row, or lies on a horizontal edge of the row.
fn polygon_spans<F: FnMut(u32, u32, u32)>(
    v: &[Point],
    g: &Grid,
    emit: &mut F,
) -> Result<(), Status> {
    let (y_min, y_max) = v
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (libm::fmin(lo, p.y), libm::fmax(hi, p.y))
        });
    let mut crossings = RowList::<f64>::new();
    let mut runs = RowList::<(f64, f64)>::new();
    let edges = || {
        let prev = v.iter().copied().cycle().skip(v.len().saturating_sub(1));
        let next = v.iter().copied().cycle().skip(1);
        prev.zip(v.iter().copied()).zip(next).take(v.len())
    };
    for r in candidate_rows(y_min, y_max, g) {
        let y = g.y(r);
        crossings.clear();
        runs.clear();
        // Edge (p, q) for every vertex q after p; `n` is the vertex after q.
        for ((p, q), n) in edges() {
            if p.y != q.y && libm::fmin(p.y, q.y) <= y && y < libm::fmax(p.y, q.y) {
                push_row(&mut crossings, crossing_x(p, q, y))?;
            }
            if p.y == y && q.y == y {
                push_row(&mut runs, (libm::fmin(p.x, q.x), libm::fmax(p.x, q.x)))?;
            }
            if q.y == y && p.y < y && n.y < y {
                push_row(&mut runs, (q.x, q.x))?;
            }
        }
        let sorted = crossings.as_mut_slice();
        heapsort_f64(sorted);
        for pair in sorted.chunks_exact(2) {
            if let [a, b] = *pair {
                push_row(&mut runs, (a, b))?;
            }
        }
        let runs = runs.as_mut_slice();
        insertion_sort_by_start(runs);
        emit_merged_runs(runs, g, r, emit);
    }
    Ok(())
}

/// Sorts closed intervals by their start (small n; panic-free).
fn insertion_sort_by_start(runs: &mut [(f64, f64)]) {
    for i in 1..runs.len() {
        let mut j = i;
        while j > 0 {
            match runs.get_disjoint_mut([j - 1, j]) {
                Ok([a, b]) if a.0 > b.0 => core::mem::swap(a, b),
                _ => break,
            }
            j -= 1;
        }
    }
}

/// Merges sorted closed intervals (x units) and emits their pixel columns for row `r`.
fn emit_merged_runs<F: FnMut(u32, u32, u32)>(runs: &[(f64, f64)], g: &Grid, r: i64, emit: &mut F) {
    let Ok(row) = u32::try_from(r) else {
        return;
    };
    let mut current: Option<(f64, f64)> = None;
    let mut flush = |run: (f64, f64)| {
        let (lo, hi) = scaled_range(run.0, run.1, g.sx, g.width);
        if let Some((c0, c1)) = clip(lo, hi, g.width) {
            emit(row, c0, c1);
        }
    };
    for &(a, b) in runs {
        current = match current {
            Some((ca, cb)) if a <= cb => Some((ca, libm::fmax(cb, b))),
            Some(done) => {
                flush(done);
                Some((a, b))
            }
            None => Some((a, b)),
        };
    }
    if let Some(done) = current {
        flush(done);
    }
}

fn mask_spans<F: FnMut(u32, u32, u32)>(m: &Mask<'_>, g: &Grid, emit: &mut F) {
    let mw = m.width as usize;
    let mut cells = mask_cells(m);
    for mr in 0..m.height {
        let row_cells = cells.by_ref().take(mw);
        let r = m.origin_row.saturating_add(i64::from(mr));
        let Some(row) = u32::try_from(r).ok().filter(|&r| r < g.height) else {
            row_cells.for_each(drop);
            continue;
        };
        let mut run_start: Option<u32> = None;
        let mut last_col = 0u32;
        for (mc, &b) in (0u32..).zip(row_cells) {
            let c = m.origin_col.saturating_add(i64::from(mc));
            let col = u32::try_from(c).ok().filter(|&c| c < g.width);
            match (col, b != 0, run_start) {
                (Some(col), true, None) => {
                    run_start = Some(col);
                    last_col = col;
                }
                (Some(col), true, Some(_)) => last_col = col,
                (_, _, Some(start)) => {
                    emit(row, start, last_col + 1);
                    run_start = None;
                }
                _ => {}
            }
        }
        if let Some(start) = run_start {
            emit(row, start, last_col + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SP: PixelSpacing = PixelSpacing {
        row_mm: 1.0,
        col_mm: 1.0,
    };

    /// Per-pixel membership over a whole image, by the spans.
    fn raster(roi: &Roi<'_>, w: u32, h: u32, sp: PixelSpacing) -> Result<Vec<Vec<bool>>, Status> {
        let mut grid = vec![vec![false; w as usize]; h as usize];
        let mut last = None;
        for_each_span(roi, w, h, sp, |r, c0, c1| {
            assert!(c0 < c1 && c1 <= w && r < h);
            if let Some((lr, lc)) = last {
                assert!(
                    r > lr || (r == lr && c0 > lc),
                    "spans out of order or overlapping"
                );
            }
            last = Some((r, c1));
            for c in c0..c1 {
                assert!(!grid[r as usize][c as usize], "pixel emitted twice");
                grid[r as usize][c as usize] = true;
            }
        })?;
        Ok(grid)
    }

    /// Brute force over every pixel with the documented membership tests.
    fn brute<P: Fn(f64, f64) -> bool>(w: u32, h: u32, sx: f64, sy: f64, p: P) -> Vec<Vec<bool>> {
        (0..h)
            .map(|r| (0..w).map(|c| p(c as f64 * sx, r as f64 * sy)).collect())
            .collect()
    }

    #[test]
    fn circle_radius_5_has_81_pixels_boundary_included() {
        // Lattice points with x² + y² ≤ 25: 81 (Gauss circle problem, N(5) = 81).
        let g = raster(&Roi::circle_px(10.0, 10.0, 5.0), 21, 21, SP).unwrap();
        assert_eq!(g.iter().flatten().filter(|&&b| b).count(), 81);
        assert!(g[10][15] && g[13][14] && g[14][13] && !g[14][14]);
    }

    #[test]
    fn circles_and_ellipses_match_brute_force() {
        let sp = PixelSpacing {
            row_mm: 0.7,
            col_mm: 0.45,
        };
        for k in 0..crate::test_support::native_or_miri(40, 8) {
            let f = k as f64;
            let (cx, cy) = (3.3 + 0.37 * f, 5.1 + 0.23 * f);
            let r = 1.0 + 0.29 * f;
            let roi = Roi::circle_mm(cx, cy, r);
            let conic = Conic::circle(Circle {
                center: Point { x: cx, y: cy },
                radius: r,
            });
            let want = brute(30, 25, sp.col_mm, sp.row_mm, |x, y| conic.contains(x, y));
            match raster(&roi, 30, 25, sp) {
                Ok(g) => assert_eq!(g, want, "circle {k}"),
                Err(Status::RoiEmpty) => assert!(want.iter().flatten().all(|&b| !b)),
                Err(e) => panic!("{e:?}"),
            }
            let e = Ellipse {
                center: Point { x: cx, y: cy },
                semi_axis_a: r * 1.7,
                semi_axis_b: r * 0.6,
                angle_rad: 0.3 * f - 2.0,
            };
            let conic = Conic::ellipse(e);
            let roi = Roi::new(Shape::Ellipse(e), Units::Pixels);
            let want = brute(30, 25, 1.0, 1.0, |x, y| conic.contains(x, y));
            match raster(&roi, 30, 25, sp) {
                Ok(g) => assert_eq!(g, want, "ellipse {k}"),
                Err(Status::RoiEmpty) => assert!(want.iter().flatten().all(|&b| !b)),
                Err(e) => panic!("{e:?}"),
            }
        }
    }

    #[test]
    fn rectangle_includes_its_boundary_and_clips() {
        let rect = Rectangle {
            min: Point { x: -3.0, y: 1.0 },
            max: Point { x: 2.0, y: 3.0 },
        };
        let roi = Roi::new(Shape::Rectangle(rect), Units::Pixels);
        let mut spans = vec![];
        let info = for_each_span(&roi, 10, 10, SP, |r, a, b| spans.push((r, a, b))).unwrap();
        assert_eq!(spans, [(1, 0, 3), (2, 0, 3), (3, 0, 3)]);
        assert_eq!(info.shape_pixels, 9);
        assert_eq!(info.clipping, Clipping::Clipped);
    }

    #[test]
    fn wholly_outside_and_empty() {
        let far = Roi::circle_px(-10.0, 5.0, 3.0);
        assert_eq!(
            for_each_span(&far, 10, 10, SP, |_, _, _| {}),
            Err(Status::RoiOutsideImage)
        );
        let between = Roi::circle_px(4.5, 4.5, 0.2);
        assert_eq!(
            for_each_span(&between, 10, 10, SP, |_, _, _| {}),
            Err(Status::RoiEmpty)
        );
        let tiny = Roi::circle_px(4.0, 4.0, 0.2);
        let info = for_each_span(&tiny, 10, 10, SP, |_, _, _| {}).unwrap();
        assert_eq!((info.shape_pixels, info.clipping), (1, Clipping::Inside));
    }

    fn pnpoly_with_boundary(v: &[Point], x: f64, y: f64) -> bool {
        let n = v.len();
        let mut odd = false;
        for i in 0..n {
            let (p, q, nx) = (v[(i + n - 1) % n], v[i], v[(i + 1) % n]);
            if p.y != q.y && p.y.min(q.y) <= y && y < p.y.max(q.y) {
                let xc = crossing_x(p, q, y);
                if xc == x {
                    return true;
                }
                if xc > x {
                    odd = !odd;
                }
            }
            if p.y == y && q.y == y && p.x.min(q.x) <= x && x <= p.x.max(q.x) {
                return true;
            }
            if q.y == y && q.x == x && p.y < y && nx.y < y {
                return true;
            }
            let _ = nx;
        }
        odd
    }

    #[test]
    fn polygons_match_pnpoly_with_boundary() {
        let star: Vec<Point> = (0..10)
            .map(|i| {
                let a = i as f64 * core::f64::consts::PI / 5.0;
                let rad = if i % 2 == 0 { 9.0 } else { 4.0 };
                Point {
                    x: (12.0 + rad * a.cos()).round(),
                    y: (11.0 + rad * a.sin()).round(),
                }
            })
            .collect();
        let bowtie = [
            Point { x: 2.0, y: 2.0 },
            Point { x: 20.0, y: 14.0 },
            Point { x: 20.0, y: 2.0 },
            Point { x: 2.0, y: 14.0 },
        ];
        let square = [
            Point { x: 2.0, y: 3.0 },
            Point { x: 8.0, y: 3.0 },
            Point { x: 8.0, y: 9.0 },
            Point { x: 2.0, y: 9.0 },
        ];
        let zigzag = [
            Point { x: 1.0, y: 1.0 },
            Point { x: 5.0, y: 6.0 },
            Point { x: 9.0, y: 1.0 },
            Point { x: 13.0, y: 6.0 },
            Point { x: 17.0, y: 1.0 },
            Point { x: 17.0, y: 12.5 },
            Point { x: 1.5, y: 12.5 },
        ];
        let slanted = [
            Point { x: -3.5, y: 2.25 },
            Point { x: 14.75, y: -1.5 },
            Point { x: 30.0, y: 17.0 },
            Point { x: 5.5, y: 25.0 },
        ];
        for poly in [&star[..], &bowtie, &square, &zigzag, &slanted] {
            let roi = Roi::new(Shape::Polygon(poly), Units::Pixels);
            let want = brute(24, 22, 1.0, 1.0, |x, y| pnpoly_with_boundary(poly, x, y));
            assert_eq!(raster(&roi, 24, 22, SP).unwrap(), want, "{poly:?}");
        }
        let g = raster(
            &Roi::new(Shape::Polygon(&square), Units::Pixels),
            12,
            12,
            SP,
        )
        .unwrap();
        assert_eq!(g.iter().flatten().filter(|&&b| b).count(), 49);
    }

    #[test]
    fn polygon_in_mm_with_anisotropic_spacing() {
        let sp = PixelSpacing {
            row_mm: 0.8,
            col_mm: 0.5,
        };
        let tri = [
            Point { x: 0.3, y: 0.2 },
            Point { x: 9.1, y: 1.7 },
            Point { x: 4.4, y: 13.3 },
        ];
        let roi = Roi::new(Shape::Polygon(&tri), Units::Millimetres);
        let want = brute(25, 20, 0.5, 0.8, |x, y| pnpoly_with_boundary(&tri, x, y));
        assert_eq!(raster(&roi, 25, 20, sp).unwrap(), want);
    }

    #[test]
    fn too_many_crossings_is_an_error() {
        // A comb with 40 teeth crosses row 1 eighty times.
        let mut comb = vec![];
        for t in 0..40 {
            let x = 4.0 * t as f64;
            comb.push(Point { x, y: 0.5 });
            comb.push(Point { x: x + 1.0, y: 3.0 });
            comb.push(Point { x: x + 2.0, y: 0.5 });
        }
        comb.push(Point { x: 200.0, y: 5.0 });
        comb.push(Point { x: 0.0, y: 5.0 });
        let roi = Roi::new(Shape::Polygon(&comb), Units::Pixels);
        assert_eq!(
            for_each_span(&roi, 300, 10, SP, |_, _, _| {}),
            Err(Status::PolygonTooComplex)
        );
    }

    #[test]
    fn mask_runs_are_clipped() {
        let m = [
            1u8, 1, 0, 1, //
            0, 1, 1, 1, //
            1, 0, 0, 0,
        ];
        let mask = Mask {
            data: &m,
            width: 4,
            height: 3,
            origin_col: -1,
            origin_row: 1,
        };
        let roi = Roi::new(Shape::Mask(mask), Units::Pixels);
        let mut spans = vec![];
        let info = for_each_span(&roi, 3, 3, SP, |r, a, b| spans.push((r, a, b))).unwrap();
        // Row 1: mask cols 0..4 at image cols −1..3 → (1,1,0,1) → image cols 0 and 2.
        assert_eq!(spans, [(1, 0, 1), (1, 2, 3), (2, 0, 3)]);
        assert_eq!(info.shape_pixels, 5);
        assert_eq!(info.clipping, Clipping::Clipped);
    }
}
