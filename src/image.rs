//! A view over pixels the caller already holds: the stored type, the geometry (width, height, row
//! stride), Bits Stored, the Modality LUT (Rescale Slope / Intercept), Pixel Spacing and Pixel
//! Padding, validated once by [`Image::new`].
//!
//! Conventions (DICOM PS3.3 C.7.6.3 and C.11.1.1.2):
//! - value = stored · RescaleSlope + RescaleIntercept (in HU for CT), computed in f64 as
//!   `stored as f64 * slope + intercept` (two roundings, as NumPy's `arr * slope + intercept`).
//! - Signedness is the stored type's (i16 for Pixel Representation 1, u16 for 0); it is never
//!   inferred from the values.
//! - Bits above Bits Stored may hold garbage (PS3.5 8.1.1): each stored value is masked to its low
//!   `bits_stored` bits and then sign-extended when the type is signed (High Bit = Bits Stored − 1).
//! - Pixel Padding Value (and Pixel Padding Range Limit, an inclusive range in either order) is
//!   matched on the STORED value after masking and sign extension, before the rescale
//!   (PS3.3 C.7.5.1.1.2). Padding pixels are excluded from every statistic and counted.
//! - Pixel Spacing is (row spacing, column spacing) = (Δy, Δx) in mm, in that DICOM order:
//!   [`PixelSpacing::from_dicom`] takes the attribute's two values as they appear.
//! - Pixels are in the caller's native byte order (the memory of a C array of the stored type).

use crate::status::{require_finite, Status};

/// The stored pixel type: Bits Allocated with Pixel Representation (0 unsigned, 1 signed), or
/// 32-bit float pixels. In C: `ECV_STORED_TYPE_U8` … `ECV_STORED_TYPE_F32`, passed as `uint32_t`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StoredType {
    /// Unsigned 8-bit (Bits Allocated 8, Pixel Representation 0).
    U8 = 0,
    /// Signed 8-bit, two's complement (Bits Allocated 8, Pixel Representation 1).
    I8 = 1,
    /// Unsigned 16-bit (Bits Allocated 16, Pixel Representation 0).
    U16 = 2,
    /// Signed 16-bit (Bits Allocated 16, Pixel Representation 1): most CT.
    I16 = 3,
    /// Unsigned 32-bit (Bits Allocated 32, Pixel Representation 0).
    U32 = 4,
    /// Signed 32-bit (Bits Allocated 32, Pixel Representation 1).
    I32 = 5,
    /// 32-bit IEEE float (Float Pixel Data, or a derived map such as an ECV map).
    F32 = 6,
}

impl StoredType {
    /// Bytes per stored pixel.
    pub const fn bytes(self) -> usize {
        match self {
            StoredType::U8 | StoredType::I8 => 1,
            StoredType::U16 | StoredType::I16 => 2,
            StoredType::U32 | StoredType::I32 | StoredType::F32 => 4,
        }
    }

    /// Bits per stored pixel (Bits Allocated).
    pub const fn bits(self) -> u32 {
        (self.bytes() * 8) as u32
    }

    /// The largest magnitude a stored value of this type can have (f32: its largest finite).
    pub const fn largest_magnitude(self) -> f64 {
        match self {
            StoredType::U8 => 255.0,
            StoredType::I8 => 128.0,
            StoredType::U16 => 65_535.0,
            StoredType::I16 => 32_768.0,
            StoredType::U32 => 4_294_967_295.0,
            StoredType::I32 => 2_147_483_648.0,
            StoredType::F32 => f32::MAX as f64,
        }
    }
}

/// The largest modality value (|slope| · stored + intercept) an image may produce: 1e140, so
/// that sums of squared differences over 2³² pixels (at most 4e280 · 2³² ≈ 1.7e290) never
/// overflow. A slope of 1e300 on 8-bit pixels made the variance slope² · var = ∞ · 0 = NaN.
pub const MAX_MODALITY_MAGNITUDE: f64 = 1e140;

impl TryFrom<u32> for StoredType {
    type Error = Status;
    fn try_from(value: u32) -> Result<Self, Status> {
        match value {
            0 => Ok(StoredType::U8),
            1 => Ok(StoredType::I8),
            2 => Ok(StoredType::U16),
            3 => Ok(StoredType::I16),
            4 => Ok(StoredType::U32),
            5 => Ok(StoredType::I32),
            6 => Ok(StoredType::F32),
            _ => Err(Status::InvalidEnumValue),
        }
    }
}

