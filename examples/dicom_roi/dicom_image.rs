//! A DICOM file's pixels and the attributes ecvkit needs, read with dicom-rs, handed to
//! ecvkit's image view unchanged: the STORED values (not rescaled, not windowed) with Rows,
//! Columns, Bits Allocated, Bits Stored, Pixel Representation, Rescale Slope / Intercept, Pixel
//! Padding Value (and Range Limit) and Pixel Spacing. ecvkit then does what DICOM PS3.3 says:
//! mask to Bits Stored, sign-extend when Pixel Representation is 1, match padding on stored
//! values, rescale to HU.

use dicom_object::{open_file, DefaultDicomObject, Tag};
use dicom_pixeldata::{PixelDecoder, PixelRepresentation};
use ecvkit::image::{Image, ImageDescriptor, Padding, PixelData, PixelSpacing, Rescale};
use ecvkit::Status;
use std::path::Path;

const PIXEL_SPACING: Tag = Tag(0x0028, 0x0030);
const PIXEL_PADDING_VALUE: Tag = Tag(0x0028, 0x0120);
const PIXEL_PADDING_RANGE_LIMIT: Tag = Tag(0x0028, 0x0121);

/// The stored pixels of one frame, in the type Bits Allocated and Pixel Representation give.
#[derive(Clone, Debug, PartialEq)]
pub enum StoredPixels {
    /// Bits Allocated 8, Pixel Representation 0.
    U8(Vec<u8>),
    /// Bits Allocated 8, Pixel Representation 1.
    I8(Vec<i8>),
    /// Bits Allocated 16, Pixel Representation 0.
    U16(Vec<u16>),
    /// Bits Allocated 16, Pixel Representation 1 (most CT).
    I16(Vec<i16>),
    /// Bits Allocated 32, Pixel Representation 0.
    U32(Vec<u32>),
    /// Bits Allocated 32, Pixel Representation 1.
    I32(Vec<i32>),
}

/// A single-frame, single-sample DICOM image, as read from the file.
#[derive(Clone, Debug, PartialEq)]
pub struct DicomImage {
    /// Columns (0028,0011).
    pub columns: u32,
    /// Rows (0028,0010).
    pub rows: u32,
    /// Bits Stored (0028,0101).
    pub bits_stored: u32,
    /// The stored values, row-major.
    pub pixels: StoredPixels,
    /// Rescale Slope / Intercept (0028,1053) / (0028,1052); identity when absent.
    pub rescale: Rescale,
    /// Pixel Spacing (0028,0030): (row, column) spacing in mm.
    pub spacing: PixelSpacing,
    /// Pixel Padding Value (0028,0120) and Range Limit (0028,0121), stored values.
    pub padding: Padding,
}

fn le_chunks<const N: usize>(bytes: &[u8]) -> impl Iterator<Item = [u8; N]> + '_ {
    bytes.chunks_exact(N).map(|c| {
        let mut a = [0u8; N];
        a.copy_from_slice(c);
        a
    })
}

fn optional_f64(obj: &DefaultDicomObject, tag: Tag) -> Result<Option<f64>, String> {
    match obj.element_opt(tag).map_err(|e| e.to_string())? {
        None => Ok(None),
        Some(e) => e
            .to_float64()
            .map(Some)
            .map_err(|e| format!("({:04X},{:04X}): {e}", tag.0, tag.1)),
    }
}

