//! C ABI of [`crate::image`]: the image descriptor `ecv_image`, validated by every ROI function.

use super::{input_slice, Span};
use crate::image::{
    Image, ImageDescriptor, Padding, PixelData, PixelSpacing, Rescale, StoredInt, StoredType,
};
use crate::Status;
use core::ffi::c_void;

/// How an `ecv_image` declares padding. In C: `ECV_PADDING_KIND_NONE`, `ECV_PADDING_KIND_VALUE`
/// (Pixel Padding Value only), `ECV_PADDING_KIND_RANGE` (with Pixel Padding Range Limit).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaddingKind {
    /// No padding.
    None = 0,
    /// `padding_value` alone.
    Value = 1,
    /// Every stored value between `padding_value` and `padding_range_limit`, inclusive.
    Range = 2,
}

impl TryFrom<u32> for PaddingKind {
    type Error = Status;
    fn try_from(value: u32) -> Result<Self, Status> {
        match value {
            0 => Ok(PaddingKind::None),
            1 => Ok(PaddingKind::Value),
            2 => Ok(PaddingKind::Range),
            _ => Err(Status::InvalidEnumValue),
        }
    }
}

/// A frame as C holds it: the caller's stored pixels (native byte order, row-major) and the DICOM
/// attributes that give them meaning. Fill it with `ecv_image_packed` and adjust fields; every
/// ROI function validates it (`ecv_image_check` does only that).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct EcvImage {
    /// The first stored pixel (row 0, column 0), aligned for the stored type.
    pub data: *const c_void,
    /// Bytes readable from `data`: at least (height − 1) · row_stride_bytes + width · bytes per
    /// pixel.
    pub data_len_bytes: usize,
    /// `ECV_STORED_TYPE_U8` … `ECV_STORED_TYPE_F32` (Bits Allocated and Pixel Representation).
    pub stored_type: u32,
    /// Columns (0028,0011), ≥ 1.
    pub width: u32,
    /// Rows (0028,0010), ≥ 1.
    pub height: u32,
    /// Bits Stored (0028,0101): 1 ..= the type's width (32 for f32). High Bit = Bits Stored − 1.
    pub bits_stored: u32,
    /// Bytes from one row to the next: ≥ width · bytes per pixel, a multiple of bytes per pixel.
    pub row_stride_bytes: usize,
    /// Rescale Slope and Intercept: value = stored · slope + intercept.
    pub rescale: Rescale,
    /// Pixel Spacing as (row, column) = (Δy, Δx) mm: the attribute's first value is `row_mm`.
    pub spacing: PixelSpacing,
    /// `ECV_PADDING_KIND_NONE`, `_VALUE` or `_RANGE`.
    pub padding_kind: u32,
    /// Pixel Padding Value (0028,0120), a stored value.
    pub padding_value: f64,
    /// Pixel Padding Range Limit (0028,0121), a stored value (with `ECV_PADDING_KIND_RANGE`).
    pub padding_range_limit: f64,
}

/// A descriptor for tightly packed pixels: row stride = width · bytes per pixel, data length =
/// height · stride, Bits Stored = the type's width, slope 1, intercept 0, no padding. Adjust the
/// fields that differ (e.g. `rescale.intercept = -1024`). An unknown `stored_type` gives stride
/// and length 0; validation then reports `ECV_INVALID_ENUM_VALUE`.
#[no_mangle]
pub extern "C" fn ecv_image_packed(
    stored_type: u32,
    data: *const c_void,
    width: u32,
    height: u32,
    spacing: PixelSpacing,
) -> EcvImage {
    let (bytes, bits) = StoredType::try_from(stored_type).map_or((0, 0), |t| (t.bytes(), t.bits()));
    let stride = (width as usize).saturating_mul(bytes);
    EcvImage {
        data,
        data_len_bytes: stride.saturating_mul(height as usize),
        stored_type,
        width,
        height,
        bits_stored: bits,
        row_stride_bytes: stride,
        rescale: Rescale::IDENTITY,
        spacing,
        padding_kind: PaddingKind::None as u32,
        padding_value: 0.0,
        padding_range_limit: 0.0,
    }
}

