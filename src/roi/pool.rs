//! Several ROIs on one structure, and several readers.
//!
//! The seed paper (Fu et al., Sci Rep 2025) placed three liver ROIs of about 100 mm² and took
//! "their average" as the liver CT value: the mean of the ROI means, each ROI weighing the same
//! whatever its size. The pixel-weighted pooled mean (every pixel weighing the same, the mean of
//! the union of disjoint ROIs) is the other reasonable choice; [`pool_rois`] reports both, named.
//! Values of two readers are averaged per structure ([`reader_average`]), as the paper did.

use crate::numeric::NeumaierSum;
use crate::roi::stats::RoiSummary;
use crate::status::{require_finite, Status};

/// How several ROIs on one structure make one value. In C: `ECV_POOLING_MEAN_OF_MEANS`,
/// `ECV_POOLING_PIXEL_WEIGHTED`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Pooling {
    /// The mean of the ROI means (the seed paper's "average" of three liver ROIs).
    #[default]
    MeanOfMeans = 0,
    /// The pixel-weighted pooled mean: Σ sums / Σ counts.
    PixelWeighted = 1,
}

impl TryFrom<u32> for Pooling {
    type Error = Status;
    fn try_from(value: u32) -> Result<Self, Status> {
        match value {
            0 => Ok(Pooling::MeanOfMeans),
            1 => Ok(Pooling::PixelWeighted),
            _ => Err(Status::InvalidEnumValue),
        }
    }
}

/// Several ROIs of one structure, combined.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PooledStats {
    /// Number of ROIs.
    pub roi_count: u64,
    /// Σ counts: pixels used over all ROIs.
    pub pixel_count: u64,
    /// The smallest ROI's count (for a minimum-pixels check).
    pub smallest_roi_count: u64,
    /// (Σ ROI means) / roi_count: every ROI weighs the same (the seed paper's liver value).
    pub mean_of_means: f64,
    /// Σ sums / Σ counts: every pixel weighs the same (the mean of the union of disjoint ROIs).
    pub pooled_mean: f64,
    /// Sample SD of all pixels together (n − 1), from each ROI's mean and SD:
    /// Σ[n_i · sd_pop_i² + n_i (mean_i − pooled_mean)²] / (N − 1). NaN when N = 1.
    pub pooled_sd_sample: f64,
    /// Population SD of all pixels together (N in the denominator).
    pub pooled_sd_population: f64,
    /// Smallest value over all ROIs.
    pub min: f64,
    /// Largest value over all ROIs.
    pub max: f64,
}

impl PooledStats {
    /// The mean chosen by `pooling`.
    pub fn mean(&self, pooling: Pooling) -> f64 {
        match pooling {
            Pooling::MeanOfMeans => self.mean_of_means,
            Pooling::PixelWeighted => self.pooled_mean,
        }
    }
}

/// A running combination of ROI summaries (what [`pool_rois`] does, one ROI at a time, so a
/// caller needs no array of summaries). The spread combines each ROI's population variance with
/// the between-ROI term by Chan, Golub & LeVeque's pairwise update (1979).
#[derive(Clone, Copy, Debug)]
pub struct RoiPool {
    rois: u64,
    pixels: u64,
    smallest: u64,
    sum: NeumaierSum,
    means: NeumaierSum,
    running_mean: f64,
    m2: f64,
    min: f64,
    max: f64,
}

impl Default for RoiPool {
    fn default() -> Self {
        RoiPool::new()
    }
}