/// Reads a DICOM file (uncompressed transfer syntaxes; the first frame of a multi-frame file).
pub fn load(path: &Path) -> Result<DicomImage, String> {
    let obj = open_file(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let decoded = obj
        .decode_pixel_data_frame(0)
        .map_err(|e| format!("{}: pixel data: {e}", path.display()))?;
    if decoded.samples_per_pixel() != 1 {
        return Err(format!(
            "{}: {} samples per pixel; ecvkit measures single-sample (grayscale) images",
            path.display(),
            decoded.samples_per_pixel()
        ));
    }
    let signed = decoded.pixel_representation() == PixelRepresentation::Signed;
    let bytes = decoded.data();
    // Native pixel data of the little-endian transfer syntaxes is little-endian.
    let pixels = match (decoded.bits_allocated(), signed) {
        (8, false) => StoredPixels::U8(bytes.to_vec()),
        (8, true) => StoredPixels::I8(bytes.iter().map(|&b| b as i8).collect()),
        (16, false) => StoredPixels::U16(le_chunks::<2>(bytes).map(u16::from_le_bytes).collect()),
        (16, true) => StoredPixels::I16(le_chunks::<2>(bytes).map(i16::from_le_bytes).collect()),
        (32, false) => StoredPixels::U32(le_chunks::<4>(bytes).map(u32::from_le_bytes).collect()),
        (32, true) => StoredPixels::I32(le_chunks::<4>(bytes).map(i32::from_le_bytes).collect()),
        (b, _) => {
            return Err(format!(
                "{}: Bits Allocated {b} is not supported",
                path.display()
            ))
        }
    };
    let rescale = decoded
        .rescale()
        .map_err(|e| format!("{}: rescale: {e}", path.display()))?
        .first()
        .map_or(Rescale::IDENTITY, |r| Rescale {
            slope: r.slope,
            intercept: r.intercept,
        });
    let spacing = obj
        .element(PIXEL_SPACING)
        .map_err(|_| {
            format!(
                "{}: no Pixel Spacing (0028,0030): ROI areas in mm need it",
                path.display()
            )
        })?
        .to_multi_float64()
        .map_err(|e| format!("{}: Pixel Spacing: {e}", path.display()))?;
    let spacing = match spacing.as_slice() {
        [row, col] => PixelSpacing::from_dicom([*row, *col]),
        other => {
            return Err(format!(
                "{}: Pixel Spacing has {} values, not 2",
                path.display(),
                other.len()
            ))
        }
    };
    let padding = match (
        optional_f64(&obj, PIXEL_PADDING_VALUE)?,
        optional_f64(&obj, PIXEL_PADDING_RANGE_LIMIT)?,
    ) {
        (None, _) => Padding::None,
        (Some(value), None) => Padding::Value(value),
        (Some(value), Some(range_limit)) => Padding::Range { value, range_limit },
    };
    Ok(DicomImage {
        columns: decoded.columns(),
        rows: decoded.rows(),
        bits_stored: u32::from(decoded.bits_stored()),
        pixels,
        rescale,
        spacing,
        padding,
    })
}

impl DicomImage {
    /// ecvkit's validated view of the pixels.
    pub fn image(&self) -> Result<Image<'_>, Status> {
        let pixels = match &self.pixels {
            StoredPixels::U8(v) => PixelData::U8(v),
            StoredPixels::I8(v) => PixelData::I8(v),
            StoredPixels::U16(v) => PixelData::U16(v),
            StoredPixels::I16(v) => PixelData::I16(v),
            StoredPixels::U32(v) => PixelData::U32(v),
            StoredPixels::I32(v) => PixelData::I32(v),
        };
        let mut d = ImageDescriptor::packed(pixels, self.columns, self.rows, self.spacing);
        d.bits_stored = self.bits_stored;
        d.rescale = self.rescale;
        d.padding = self.padding;
        Image::new(d)
    }
}

/// One structure's ECV from an unenhanced and an equilibrium image, one reader, the same ROIs on
/// both phases (the `--unenhanced/--equilibrium` mode of the example): the tissue ROIs pooled as
/// the mean of their means, the aorta likewise, ECV = (1 − Hct) · ΔHU_tissue / ΔHU_aorta with
/// ecvkit's quality flags.
pub fn structure_ecv(
    unenhanced: &DicomImage,
    equilibrium: &DicomImage,
    hematocrit: f64,
    tissue: &[ecvkit::roi::Roi<'_>],
    aorta: &[ecvkit::roi::Roi<'_>],
) -> Result<ecvkit::roi::StructureEcv, Status> {
    use ecvkit::roi::{structure_ct_ecv, MeasurementOptions, PhaseRois, StructureRois};
    let (un, eq) = (unenhanced.image()?, equilibrium.image()?);
    let hct = ecvkit::ecv::Hematocrit::measured(hematocrit)?;
    let reader = StructureRois {
        unenhanced: PhaseRois {
            image: &un,
            tissue,
            aorta,
        },
        equilibrium: PhaseRois {
            image: &eq,
            tissue,
            aorta,
        },
    };
    structure_ct_ecv(&[reader], hct, &MeasurementOptions::default())
}
