//! Synthetic CT phantoms, drawn at run time from the cohort CSV, and two simulated readers' ROIs.
//!
//! One axial slice per phase (unenhanced, equilibrium) per patient: 192 × 192 signed 16-bit
//! stored values, Pixel Spacing 0.8 mm × 0.8 mm, Rescale Slope 1 and Intercept −1024 (stored =
//! HU + 1024, as most CT), Pixel Padding Value −2000 outside a circular field of view. Geometry
//! in mm from the centre of pixel (0, 0), x to the right, y down (image-plane coordinates, as
//! ecvkit's ROIs): soft-tissue body ellipse with air around it, the liver (an ellipse on the
//! image's left: the patient's right), the tumor (a disk of the CSV's radius inside the liver),
//! the abdominal aorta (a disk, 11 mm radius) and a vertebral body. Each structure has the CSV's
//! HU on each phase, plus independent Gaussian noise of the CSV's SD on every pixel (rounded to
//! whole stored values). Everything is deterministic: SplitMix64 seeded by `phantom_seed`,
//! Box–Muller with `libm`, so every platform draws the same pixels.
//!
//! The readers (the seed paper: two radiologists): each places, on each phase, a circular tumor
//! ROI of about 0.8 of the tumor radius near its centre, three liver ROIs of about 100 mm² (right
//! lobe anterior and posterior, left lateral segment) away from the tumor, and one aorta ROI of
//! about 100 mm² at the same place on both phases. Their ROIs differ by centre jitter and radius
//! (each reader has its own random stream), so their HU differ slightly, as real readers' do.

use crate::cohort::{CtValues, PhantomSpec};
use ecvkit::image::{Image, ImageDescriptor, Padding, PixelData, PixelSpacing, Rescale};
use ecvkit::roi::Roi;
use ecvkit::Status;

/// Columns and rows.
pub const SIZE: u32 = 192;
/// Pixel spacing (both directions), mm.
pub const SPACING_MM: f64 = 0.8;
/// Rescale Intercept: stored = HU + 1024.
pub const INTERCEPT: f64 = -1024.0;
/// Pixel Padding Value (stored), outside the field of view.
pub const PADDING: i16 = -2000;
/// Radius of a ~100 mm² circular ROI: √(100/π) mm.
pub const ROI_100MM2_RADIUS: f64 = 5.641_895_835_477_563;

const CENTRE: f64 = (SIZE as f64 - 1.0) * SPACING_MM / 2.0;
const FOV_RADIUS: f64 = 76.0;
const BODY: Ellipse = Ellipse {
    cx: 76.0,
    cy: 78.0,
    a: 74.0,
    b: 66.0,
};
const LIVER: Ellipse = Ellipse {
    cx: 54.0,
    cy: 72.0,
    a: 44.0,
    b: 50.0,
};
/// Tumor centre, mm.
pub const TUMOR_CENTRE: (f64, f64) = (46.0, 84.0);
/// Aorta centre and radius, mm.
pub const AORTA: (f64, f64, f64) = (104.0, 96.0, 11.0);
const SPINE: (f64, f64, f64) = (96.0, 122.0, 12.0);
/// Liver ROI centres (right anterior, left lateral, right posterior), mm.
pub const LIVER_ROI_CENTRES: [(f64, f64); 3] = [(34.0, 40.0), (74.0, 44.0), (86.0, 82.0)];
/// Soft tissue HU (unenhanced, equilibrium) and bone HU.
const SOFT_TISSUE: (f64, f64) = (35.0, 55.0);
const BONE: f64 = 450.0;
const AIR: f64 = -1000.0;
/// The largest tumor radius the geometry holds (the CSV's generator clips to 24 mm).
pub const MAX_TUMOR_RADIUS_MM: f64 = 26.0;

#[derive(Clone, Copy)]
struct Ellipse {
    cx: f64,
    cy: f64,
    a: f64,
    b: f64,
}

impl Ellipse {
    fn contains(&self, x: f64, y: f64) -> bool {
        let (u, v) = ((x - self.cx) / self.a, (y - self.cy) / self.b);
        u * u + v * v <= 1.0
    }
}

fn in_disk(x: f64, y: f64, (cx, cy, r): (f64, f64, f64)) -> bool {
    (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r
}

/// SplitMix64 (Steele, Lea & Flood 2014): the generator of `examples/make_cohort.rs`.
pub struct SplitMix64 {
    state: u64,
    spare: Option<f64>,
}

impl SplitMix64 {
    /// A stream from a seed.
    pub fn new(seed: u64) -> Self {
        SplitMix64 {
            state: seed,
            spare: None,
        }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform on (0, 1).
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// Standard normal by Box–Muller (both values of each pair used), with libm.
    pub fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        let (u, v) = (self.uniform(), self.uniform());
        let r = libm::sqrt(-2.0 * libm::log(u));
        let t = 2.0 * std::f64::consts::PI * v;
        self.spare = Some(r * libm::sin(t));
        r * libm::cos(t)
    }
}

/// A linear HU gradient across a structure (heterogeneous enhancement, beam hardening): zero
/// at the structure's centre, so a centred disk keeps the CSV's mean, while ROIs placed a little
/// differently by two readers read slightly different values, as real readers do.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Gradient {
    /// HU per mm along x.
    pub gx: f64,
    /// HU per mm along y.
    pub gy: f64,
}