impl RoiPool {
    /// No ROI yet.
    pub const fn new() -> RoiPool {
        RoiPool {
            rois: 0,
            pixels: 0,
            smallest: u64::MAX,
            sum: NeumaierSum::new(),
            means: NeumaierSum::new(),
            running_mean: 0.0,
            m2: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }

    /// Adds one ROI. Errors (the pool is then unchanged): `RoiAllExcluded` (count 0),
    /// `NotFinite` (a non-finite mean, sum or population SD).
    pub fn add(&mut self, r: &RoiSummary) -> Result<(), Status> {
        if r.count == 0 {
            return Err(Status::RoiAllExcluded);
        }
        require_finite(r.sum)?;
        require_finite(r.mean)?;
        require_finite(r.sd_population)?;
        let (na, nb) = (self.pixels as f64, r.count as f64);
        let n = na + nb;
        let delta = r.mean - self.running_mean;
        self.running_mean += delta * nb / n;
        self.m2 += nb * r.sd_population * r.sd_population + delta * delta * na * nb / n;
        self.rois += 1;
        self.pixels = self.pixels.saturating_add(r.count);
        self.smallest = self.smallest.min(r.count);
        self.sum.add(r.sum);
        self.means.add(r.mean);
        self.min = libm::fmin(self.min, r.min);
        self.max = libm::fmax(self.max, r.max);
        Ok(())
    }

    /// The combination. Errors: `EmptyInput` when no ROI was added.
    pub fn finish(&self) -> Result<PooledStats, Status> {
        if self.rois == 0 {
            return Err(Status::EmptyInput);
        }
        let nf = self.pixels as f64;
        let m2 = libm::fmax(self.m2, 0.0);
        Ok(PooledStats {
            roi_count: self.rois,
            pixel_count: self.pixels,
            smallest_roi_count: self.smallest,
            mean_of_means: self.means.total() / self.rois as f64,
            pooled_mean: self.sum.total() / nf,
            pooled_sd_sample: if self.pixels > 1 {
                libm::sqrt(m2 / (nf - 1.0))
            } else {
                f64::NAN
            },
            pooled_sd_population: libm::sqrt(m2 / nf),
            min: self.min,
            max: self.max,
        })
    }
}

/// Combines the summaries of several ROIs on one structure (see [`PooledStats`]).
///
/// Errors: `EmptyInput` (no ROI), `RoiAllExcluded` (an ROI with count 0), `NotFinite` (a
/// non-finite mean, sum or population SD).
pub fn pool_rois(rois: &[RoiSummary]) -> Result<PooledStats, Status> {
    let mut pool = RoiPool::new();
    for r in rois {
        pool.add(r)?;
    }
    pool.finish()
}

/// The average of the readers' values for one structure (the seed paper averaged the ROI CT
/// values of its two radiologists): Σ values / count, compensated.
///
/// Errors: `EmptyInput`, `NotFinite`.
pub fn reader_average(values: &[f64]) -> Result<f64, Status> {
    if values.is_empty() {
        return Err(Status::EmptyInput);
    }
    let mut s = NeumaierSum::new();
    for &v in values {
        s.add(require_finite(v)?);
    }
    let n = values.len() as f64;
    let total = s.total();
    if total.is_finite() {
        return Ok(total / n);
    }
    // The sum overflowed (values near the largest double: the compensated sum of ∞ gave NaN).
    // Average the values divided by 2¹⁰²³ (exact) and multiply back; the mean lies between the
    // smallest and largest value, so a last rounding beyond them is clamped.
    let scale = libm::ldexp(1.0, 1023);
    let mut scaled = NeumaierSum::new();
    values.iter().for_each(|&v| scaled.add(v / scale));
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (libm::fmin(lo, v), libm::fmax(hi, v))
        });
    Ok(libm::fmin(libm::fmax(scaled.total() / n * scale, lo), hi))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roi::raster::Clipping;

    fn summary(values: &[f64]) -> RoiSummary {
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let m2: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
        RoiSummary {
            count: values.len() as u64,
            shape_pixels: values.len() as u64,
            padding_pixels: 0,
            window_excluded: 0,
            non_finite_pixels: 0,
            clipping: Clipping::Inside,
            area_mm2: n,
            analytic_area_mm2: n,
            sum: values.iter().sum(),
            mean,
            sd_sample: (m2 / (n - 1.0)).sqrt(),
            sd_population: (m2 / n).sqrt(),
            min: values.iter().copied().fold(f64::INFINITY, f64::min),
            max: values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        }
    }

    #[test]
    fn mean_of_means_and_pooled_mean_differ_for_unequal_sizes() {
        let a = summary(&[10.0, 12.0]);
        let b = summary(&[20.0, 22.0, 24.0, 26.0, 28.0, 30.0]);
        let p = pool_rois(&[a, b]).unwrap();
        assert_eq!(p.mean_of_means, (11.0 + 25.0) / 2.0);
        let all = [10.0, 12.0, 20.0, 22.0, 24.0, 26.0, 28.0, 30.0];
        let u = summary(&all);
        assert!((p.pooled_mean - u.mean).abs() < 1e-12);
        assert!((p.pooled_sd_sample - u.sd_sample).abs() < 1e-12);
        assert!((p.pooled_sd_population - u.sd_population).abs() < 1e-12);
        assert_eq!(
            (p.min, p.max, p.pixel_count, p.smallest_roi_count),
            (10.0, 30.0, 8, 2)
        );
        assert_eq!(p.mean(Pooling::PixelWeighted), p.pooled_mean);
        assert_eq!(p.mean(Pooling::MeanOfMeans), 18.0);
    }

    #[test]
    fn errors() {
        assert_eq!(pool_rois(&[]), Err(Status::EmptyInput));
        let mut s = summary(&[1.0, 2.0]);
        s.count = 0;
        assert_eq!(pool_rois(&[s]), Err(Status::RoiAllExcluded));
        assert_eq!(reader_average(&[]), Err(Status::EmptyInput));
        assert_eq!(reader_average(&[1.0, f64::NAN]), Err(Status::NotFinite));
        assert_eq!(reader_average(&[40.0, 43.0]), Ok(41.5));
        assert_eq!(Pooling::try_from(2), Err(Status::InvalidEnumValue));
    }
}
