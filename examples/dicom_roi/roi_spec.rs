//! ROIs given on the command line, e.g. `circle-mm:40.1,45.3,5.64`.
//!
//! | spec | shape |
//! | --- | --- |
//! | `circle-mm:CX,CY,R` / `circle-px:CX,CY,R` | circle (centre, radius) |
//! | `ellipse-mm:CX,CY,A,B,ANGLE` / `ellipse-px:...` | rotated ellipse (semi-axes; angle from +x towards +y in degrees, or radians as `0.52rad`) |
//! | `rect-mm:X0,Y0,X1,Y1` / `rect-px:...` | axis-aligned rectangle (two corners) |
//! | `polygon-mm:X,Y;X,Y;X,Y;...` / `polygon-px:...` | polygon (at least 3 vertices, even-odd rule) |
//!
//! Pixel units: x is the column, y the row, pixel (c, r) has its centre at (c, r). Millimetres:
//! x = column · Δx, y = row · Δy from the centre of pixel (0, 0), Δ from Pixel Spacing.

use ecvkit::roi::{Circle, Ellipse, Point, Rectangle, Roi, Shape, Units};

/// A parsed ROI that owns its polygon vertices.
#[derive(Clone, Debug, PartialEq)]
pub struct RoiSpec {
    /// The text it came from.
    pub text: String,
    /// The units.
    pub units: Units,
    /// The shape's parameters.
    pub kind: SpecKind,
}

/// A shape's parameters.
#[derive(Clone, Debug, PartialEq)]
pub enum SpecKind {
    /// A circle.
    Circle(Circle),
    /// An ellipse.
    Ellipse(Ellipse),
    /// A rectangle.
    Rectangle(Rectangle),
    /// A polygon.
    Polygon(Vec<Point>),
}

impl RoiSpec {
    /// ecvkit's ROI (borrowing the vertices).
    pub fn roi(&self) -> Roi<'_> {
        let shape = match &self.kind {
            SpecKind::Circle(c) => Shape::Circle(*c),
            SpecKind::Ellipse(e) => Shape::Ellipse(*e),
            SpecKind::Rectangle(r) => Shape::Rectangle(*r),
            SpecKind::Polygon(v) => Shape::Polygon(v),
        };
        Roi::new(shape, self.units)
    }
}

fn numbers(s: &str, n: usize, spec: &str) -> Result<Vec<f64>, String> {
    let v: Result<Vec<f64>, _> = s.split(',').map(|x| x.trim().parse::<f64>()).collect();
    match v {
        Ok(v) if v.len() == n && v.iter().all(|x| x.is_finite()) => Ok(v),
        _ => Err(format!(
            "ROI '{spec}': expected {n} comma-separated numbers after ':'"
        )),
    }
}

/// Parses one ROI spec.
pub fn parse(spec: &str) -> Result<RoiSpec, String> {
    let (kind, args) = spec.split_once(':').ok_or(format!(
        "ROI '{spec}': expected SHAPE-UNITS:NUMBERS, e.g. circle-mm:40,45,5.6"
    ))?;
    let (shape, units) = kind
        .rsplit_once('-')
        .ok_or(format!("ROI '{spec}': the shape needs units, -mm or -px"))?;
    let units = match units {
        "mm" => Units::Millimetres,
        "px" => Units::Pixels,
        u => return Err(format!("ROI '{spec}': units '{u}' (use mm or px)")),
    };
    let p = |x: f64, y: f64| Point { x, y };
    let kind = match shape {
        "circle" => {
            let v = numbers(args, 3, spec)?;
            SpecKind::Circle(Circle {
                center: p(v[0], v[1]),
                radius: v[2],
            })
        }
        "ellipse" => {
            // The angle in degrees, or in radians with a "rad" suffix (exact, no conversion).
            let (head, angle) = args.rsplit_once(',').ok_or(format!(
                "ROI '{spec}': expected 5 comma-separated numbers after ':'"
            ))?;
            let v = numbers(head, 4, spec)?;
            let angle_rad = match angle.trim().strip_suffix("rad") {
                Some(rad) => rad.trim().parse::<f64>().ok(),
                None => angle.trim().parse::<f64>().ok().map(f64::to_radians),
            }
            .filter(|a| a.is_finite())
            .ok_or(format!("ROI '{spec}': the angle '{angle}' is not a number (degrees, or radians with 'rad')"))?;
            SpecKind::Ellipse(Ellipse {
                center: p(v[0], v[1]),
                semi_axis_a: v[2],
                semi_axis_b: v[3],
                angle_rad,
            })
        }
        "rect" => {
            let v = numbers(args, 4, spec)?;
            SpecKind::Rectangle(Rectangle {
                min: p(v[0], v[1]),
                max: p(v[2], v[3]),
            })
        }
        "polygon" => {
            let vertices: Result<Vec<Point>, String> = args
                .split(';')
                .map(|xy| numbers(xy, 2, spec).map(|v| p(v[0], v[1])))
                .collect();
            let vertices = vertices?;
            if vertices.len() < 3 {
                return Err(format!("ROI '{spec}': a polygon needs at least 3 vertices"));
            }
            SpecKind::Polygon(vertices)
        }
        s => {
            return Err(format!(
                "ROI '{spec}': unknown shape '{s}' (circle, ellipse, rect, polygon)"
            ))
        }
    };
    Ok(RoiSpec {
        text: spec.to_string(),
        units,
        kind,
    })
}