/// Validates a descriptor without reading any pixel.
///
/// Statuses: `ECV_NULL_POINTER` (image or data), `ECV_INVALID_ENUM_VALUE` (stored type, padding
/// kind), `ECV_MISALIGNED_POINTER` (data not aligned for the type), and those of the core:
/// `ECV_IMAGE_SIZE_ZERO`, `ECV_ROW_STRIDE_TOO_SMALL`, `ECV_ROW_STRIDE_NOT_MULTIPLE`,
/// `ECV_TOO_MANY_ELEMENTS`, `ECV_IMAGE_DATA_TOO_SHORT`, `ECV_BITS_STORED_INVALID`,
/// `ECV_NOT_FINITE`, `ECV_RESCALE_SLOPE_ZERO`, `ECV_INVALID_OPTION` (a rescale that can map a
/// stored value of the type beyond ±1e140: |slope| · largest stored magnitude + |intercept|),
/// `ECV_PIXEL_SPACING_NOT_POSITIVE`.
///
/// # Safety
/// `image` is NULL or points to a valid `ecv_image` whose `data` points to `data_len_bytes`
/// readable bytes.
#[no_mangle]
pub unsafe extern "C" fn ecv_image_check(image: *const EcvImage) -> Status {
    // SAFETY: the caller's guarantee, passed on.
    match unsafe { image_from_c(image) } {
        Ok(_) => Status::Ok,
        Err(s) => s,
    }
}

/// Builds the core's validated [`Image`] from a C descriptor.
///
/// # Safety
/// `image` is NULL or points to a valid `ecv_image` whose `data` points to `data_len_bytes`
/// readable bytes that stay unmodified for `'a`.
pub(crate) unsafe fn image_from_c<'a>(image: *const EcvImage) -> Result<Image<'a>, Status> {
    if !image.is_aligned() {
        return Err(Status::MisalignedPointer);
    }
    // SAFETY: aligned (checked), and valid when non-null (caller).
    let d = unsafe { image.as_ref() }.ok_or(Status::NullPointer)?;
    let t = StoredType::try_from(d.stored_type)?;
    let padding = match PaddingKind::try_from(d.padding_kind)? {
        PaddingKind::None => Padding::None,
        PaddingKind::Value => Padding::Value(d.padding_value),
        PaddingKind::Range => Padding::Range {
            value: d.padding_value,
            range_limit: d.padding_range_limit,
        },
    };
    if d.data.is_null() {
        return Err(Status::NullPointer);
    }
    // SAFETY (all arms): data is non-null, points to data_len_bytes readable bytes (caller), and
    // input_slice checks the alignment for the element type.
    let pixels = unsafe {
        match t {
            StoredType::U8 => PixelData::U8(typed(d)?),
            StoredType::I8 => PixelData::I8(typed(d)?),
            StoredType::U16 => PixelData::U16(typed(d)?),
            StoredType::I16 => PixelData::I16(typed(d)?),
            StoredType::U32 => PixelData::U32(typed(d)?),
            StoredType::I32 => PixelData::I32(typed(d)?),
            StoredType::F32 => PixelData::F32(input_slice(
                d.data.cast::<f32>(),
                d.data_len_bytes / core::mem::size_of::<f32>(),
            )?),
        }
    };
    Image::new(ImageDescriptor {
        pixels,
        width: d.width,
        height: d.height,
        row_stride_bytes: d.row_stride_bytes,
        bits_stored: d.bits_stored,
        rescale: d.rescale,
        spacing: d.spacing,
        padding,
    })
}

/// The descriptor's bytes as a slice of `T` (as many whole elements as fit).
///
/// # Safety
/// As [`image_from_c`], with `d.data` non-null.
unsafe fn typed<'a, T: StoredInt>(d: &EcvImage) -> Result<&'a [T], Status> {
    let size = core::mem::size_of::<T>().max(1);
    // SAFETY: the caller's guarantee; input_slice checks alignment.
    unsafe { input_slice(d.data.cast::<T>(), d.data_len_bytes / size) }
}

/// The byte range of the descriptor's pixels (for overlap checks against outputs, made on the
/// raw pointers before any output slice exists); empty for a NULL or misaligned descriptor.
///
/// # Safety
/// `image` is NULL or points to a valid `ecv_image`.
pub(crate) unsafe fn image_span(image: *const EcvImage) -> Span {
    if !image.is_aligned() {
        return Span::of(core::ptr::null::<u8>(), 0);
    }
    // SAFETY: valid when non-null and aligned (caller); as_ref checks null.
    match unsafe { image.as_ref() } {
        Some(d) => Span::of(d.data.cast::<u8>(), d.data_len_bytes),
        None => Span::of(core::ptr::null::<u8>(), 0),
    }
}
