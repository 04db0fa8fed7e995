//! ROI shapes and their coordinates.
//!
//! Coordinates: pixel (column c, row r) has its centre at (x, y) = (c, r) in
//! pixel units, or (c · Δx, r · Δy) in millimetres, measured from the centre of pixel (0, 0), x
//! along a row (columns increasing), y down the image (rows increasing). These are image-plane
//! coordinates, not patient coordinates (Image Position is not involved). A circle given in mm is
//! an ellipse in pixels when Δx ≠ Δy; every shape is tested in its own units, so nothing is
//! rounded when converting.
//!
//! A pixel belongs to a shape when its centre lies inside the shape, boundary included (ImageJ's
//! rule for ovals; ITK and 3D Slicer count label voxels by their centres the same way).

use crate::image::PixelSpacing;
use crate::numeric::{exponent_of_largest, NeumaierSum, WideProduct};
use crate::status::{require_finite, Status};

/// A point in the image plane, in the units of its [`Roi`].
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    /// Along a row: column index (pixel units) or mm from the centre of column 0.
    pub x: f64,
    /// Down the image: row index (pixel units) or mm from the centre of row 0.
    pub y: f64,
}

/// The units of a shape's coordinates and lengths. In C: `ECV_UNITS_PIXELS`, `ECV_UNITS_MILLIMETRES`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Units {
    /// Pixel units: x is a column index, y a row index, lengths in pixels.
    #[default]
    Pixels = 0,
    /// Millimetres: x = column · Δx, y = row · Δy, lengths in mm (Pixel Spacing converts).
    Millimetres = 1,
}

impl TryFrom<u32> for Units {
    type Error = Status;
    fn try_from(value: u32) -> Result<Self, Status> {
        match value {
            0 => Ok(Units::Pixels),
            1 => Ok(Units::Millimetres),
            _ => Err(Status::InvalidEnumValue),
        }
    }
}

/// A circle: pixel centres with (x − cx)² + (y − cy)² ≤ r² (computed exactly so in f64).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Circle {
    /// Centre.
    pub center: Point,
    /// Radius, > 0.
    pub radius: f64,
}

/// A rotated ellipse: with (dx, dy) = (x − cx, y − cy), u = dx·cos θ + dy·sin θ and
/// v = −dx·sin θ + dy·cos θ, pixel centres with b²·u² + a²·v² ≤ a²·b² (that expression, in f64).
///
/// θ turns the `a` axis from +x towards +y; since y grows down the image, a positive angle is
/// clockwise on screen. θ = 0 gives an axis-aligned ellipse with sin θ = 0 and cos θ = 1 exactly.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ellipse {
    /// Centre.
    pub center: Point,
    /// Semi-axis along the direction θ, > 0.
    pub semi_axis_a: f64,
    /// Semi-axis perpendicular to it, > 0.
    pub semi_axis_b: f64,
    /// θ in radians.
    pub angle_rad: f64,
}

/// An axis-aligned rectangle: pixel centres with min.x ≤ x ≤ max.x and min.y ≤ y ≤ max.y.
/// (A rotated rectangle is a four-vertex polygon.)
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rectangle {
    /// Corner with the smallest coordinates.
    pub min: Point,
    /// Corner with the largest coordinates (≥ `min` in both).
    pub max: Point,
}

/// A caller mask of `width` × `height` bytes (row-major, tightly packed; nonzero = inside), whose
/// element (0, 0) lies on image pixel (`origin_col`, `origin_row`). Masks live on the pixel grid:
/// their [`Roi`] must use [`Units::Pixels`]. The parts outside the image are clipped.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mask<'a> {
    /// At least `width` · `height` bytes.
    pub data: &'a [u8],
    /// Mask columns, ≥ 1.
    pub width: u32,
    /// Mask rows, ≥ 1.
    pub height: u32,
    /// Image column of mask column 0 (may be negative).
    pub origin_col: i64,
    /// Image row of mask row 0 (may be negative).
    pub origin_row: i64,
}

/// The shape of a region of interest.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shape<'a> {
    /// A circle.
    Circle(Circle),
    /// A rotated ellipse.
    Ellipse(Ellipse),
    /// An axis-aligned rectangle.
    Rectangle(Rectangle),
    /// A closed polygon (the last vertex joins the first), at least 3 vertices, filled by the
    /// even-odd rule; pixel centres on an edge or vertex are inside.
    Polygon(&'a [Point]),
    /// A caller mask.
    Mask(Mask<'a>),
}

/// A region of interest: a shape and the units of its coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Roi<'a> {
    /// The shape.
    pub shape: Shape<'a>,
    /// The units of the shape's coordinates and lengths.
    pub units: Units,
}