/// The caller's stored pixels, row-major, typed. The slice covers at least
/// (height − 1) · stride + width elements.
#[derive(Clone, Copy, Debug)]
pub enum PixelData<'a> {
    /// Unsigned 8-bit pixels.
    U8(&'a [u8]),
    /// Signed 8-bit pixels.
    I8(&'a [i8]),
    /// Unsigned 16-bit pixels.
    U16(&'a [u16]),
    /// Signed 16-bit pixels.
    I16(&'a [i16]),
    /// Unsigned 32-bit pixels.
    U32(&'a [u32]),
    /// Signed 32-bit pixels.
    I32(&'a [i32]),
    /// 32-bit float pixels.
    F32(&'a [f32]),
}

impl PixelData<'_> {
    /// The stored type of these pixels.
    pub const fn stored_type(&self) -> StoredType {
        match self {
            PixelData::U8(_) => StoredType::U8,
            PixelData::I8(_) => StoredType::I8,
            PixelData::U16(_) => StoredType::U16,
            PixelData::I16(_) => StoredType::I16,
            PixelData::U32(_) => StoredType::U32,
            PixelData::I32(_) => StoredType::I32,
            PixelData::F32(_) => StoredType::F32,
        }
    }

    /// Number of stored elements in the slice.
    pub const fn len(&self) -> usize {
        match self {
            PixelData::U8(d) => d.len(),
            PixelData::I8(d) => d.len(),
            PixelData::U16(d) => d.len(),
            PixelData::I16(d) => d.len(),
            PixelData::U32(d) => d.len(),
            PixelData::I32(d) => d.len(),
            PixelData::F32(d) => d.len(),
        }
    }

    /// `true` when the slice is empty.
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The Modality LUT of DICOM PS3.3 C.11.1.1.2: value = stored · slope + intercept.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rescale {
    /// Rescale Slope (0028,1053). Finite and nonzero.
    pub slope: f64,
    /// Rescale Intercept (0028,1052). Finite. −1024 on most CT.
    pub intercept: f64,
}

impl Rescale {
    /// Slope 1, intercept 0: the stored value is the value.
    ///
    /// Not in the C header as a constant (a struct constant needs designated initializers,
    /// which C++ before C++20 refuses): `ecv_image_packed()` sets this rescale.
    ///
    /// cbindgen:ignore
    pub const IDENTITY: Rescale = Rescale {
        slope: 1.0,
        intercept: 0.0,
    };

    /// stored · slope + intercept, in f64 (two roundings, no fused multiply-add).
    pub fn apply(self, stored: f64) -> f64 {
        stored * self.slope + self.intercept
    }
}

impl Default for Rescale {
    fn default() -> Self {
        Rescale::IDENTITY
    }
}

/// Pixel Spacing (0028,0030) in mm, named by what it measures so the DICOM order cannot be
/// swapped silently: the attribute's FIRST value is the row spacing (Δy, the distance between the
/// centres of adjacent rows), the SECOND the column spacing (Δx, between adjacent columns).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PixelSpacing {
    /// Distance between adjacent rows, Δy (mm): Pixel Spacing's first value.
    pub row_mm: f64,
    /// Distance between adjacent columns, Δx (mm): Pixel Spacing's second value.
    pub col_mm: f64,
}

impl PixelSpacing {
    /// From the two values of the DICOM attribute, in the order they appear: `[Δy, Δx]`.
    pub const fn from_dicom(values: [f64; 2]) -> PixelSpacing {
        let [row_mm, col_mm] = values;
        PixelSpacing { row_mm, col_mm }
    }

    /// Area of one pixel, Δx · Δy (mm²).
    pub fn pixel_area_mm2(self) -> f64 {
        self.row_mm * self.col_mm
    }

    fn validate(self) -> Result<PixelSpacing, Status> {
        require_finite(self.row_mm)?;
        require_finite(self.col_mm)?;
        if self.row_mm > 0.0 && self.col_mm > 0.0 {
            Ok(self)
        } else {
            Err(Status::PixelSpacingNotPositive)
        }
    }
}

/// Pixel Padding (0028,0120) and Pixel Padding Range Limit (0028,0121), in STORED values.
///
/// For float pixels the values are compared with the stored float (Float Pixel Padding Value).
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub enum Padding {
    /// No padding: every pixel is image data.
    #[default]
    None,
    /// Pixel Padding Value alone: stored values equal to it are padding (−2000 is common on CT).
    Value(f64),
    /// Pixel Padding Value with Pixel Padding Range Limit: every stored value between the two,
    /// inclusive, in either order, is padding.
    Range {
        /// Pixel Padding Value.
        value: f64,
        /// Pixel Padding Range Limit.
        range_limit: f64,
    },
}

impl Padding {
    /// The inclusive padded range (lo, hi) of stored values, or `None`.
    fn bounds(self) -> Result<Option<(f64, f64)>, Status> {
        Ok(match self {
            Padding::None => None,
            Padding::Value(v) => Some((require_finite(v)?, v)),
            Padding::Range { value, range_limit } => {
                let (a, b) = (require_finite(value)?, require_finite(range_limit)?);
                Some((libm::fmin(a, b), libm::fmax(a, b)))
            }
        })
    }
}

/// Everything the caller knows about a frame, before validation: see [`Image::new`].
#[derive(Clone, Copy, Debug)]
pub struct ImageDescriptor<'a> {
    /// The stored pixels (their type is the stored type).
    pub pixels: PixelData<'a>,
    /// Columns (0028,0011), ≥ 1.
    pub width: u32,
    /// Rows (0028,0010), ≥ 1.
    pub height: u32,
    /// Bytes from the start of one row to the start of the next: ≥ width · bytes per pixel and a
    /// multiple of the bytes per pixel. Tightly packed DICOM pixel data has width · bytes.
    pub row_stride_bytes: usize,
    /// Bits Stored (0028,0101): 1 ..= the type's width for integers; 32 for f32.
    pub bits_stored: u32,
    /// Rescale Slope and Intercept.
    pub rescale: Rescale,
    /// Pixel Spacing as (row, column) = (Δy, Δx) mm.
    pub spacing: PixelSpacing,
    /// Pixel Padding Value / Range Limit, matched on stored values.
    pub padding: Padding,
}

impl<'a> ImageDescriptor<'a> {
    /// A tightly packed image (stride = width · bytes per pixel) with Bits Stored equal to the
    /// type's width, no rescale, no padding: the common case, to adjust field by field.
    pub fn packed(pixels: PixelData<'a>, width: u32, height: u32, spacing: PixelSpacing) -> Self {
        let t = pixels.stored_type();
        ImageDescriptor {
            pixels,
            width,
            height,
            row_stride_bytes: (width as usize).saturating_mul(t.bytes()),
            bits_stored: t.bits(),
            rescale: Rescale::IDENTITY,
            spacing,
            padding: Padding::None,
        }
    }
}

/// A validated view over the caller's pixels. Build it with [`Image::new`]; every accessor can
/// then rely on the geometry being consistent with the buffer.
#[derive(Clone, Copy, Debug)]
pub struct Image<'a> {
    pixels: PixelData<'a>,
    width: u32,
    height: u32,
    stride: usize,
    bits_stored: u32,
    rescale: Rescale,
    spacing: PixelSpacing,
    padding: Padding,
    padding_bounds: Option<(f64, f64)>,
}

impl<'a> Image<'a> {
    /// Validates a descriptor.
    ///
    /// Errors, checked in this order: `ImageSizeZero` (width or height 0), `RowStrideTooSmall`,
    /// `RowStrideNotMultiple`, `TooManyElements` (the extent overflows `usize`),
    /// `ImageDataTooShort` (fewer than (height − 1) · stride + width elements),
    /// `BitsStoredInvalid`, `NotFinite` (slope, intercept, spacing or padding), `RescaleSlopeZero`,
    /// `InvalidOption` (a rescale that can map a stored value of the type beyond
    /// ±[`MAX_MODALITY_MAGNITUDE`]: |slope| · largest stored magnitude + |intercept| > 1e140),
    /// `PixelSpacingNotPositive`.
    pub fn new(d: ImageDescriptor<'a>) -> Result<Image<'a>, Status> {
        let t = d.pixels.stored_type();
        if d.width == 0 || d.height == 0 {
            return Err(Status::ImageSizeZero);
        }
        let row_bytes = (d.width as usize)
            .checked_mul(t.bytes())
            .ok_or(Status::TooManyElements)?;
        if d.row_stride_bytes < row_bytes {
            return Err(Status::RowStrideTooSmall);
        }
        if !d.row_stride_bytes.is_multiple_of(t.bytes()) {
            return Err(Status::RowStrideNotMultiple);
        }
        let stride = d
            .row_stride_bytes
            .checked_div(t.bytes())
            .ok_or(Status::RowStrideNotMultiple)?;
        let needed = (d.height as usize)
            .saturating_sub(1)
            .checked_mul(stride)
            .and_then(|x| x.checked_add(d.width as usize))
            .ok_or(Status::TooManyElements)?;
        if d.pixels.len() < needed {
            return Err(Status::ImageDataTooShort);
        }
        let bits_ok = match t {
            StoredType::F32 => d.bits_stored == 32,
            _ => (1..=t.bits()).contains(&d.bits_stored),
        };
        if !bits_ok {
            return Err(Status::BitsStoredInvalid);
        }
        require_finite(d.rescale.slope)?;
        require_finite(d.rescale.intercept)?;
        if d.rescale.slope == 0.0 {
            return Err(Status::RescaleSlopeZero);
        }
        let reach =
            libm::fabs(d.rescale.slope) * t.largest_magnitude() + libm::fabs(d.rescale.intercept);
        if reach > MAX_MODALITY_MAGNITUDE {
            return Err(Status::InvalidOption);
        }
        let spacing = d.spacing.validate()?;
        let padding_bounds = d.padding.bounds()?;
        Ok(Image {
            pixels: d.pixels,
            width: d.width,
            height: d.height,
            stride,
            bits_stored: d.bits_stored,
            rescale: d.rescale,
            spacing,
            padding: d.padding,
            padding_bounds,
        })
    }

    /// Columns.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Rows.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Elements (not bytes) from one row to the next.
    pub fn stride_elements(&self) -> usize {
        self.stride
    }

    /// The stored type.
    pub fn stored_type(&self) -> StoredType {
        self.pixels.stored_type()
    }

    /// The stored pixels.
    pub fn pixels(&self) -> PixelData<'a> {
        self.pixels
    }

    /// Bits Stored.
    pub fn bits_stored(&self) -> u32 {
        self.bits_stored
    }

    /// Rescale Slope and Intercept.
    pub fn rescale(&self) -> Rescale {
        self.rescale
    }

    /// Pixel Spacing.
    pub fn spacing(&self) -> PixelSpacing {
        self.spacing
    }

    /// Pixel Padding.
    pub fn padding(&self) -> Padding {
        self.padding
    }

    /// The stored value of pixel (column, row) after masking to Bits Stored and sign extension
    /// (as f64; exact for every integer type), or `None` outside the image.
    pub fn stored_value(&self, col: u32, row: u32) -> Option<f64> {
        if col >= self.width || row >= self.height {
            return None;
        }
        let i = (row as usize)
            .checked_mul(self.stride)?
            .checked_add(col as usize)?;
        let codec = IntCodec::new(self.stored_type(), self.bits_stored);
        Some(match self.pixels {
            PixelData::U8(d) => codec.decode(*d.get(i)?) as f64,
            PixelData::I8(d) => codec.decode(*d.get(i)?) as f64,
            PixelData::U16(d) => codec.decode(*d.get(i)?) as f64,
            PixelData::I16(d) => codec.decode(*d.get(i)?) as f64,
            PixelData::U32(d) => codec.decode(*d.get(i)?) as f64,
            PixelData::I32(d) => codec.decode(*d.get(i)?) as f64,
            PixelData::F32(d) => f64::from(*d.get(i)?),
        })
    }

    /// `true` when the stored value of pixel (column, row) is padding.
    pub fn is_padding(&self, col: u32, row: u32) -> bool {
        match (self.stored_value(col, row), self.padding_bounds) {
            (Some(s), Some((lo, hi))) => s >= lo && s <= hi,
            _ => false,
        }
    }

    /// The modality value (HU on CT) of pixel (column, row), padding or not, or `None` outside
    /// the image.
    pub fn value(&self, col: u32, row: u32) -> Option<f64> {
        self.stored_value(col, row).map(|s| self.rescale.apply(s))
    }

    /// The padded range of stored values as f64 (inclusive), or `None`.
    pub(crate) fn padding_bounds(&self) -> Option<(f64, f64)> {
        self.padding_bounds
    }
}

/// Decoding of an integer stored value: mask to `bits_stored`, sign-extend when signed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct IntCodec {
    /// 32 − Bits Stored: the shift pair that masks (unsigned) or sign-extends (signed).
    shift: u32,
    /// Smallest decodable value (−2^(B−1) or 0).
    pub min: i64,
    /// Largest decodable value (2^(B−1) − 1 or 2^B − 1).
    pub max: i64,
    /// `true` when Bits Stored equals the type's width (decoding is the identity).
    pub full_width: bool,
}

impl IntCodec {
    pub(crate) fn new(t: StoredType, bits_stored: u32) -> IntCodec {
        let b = bits_stored.clamp(1, 32);
        let signed = matches!(t, StoredType::I8 | StoredType::I16 | StoredType::I32);
        let (min, max) = if signed {
            (-(1i64 << (b - 1)), (1i64 << (b - 1)) - 1)
        } else {
            (0, (1i64 << b) - 1)
        };
        IntCodec {
            shift: 32 - b,
            min,
            max,
            full_width: b == t.bits(),
        }
    }

    /// The stored value of `raw` after masking and sign extension.
    #[inline(always)]
    pub(crate) fn decode<T: StoredInt>(self, raw: T) -> i64 {
        raw.decode(self.shift)
    }
}

/// Integer stored types: widening and Bits Stored decoding, for the ROI kernels.
pub(crate) trait StoredInt: Copy + Ord {
    /// 8, 16 or 32.
    const BITS: u32;
    /// The value widened to i64 (no masking: valid when Bits Stored is the full width).
    fn widen(self) -> i64;
    /// Masked to the low (32 − shift) bits and sign-extended (signed types) or zero-extended.
    fn decode(self, shift: u32) -> i64;
}

macro_rules! stored_int {
    ($t:ty, $bits:expr, signed) => {
        impl StoredInt for $t {
            const BITS: u32 = $bits;
            #[inline(always)]
            fn widen(self) -> i64 {
                i64::from(self)
            }
            #[inline(always)]
            fn decode(self, shift: u32) -> i64 {
                i64::from(i32::from(self).wrapping_shl(shift).wrapping_shr(shift))
            }
        }
    };
    ($t:ty, $bits:expr, unsigned) => {
        impl StoredInt for $t {
            const BITS: u32 = $bits;
            #[inline(always)]
            fn widen(self) -> i64 {
                i64::from(self)
            }
            #[inline(always)]
            fn decode(self, shift: u32) -> i64 {
                i64::from(u32::from(self).wrapping_shl(shift).wrapping_shr(shift))
            }
        }
    };
}

stored_int!(u8, 8, unsigned);
stored_int!(i8, 8, signed);
stored_int!(u16, 16, unsigned);
stored_int!(i16, 16, signed);
stored_int!(u32, 32, unsigned);
stored_int!(i32, 32, signed);

#[cfg(test)]
mod tests {
    use super::*;

    const SPACING: PixelSpacing = PixelSpacing {
        row_mm: 0.5,
        col_mm: 0.7,
    };

    fn desc(px: &[i16], w: u32, h: u32) -> ImageDescriptor<'_> {
        ImageDescriptor::packed(PixelData::I16(px), w, h, SPACING)
    }

    #[test]
    fn dicom_spacing_order_is_row_then_column() {
        let s = PixelSpacing::from_dicom([0.5, 0.7]);
        assert_eq!(s.row_mm, 0.5);
        assert_eq!(s.col_mm, 0.7);
        assert_eq!(s.pixel_area_mm2(), 0.5 * 0.7);
    }

    #[test]
    fn every_bad_descriptor_field_has_its_status() {
        let px = [0i16; 12];
        assert!(Image::new(desc(&px, 4, 3)).is_ok());
        let e = |d: ImageDescriptor<'_>| Image::new(d).unwrap_err();
        assert_eq!(e(desc(&px, 0, 3)), Status::ImageSizeZero);
        assert_eq!(e(desc(&px, 4, 0)), Status::ImageSizeZero);
        let mut d = desc(&px, 4, 3);
        d.row_stride_bytes = 7;
        assert_eq!(e(d), Status::RowStrideTooSmall);
        d.row_stride_bytes = 9;
        assert_eq!(e(d), Status::RowStrideNotMultiple);
        d.row_stride_bytes = 10;
        assert_eq!(e(d), Status::ImageDataTooShort);
        assert_eq!(e(desc(&px, 4, 4)), Status::ImageDataTooShort);
        let mut d = desc(&px, 4, 3);
        d.bits_stored = 17;
        assert_eq!(e(d), Status::BitsStoredInvalid);
        d.bits_stored = 0;
        assert_eq!(e(d), Status::BitsStoredInvalid);
        let mut d = desc(&px, 4, 3);
        d.rescale.slope = f64::NAN;
        assert_eq!(e(d), Status::NotFinite);
        d.rescale.slope = 0.0;
        assert_eq!(e(d), Status::RescaleSlopeZero);
        let mut d = desc(&px, 4, 3);
        d.rescale.intercept = f64::INFINITY;
        assert_eq!(e(d), Status::NotFinite);
        let mut d = desc(&px, 4, 3);
        d.spacing.row_mm = 0.0;
        assert_eq!(e(d), Status::PixelSpacingNotPositive);
        d.spacing.row_mm = -1.0;
        assert_eq!(e(d), Status::PixelSpacingNotPositive);
        d.spacing.row_mm = f64::NAN;
        assert_eq!(e(d), Status::NotFinite);
        let mut d = desc(&px, 4, 3);
        d.padding = Padding::Value(f64::NAN);
        assert_eq!(e(d), Status::NotFinite);
        let f = [0.0f32; 12];
        let mut d = ImageDescriptor::packed(PixelData::F32(&f), 4, 3, SPACING);
        assert!(Image::new(d).is_ok());
        d.bits_stored = 16;
        assert_eq!(e(d), Status::BitsStoredInvalid);
    }

    #[test]
    fn a_padded_stride_reads_the_right_pixels() {
        // 3 × 2 image in rows of 5 elements; the gaps hold garbage.
        let px = [1i16, 2, 3, 99, 99, 4, 5, 6];
        let mut d = desc(&px, 3, 2);
        d.row_stride_bytes = 10;
        let img = Image::new(d).unwrap();
        assert_eq!(img.stride_elements(), 5);
        assert_eq!(img.value(0, 1), Some(4.0));
        assert_eq!(img.value(2, 1), Some(6.0));
        assert_eq!(img.value(3, 1), None);
        assert_eq!(img.value(0, 2), None);
    }

    #[test]
    fn bits_stored_masks_garbage_and_sign_extends() {
        // 12 bits stored in 16: 0xF800 | 0x0FFF has garbage in the top nibble.
        let raw = [0x7FFFu16 as i16, 0xF800u16 as i16, 0x0800, 0x07FF];
        let mut d = desc(&raw, 4, 1);
        d.bits_stored = 12;
        let img = Image::new(d).unwrap();
        // 0x7FFF → low 12 bits 0xFFF → −1; 0xF800 → 0x800 → −2048; 0x0800 → −2048; 0x07FF → 2047.
        let v: Vec<f64> = (0..4).map(|c| img.stored_value(c, 0).unwrap()).collect();
        assert_eq!(v, [-1.0, -2048.0, -2048.0, 2047.0]);
        let u = [0xF123u16, 0x0FFF];
        let mut d = ImageDescriptor::packed(PixelData::U16(&u), 2, 1, SPACING);
        d.bits_stored = 12;
        let img = Image::new(d).unwrap();
        assert_eq!(img.stored_value(0, 0), Some(f64::from(0x123)));
        assert_eq!(img.stored_value(1, 0), Some(f64::from(0xFFF)));
    }

    #[test]
    fn codec_ranges() {
        let c = IntCodec::new(StoredType::I16, 12);
        assert_eq!((c.min, c.max, c.full_width), (-2048, 2047, false));
        let c = IntCodec::new(StoredType::U32, 32);
        assert_eq!((c.min, c.max, c.full_width), (0, u32::MAX as i64, true));
        let c = IntCodec::new(StoredType::I32, 32);
        assert_eq!((c.min, c.max), (i32::MIN as i64, i32::MAX as i64));
        assert_eq!(c.decode(-5i32), -5);
        assert_eq!(
            IntCodec::new(StoredType::U32, 32).decode(u32::MAX),
            4294967295
        );
    }

    #[test]
    fn rescale_and_padding_on_stored_values() {
        let px = [-2000i16, 1000, 1064, -1999];
        let mut d = desc(&px, 4, 1);
        d.rescale = Rescale {
            slope: 1.0,
            intercept: -1024.0,
        };
        d.padding = Padding::Value(-2000.0);
        let img = Image::new(d).unwrap();
        assert!(img.is_padding(0, 0));
        assert!(!img.is_padding(3, 0));
        assert_eq!(img.value(2, 0), Some(40.0));
        d.padding = Padding::Range {
            value: -1999.0,
            range_limit: -3000.0,
        };
        let img = Image::new(d).unwrap();
        assert!(img.is_padding(0, 0) && img.is_padding(3, 0) && !img.is_padding(1, 0));
        assert_eq!(StoredType::try_from(7), Err(Status::InvalidEnumValue));
        assert_eq!(StoredType::try_from(3), Ok(StoredType::I16));
    }
}