impl Gradient {
    fn at(&self, dx: f64, dy: f64) -> f64 {
        self.gx * dx + self.gy * dy
    }

    fn random(rng: &mut SplitMix64, hu_per_mm: f64) -> Gradient {
        let angle = 2.0 * std::f64::consts::PI * rng.uniform();
        Gradient {
            gx: hu_per_mm * libm::cos(angle),
            gy: hu_per_mm * libm::sin(angle),
        }
    }
}

/// A patient's structure gradients (the same on both phases).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Texture {
    /// Tumor: 1.5 HU/mm (HCC enhances heterogeneously).
    pub tumor: Gradient,
    /// Liver: 0.3 HU/mm.
    pub liver: Gradient,
    /// Aorta: 0.6 HU/mm.
    pub aorta: Gradient,
}

impl Texture {
    /// Drawn from the patient's seed.
    pub fn of(spec: &PhantomSpec) -> Texture {
        let mut rng = stream(spec.seed, 0x0003);
        Texture {
            tumor: Gradient::random(&mut rng, 1.5),
            liver: Gradient::random(&mut rng, 0.3),
            aorta: Gradient::random(&mut rng, 0.6),
        }
    }
}

/// The contrast phase of a slice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Before contrast.
    Unenhanced,
    /// Equilibrium phase (120–180 s in the paper).
    Equilibrium,
}

impl Phase {
    /// Both phases.
    pub const BOTH: [Phase; 2] = [Phase::Unenhanced, Phase::Equilibrium];

    fn stream(self) -> u64 {
        match self {
            Phase::Unenhanced => 0x0001,
            Phase::Equilibrium => 0x0002,
        }
    }
}

/// A stream derived from a patient's seed and a purpose (phase noise, reader k).
fn stream(seed: u64, purpose: u64) -> SplitMix64 {
    let mut mix = SplitMix64::new(seed ^ purpose.wrapping_mul(0xD1B5_4A32_D192_ED03));
    SplitMix64::new(mix.next_u64())
}

/// The stored pixels of one phase of one patient's phantom (row-major, SIZE × SIZE).
pub fn render(spec: &PhantomSpec, ct: &CtValues, phase: Phase) -> Vec<i16> {
    let pick = |p: crate::cohort::PhasePair| match phase {
        Phase::Unenhanced => p.unenhanced,
        Phase::Equilibrium => p.equilibrium,
    };
    let soft = match phase {
        Phase::Unenhanced => SOFT_TISSUE.0,
        Phase::Equilibrium => SOFT_TISSUE.1,
    };
    let tumor = (
        TUMOR_CENTRE.0,
        TUMOR_CENTRE.1,
        spec.tumor_radius_mm.min(MAX_TUMOR_RADIUS_MM),
    );
    let texture = Texture::of(spec);
    let mut rng = stream(spec.seed, phase.stream());
    let mut pixels = Vec::with_capacity((SIZE * SIZE) as usize);
    for row in 0..SIZE {
        for col in 0..SIZE {
            let (x, y) = (f64::from(col) * SPACING_MM, f64::from(row) * SPACING_MM);
            if !in_disk(x, y, (CENTRE, CENTRE, FOV_RADIUS)) {
                pixels.push(PADDING);
                continue;
            }
            let hu = if !BODY.contains(x, y) {
                AIR
            } else if in_disk(x, y, tumor) {
                pick(ct.tumor) + texture.tumor.at(x - TUMOR_CENTRE.0, y - TUMOR_CENTRE.1)
            } else if LIVER.contains(x, y) {
                pick(ct.liver) + texture.liver.at(x - LIVER.cx, y - LIVER.cy)
            } else if in_disk(x, y, AORTA) {
                pick(ct.aorta) + texture.aorta.at(x - AORTA.0, y - AORTA.1)
            } else if in_disk(x, y, SPINE) {
                BONE
            } else {
                soft
            };
            let noisy = hu + spec.noise_sd_hu * rng.normal() - INTERCEPT;
            // Bits Stored 12, signed: −2048 ..= 2047 (air and bone stay well inside).
            pixels.push(libm::round(noisy).clamp(-2047.0, 2047.0) as i16);
        }
    }
    pixels
}