impl<'a> Roi<'a> {
    /// A circle in millimetres (the usual PACS ROI).
    pub const fn circle_mm(cx: f64, cy: f64, radius: f64) -> Roi<'a> {
        Roi {
            shape: Shape::Circle(Circle {
                center: Point { x: cx, y: cy },
                radius,
            }),
            units: Units::Millimetres,
        }
    }

    /// A circle in pixel units.
    pub const fn circle_px(cx: f64, cy: f64, radius: f64) -> Roi<'a> {
        Roi {
            shape: Shape::Circle(Circle {
                center: Point { x: cx, y: cy },
                radius,
            }),
            units: Units::Pixels,
        }
    }

    /// A shape in the given units.
    pub const fn new(shape: Shape<'a>, units: Units) -> Roi<'a> {
        Roi { shape, units }
    }

    /// The analytic area of the whole (unclipped) shape, mm²: π r², π a b, the rectangle's
    /// width × height, the shoelace area of the polygon (exact for a simple polygon; for a
    /// self-intersecting one the signed-area sum, not its even-odd area), and for a mask its
    /// nonzero count × Δx · Δy. Shapes in pixel units are scaled by Δx · Δy. The products are
    /// formed in an extended exponent range and rounded once, so the result is +∞ only when the
    /// area in mm² exceeds the largest double and 0 only when it is below the smallest.
    ///
    /// Errors: as [`Roi::validate`].
    pub fn analytic_area_mm2(&self, spacing: PixelSpacing) -> Result<f64, Status> {
        self.validate()?;
        // Products in an extended exponent range, rounded once: a radius or a polygon vertex near
        // 1e200 with a spacing near 1e-200 (or 5e-324) has a finite area, where the plain
        // product was ∞ · 0 = NaN (roi fuzz input, seed 20261208).
        let unit_area = match self.units {
            Units::Pixels => WideProduct::of(spacing.row_mm).times(spacing.col_mm),
            Units::Millimetres => WideProduct::of(1.0),
        };
        let pi = WideProduct::of(core::f64::consts::PI);
        let area = match self.shape {
            Shape::Circle(c) => pi.times(c.radius).times(c.radius),
            Shape::Ellipse(e) => pi.times(e.semi_axis_a).times(e.semi_axis_b),
            // (max − min) as 2 · (max/2 − min/2): the halves never overflow.
            Shape::Rectangle(r) => WideProduct::of(r.max.x / 2.0 - r.min.x / 2.0)
                .times(r.max.y / 2.0 - r.min.y / 2.0)
                .times_power_of_two(2),
            Shape::Polygon(v) => shoelace_area(v),
            Shape::Mask(m) => WideProduct::of(mask_cells(&m).filter(|&&b| b != 0).count() as f64),
        };
        Ok(area.times_product(unit_area).value())
    }

    /// Checks the shape's parameters.
    ///
    /// Errors: `NotFinite` (any coordinate, length or angle); `InvalidShape` for a radius or
    /// semi-axis ≤ 0, a rectangle with min > max, a polygon with fewer than 3 vertices, a mask with
    /// a zero side or shorter data than width · height, or a mask in millimetres.
    pub fn validate(&self) -> Result<(), Status> {
        let positive = |x: f64| -> Result<(), Status> {
            if require_finite(x)? > 0.0 {
                Ok(())
            } else {
                Err(Status::InvalidShape)
            }
        };
        let finite_point = |p: Point| -> Result<(), Status> {
            require_finite(p.x)?;
            require_finite(p.y)?;
            Ok(())
        };
        match self.shape {
            Shape::Circle(c) => {
                finite_point(c.center)?;
                positive(c.radius)
            }
            Shape::Ellipse(e) => {
                finite_point(e.center)?;
                positive(e.semi_axis_a)?;
                positive(e.semi_axis_b)?;
                require_finite(e.angle_rad).map(|_| ())
            }
            Shape::Rectangle(r) => {
                finite_point(r.min)?;
                finite_point(r.max)?;
                if r.min.x <= r.max.x && r.min.y <= r.max.y {
                    Ok(())
                } else {
                    Err(Status::InvalidShape)
                }
            }
            Shape::Polygon(v) => {
                v.iter().try_for_each(|&p| finite_point(p))?;
                if v.len() >= 3 {
                    Ok(())
                } else {
                    Err(Status::InvalidShape)
                }
            }
            Shape::Mask(m) => {
                let cells = (m.width as usize).checked_mul(m.height as usize);
                let fits = cells.is_some_and(|n| n >= 1 && m.data.len() >= n);
                if fits && self.units == Units::Pixels {
                    Ok(())
                } else {
                    Err(Status::InvalidShape)
                }
            }
        }
    }
}

/// The mask's width · height cells (fewer if the data is short; validation rejects that).
pub(crate) fn mask_cells<'a>(m: &Mask<'a>) -> core::slice::Iter<'a, u8> {
    let n = (m.width as usize).saturating_mul(m.height as usize);
    m.data.get(..n).unwrap_or(&[]).iter()
}

/// |Σ (x_i y_{i+1} − x_{i+1} y_i)| / 2 over the closed polygon.
fn shoelace_area(v: &[Point]) -> WideProduct {
    // A = |Σ xᵢ (yᵢ₊₁ − yᵢ₋₁)| / 2 on coordinates divided by powers of two that bring them into
    // [−1, 1] (exact), so no term overflows and no huge products cancel into ∞ − ∞ (a vertex
    // near 1e308 gave NaN in the form Σ (xᵢ yᵢ₊₁ − xᵢ₊₁ yᵢ)); the scale goes back on in the
    // wide product, bit-identical to the unscaled sum wherever that stayed in range.
    let ex = exponent_of_largest(v.iter().map(|p| p.x));
    let ey = exponent_of_largest(v.iter().map(|p| p.y));
    let x = |p: &Point| libm::ldexp(p.x, i32::try_from(-ex).unwrap_or(0));
    let half_y = |p: &Point| libm::ldexp(p.y, i32::try_from(-ey).unwrap_or(0)) / 2.0;
    let previous = v.last().into_iter().chain(v.iter());
    let next = v.iter().skip(1).chain(v.first());
    let mut twice_half = NeumaierSum::new();
    for ((p, before), after) in v.iter().zip(previous).zip(next) {
        twice_half.add(x(p) * (half_y(after) - half_y(before)));
    }
    WideProduct::of(twice_half.total()).times_power_of_two(ex + ey)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SP: PixelSpacing = PixelSpacing {
        row_mm: 0.5,
        col_mm: 0.8,
    };

    #[test]
    fn analytic_areas() {
        let c = Roi::circle_mm(0.0, 0.0, 2.0);
        assert_eq!(
            c.analytic_area_mm2(SP).unwrap(),
            core::f64::consts::PI * 4.0
        );
        let c = Roi::circle_px(0.0, 0.0, 2.0);
        assert!(
            (c.analytic_area_mm2(SP).unwrap() - core::f64::consts::PI * 4.0 * 0.4).abs() < 1e-12
        );
        let tri = [
            Point { x: 0.0, y: 0.0 },
            Point { x: 4.0, y: 0.0 },
            Point { x: 0.0, y: 3.0 },
        ];
        let p = Roi::new(Shape::Polygon(&tri), Units::Millimetres);
        assert_eq!(p.analytic_area_mm2(SP).unwrap(), 6.0);
        let m = [1u8, 0, 1, 1];
        let mask = Mask {
            data: &m,
            width: 2,
            height: 2,
            origin_col: 0,
            origin_row: 0,
        };
        let r = Roi::new(Shape::Mask(mask), Units::Pixels);
        assert!((r.analytic_area_mm2(SP).unwrap() - 3.0 * 0.4).abs() < 1e-15);
    }

    #[test]
    fn invalid_shapes() {
        let bad = |s: Shape<'_>, u: Units| Roi::new(s, u).validate().unwrap_err();
        let c = |r: f64| {
            Shape::Circle(Circle {
                center: Point::default(),
                radius: r,
            })
        };
        assert_eq!(bad(c(0.0), Units::Pixels), Status::InvalidShape);
        assert_eq!(bad(c(-1.0), Units::Pixels), Status::InvalidShape);
        assert_eq!(bad(c(f64::NAN), Units::Pixels), Status::NotFinite);
        let rect = Shape::Rectangle(Rectangle {
            min: Point { x: 2.0, y: 0.0 },
            max: Point { x: 1.0, y: 3.0 },
        });
        assert_eq!(bad(rect, Units::Pixels), Status::InvalidShape);
        let two = [Point::default(), Point { x: 1.0, y: 1.0 }];
        assert_eq!(
            bad(Shape::Polygon(&two), Units::Pixels),
            Status::InvalidShape
        );
        let m = [1u8; 3];
        let mask = Mask {
            data: &m,
            width: 2,
            height: 2,
            origin_col: 0,
            origin_row: 0,
        };
        assert_eq!(bad(Shape::Mask(mask), Units::Pixels), Status::InvalidShape);
        let mask = Mask { height: 1, ..mask };
        assert!(Roi::new(Shape::Mask(mask), Units::Pixels)
            .validate()
            .is_ok());
        assert_eq!(
            bad(Shape::Mask(mask), Units::Millimetres),
            Status::InvalidShape
        );
        assert_eq!(Units::try_from(2), Err(Status::InvalidEnumValue));
    }
}