/// ecvkit's view of a phantom slice, with the DICOM attributes a scanner would write.
pub fn image(pixels: &[i16]) -> Result<Image<'_>, Status> {
    let mut d = ImageDescriptor::packed(
        PixelData::I16(pixels),
        SIZE,
        SIZE,
        PixelSpacing::from_dicom([SPACING_MM, SPACING_MM]),
    );
    d.bits_stored = 12;
    d.rescale = Rescale {
        slope: 1.0,
        intercept: INTERCEPT,
    };
    d.padding = Padding::Value(f64::from(PADDING));
    Image::new(d)
}

/// A circle in mm.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CircleMm {
    /// Centre x, mm.
    pub cx: f64,
    /// Centre y, mm.
    pub cy: f64,
    /// Radius, mm.
    pub r: f64,
}

impl CircleMm {
    /// As an ecvkit ROI.
    pub fn roi(&self) -> Roi<'static> {
        Roi::circle_mm(self.cx, self.cy, self.r)
    }
}

/// One reader's ROIs on one phase.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PhaseRois {
    /// The tumor ROI.
    pub tumor: CircleMm,
    /// The three liver ROIs.
    pub liver: [CircleMm; 3],
    /// The aorta ROI (the same on both phases for a reader).
    pub aorta: CircleMm,
}

/// One reader's ROIs on both phases.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReaderRois {
    /// Unenhanced phase.
    pub unenhanced: PhaseRois,
    /// Equilibrium phase.
    pub equilibrium: PhaseRois,
}

impl ReaderRois {
    /// The ROIs of one phase.
    pub fn phase(&self, phase: Phase) -> &PhaseRois {
        match phase {
            Phase::Unenhanced => &self.unenhanced,
            Phase::Equilibrium => &self.equilibrium,
        }
    }
}

/// Number of simulated readers.
pub const READERS: usize = 2;

/// A jitter of SD `sd` mm, clipped to ±`limit`.
fn jitter(rng: &mut SplitMix64, sd: f64, limit: f64) -> f64 {
    (sd * rng.normal()).clamp(-limit, limit)
}

/// Reader `reader`'s ROIs (0-based) for a patient.
pub fn reader_rois(spec: &PhantomSpec, reader: usize) -> ReaderRois {
    let mut rng = stream(spec.seed, 0x100 + reader as u64);
    let tumor_radius = spec.tumor_radius_mm.min(MAX_TUMOR_RADIUS_MM);
    let aorta = {
        let (dx, dy) = (jitter(&mut rng, 0.8, 1.5), jitter(&mut rng, 0.8, 1.5));
        let r = ROI_100MM2_RADIUS * (1.0 + jitter(&mut rng, 0.04, 0.08));
        CircleMm {
            cx: AORTA.0 + dx,
            cy: AORTA.1 + dy,
            r,
        }
    };
    let phase = |rng: &mut SplitMix64| {
        let (dx, dy) = (jitter(rng, 1.2, 3.0), jitter(rng, 1.2, 3.0));
        let off = libm::hypot(dx, dy);
        let wanted = 0.8 * tumor_radius * (1.0 + jitter(rng, 0.04, 0.1));
        let r = wanted.min(tumor_radius - off - 0.8).max(2.0);
        let tumor = CircleMm {
            cx: TUMOR_CENTRE.0 + dx,
            cy: TUMOR_CENTRE.1 + dy,
            r,
        };
        let liver = LIVER_ROI_CENTRES.map(|(cx, cy)| {
            let (dx, dy) = (jitter(rng, 1.5, 2.5), jitter(rng, 1.5, 2.5));
            let r = ROI_100MM2_RADIUS * (1.0 + jitter(rng, 0.05, 0.1));
            CircleMm {
                cx: cx + dx,
                cy: cy + dy,
                r,
            }
        });
        PhaseRois {
            tumor,
            liver,
            aorta,
        }
    };
    ReaderRois {
        unenhanced: phase(&mut rng),
        equilibrium: phase(&mut rng),
    }
}

/// What a pixel centre at (x, y) mm lies in, for the geometry test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Structure {
    /// Outside the field of view.
    Padding,
    /// Air.
    Air,
    /// Tumor.
    Tumor,
    /// Liver.
    Liver,
    /// Aorta.
    Aorta,
    /// Anything else.
    Other,
}

/// The structure at (x, y) mm for a tumor of radius `tumor_radius_mm`.
pub fn structure_at(x: f64, y: f64, tumor_radius_mm: f64) -> Structure {
    let tumor = (
        TUMOR_CENTRE.0,
        TUMOR_CENTRE.1,
        tumor_radius_mm.min(MAX_TUMOR_RADIUS_MM),
    );
    if !in_disk(x, y, (CENTRE, CENTRE, FOV_RADIUS)) {
        Structure::Padding
    } else if !BODY.contains(x, y) {
        Structure::Air
    } else if in_disk(x, y, tumor) {
        Structure::Tumor
    } else if LIVER.contains(x, y) {
        Structure::Liver
    } else if in_disk(x, y, AORTA) {
        Structure::Aorta
    } else {
        Structure::Other
    }
}
