//! Generates the synthetic cohort that `examples/data/cohort.csv` holds: 151 training and 60
//! validation patients shaped like the seed paper's (Fu et al., Sci Rep 2025, Table 1), with ECV
//! phantom parameters and survival that depends on tumor ECV, BCLC stage and AFP in the paper's
//! direction. Nothing here is real patient data.
//!
//! Run: `cargo run --example make_cohort > examples/data/cohort.csv` (deterministic: fixed seed,
//! SplitMix64 and libm, so every platform writes the same bytes).
//!
//! # The model
//! - Clinical covariates: independent draws with the paper's Table 1 proportions (male 85 %,
//!   BCLC C 57 %, PVTT 27 %, AFP ≥ 400 ng/mL 36 %, ...); age N(57, 11) years; BMI N(23, 3.1);
//!   tumor diameter log-normal (median 6.6 cm); NLR and PLR log-normal (medians 2.4 and 121).
//! - True ECV: tumor N(0.29, 0.055), liver 0.29 + 0.2 · (tumor − 0.29) + N(0, 0.035) (so
//!   Spearman ρ ≈ 0.2 as in the paper), both clipped to [0.10, 0.60].
//! - Hematocrit N(0.38, 0.05) clipped to [0.22, 0.52]. Aorta 40 ± 4 HU unenhanced, enhancing by
//!   N(115, 18) HU (at least 50). Tumor 38 ± 5 HU and liver 55 ± 5 HU unenhanced; their
//!   equilibrium HU follow from ECV: ΔHU_tissue = ECV · ΔHU_blood / (1 − Hct).
//! - Survival (months): Weibull, shape 1.3, proportional hazards. Overall survival: log-HR −0.95
//!   for tumor ECV ≥ 0.272 (HR 0.39), +0.59 BCLC C, +0.72 AFP ≥ 400, +0.25 PVTT, +0.08 per NLR
//!   unit above 2.4; scale so that the median OS is about 13 months. Progression-free survival:
//!   log-HR −0.75 higher ECV, +0.53 BCLC C, +0.3 PVTT, +0.2 AFP; median about 7 months; PFS is
//!   capped at OS (progression cannot follow death). Times are rounded to 0.1 month, so ties
//!   occur as they do in real follow-up.
//! - Censoring: accrual uniform over 36 months with analysis at month 40, plus 5 % random loss to
//!   follow-up; a patient censored for OS is censored for PFS at the same time if not progressed.
//! - Phantoms: each patient's images are drawn at run time by the pipeline from the HU columns,
//!   the tumor radius and the noise seed (see examples/seed_paper.rs).

struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform on (0, 1).
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn bernoulli(&mut self, p: f64) -> u8 {
        u8::from(self.uniform() < p)
    }

    /// Standard normal by Box–Muller (libm for bit-identical results on every platform).
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        libm::sqrt(-2.0 * libm::log(u)) * libm::cos(2.0 * std::f64::consts::PI * v)
    }

    fn gauss(&mut self, mean: f64, sd: f64) -> f64 {
        mean + sd * self.normal()
    }

    /// Weibull time with the given shape, for a subject whose scale is `scale`.
    fn weibull(&mut self, shape: f64, scale: f64) -> f64 {
        scale * libm::pow(-libm::log(self.uniform()), 1.0 / shape)
    }
}

fn round_to(x: f64, step: f64) -> f64 {
    libm::round(x / step) * step
}

/// Weibull scale giving median `median` when the linear predictor is `lp_ref`:
/// median = scale · (ln 2)^(1/k); a hazard ratio exp(lp) divides the scale by exp(lp / k).
fn weibull_scale(median: f64, shape: f64, lp: f64, lp_ref: f64) -> f64 {
    median / libm::pow(std::f64::consts::LN_2, 1.0 / shape) / libm::exp((lp - lp_ref) / shape)
}

const HIGHER_TUMOR_ECV: f64 = 0.272;

fn main() {
    let mut rng = SplitMix64(0x00EC_F2025);
    println!(
        "id,cohort,age,sex_male,bmi,hbv,ici_pdl1,tki,tumor_diameter_cm,tumor_number_gt3,pvtt,\
         lymph_node,bclc_c,child_pugh_b,ecog_ge1,nlr,plr,afp_ge400,hematocrit,\
         true_tumor_ecv,true_liver_ecv,aorta_hu_unenhanced,aorta_hu_equilibrium,\
         tumor_hu_unenhanced,tumor_hu_equilibrium,liver_hu_unenhanced,liver_hu_equilibrium,\
         tumor_radius_mm,noise_sd_hu,phantom_seed,pfs_months,pfs_event,os_months,os_event"
    );
    for id in 1..=211u32 {
        let cohort = if id <= 151 { "training" } else { "validation" };
        let age = round_to(rng.gauss(57.0, 11.0).clamp(25.0, 85.0), 1.0);
        let sex_male = rng.bernoulli(0.854);
        let bmi = round_to(rng.gauss(23.0, 3.1).clamp(15.0, 35.0), 0.1);
        let hbv = rng.bernoulli(0.417);
        let ici_pdl1 = rng.bernoulli(0.066);
        let tki = rng.bernoulli(0.55);
        let diameter = round_to(
            libm::exp(rng.gauss(libm::log(6.6), 0.55)).clamp(1.0, 20.0),
            0.1,
        );
        let tumor_number_gt3 = rng.bernoulli(0.166);
        let pvtt = rng.bernoulli(0.272);
        let lymph_node = rng.bernoulli(0.232);
        let bclc_c = if pvtt == 1 || lymph_node == 1 {
            1
        } else {
            rng.bernoulli(0.3)
        };
        let child_pugh_b = rng.bernoulli(0.113);
        let ecog_ge1 = rng.bernoulli(0.238);
        let nlr = round_to(libm::exp(rng.gauss(libm::log(2.4), 0.5)), 0.01);
        let plr = round_to(libm::exp(rng.gauss(libm::log(121.3), 0.4)), 0.1);
        let afp_ge400 = rng.bernoulli(0.364);
        let hct = round_to(rng.gauss(0.38, 0.05).clamp(0.22, 0.52), 0.001);

        let tumor_ecv = rng.gauss(0.29, 0.055).clamp(0.10, 0.60);
        let liver_ecv = (0.29 + 0.2 * (tumor_ecv - 0.29) + rng.gauss(0.0, 0.035)).clamp(0.10, 0.60);
        let aorta_un = round_to(rng.gauss(40.0, 4.0), 0.1);
        let aorta_delta = rng.gauss(115.0, 18.0).max(50.0);
        let aorta_eq = round_to(aorta_un + aorta_delta, 0.1);
        let delta_blood = aorta_eq - aorta_un;
        let tumor_un = round_to(rng.gauss(38.0, 5.0), 0.1);
        let tumor_eq = round_to(tumor_un + tumor_ecv * delta_blood / (1.0 - hct), 0.1);
        let liver_un = round_to(rng.gauss(55.0, 5.0), 0.1);
        let liver_eq = round_to(liver_un + liver_ecv * delta_blood / (1.0 - hct), 0.1);
        let tumor_radius_mm = round_to((diameter * 10.0 / 2.0 * 0.6).clamp(6.0, 24.0), 0.1);
        let noise_sd = round_to(rng.gauss(12.0, 2.0).clamp(6.0, 20.0), 0.1);
        let phantom_seed = rng.next_u64() >> 12;

        let higher = f64::from(u8::from(tumor_ecv >= HIGHER_TUMOR_ECV));
        let (c, a, p) = (f64::from(bclc_c), f64::from(afp_ge400), f64::from(pvtt));
        let os_lp = -0.95 * higher + 0.59 * c + 0.72 * a + 0.25 * p + 0.08 * (nlr - 2.4);
        let pfs_lp = -0.75 * higher + 0.53 * c + 0.3 * p + 0.2 * a;
        // Reference predictors: the cohort's typical mix, so the medians land near the paper's.
        let os = rng.weibull(1.3, weibull_scale(13.5, 1.3, os_lp, 0.2));
        let pfs = rng
            .weibull(1.3, weibull_scale(7.0, 1.3, pfs_lp, 0.05))
            .min(os);
        let accrual = 36.0 * rng.uniform();
        let lost = if rng.uniform() < 0.05 {
            rng.uniform() * (40.0 - accrual)
        } else {
            f64::INFINITY
        };
        let follow_up = (40.0 - accrual).min(lost);
        let os_event = u8::from(os <= follow_up);
        let os_time = round_to(os.min(follow_up), 0.1).max(0.1);
        let pfs_event = u8::from(pfs <= follow_up);
        let pfs_time = round_to(pfs.min(follow_up), 0.1).max(0.1).min(os_time);

        println!(
            "{id},{cohort},{age},{sex_male},{bmi:.1},{hbv},{ici_pdl1},{tki},{diameter:.1},\
             {tumor_number_gt3},{pvtt},{lymph_node},{bclc_c},{child_pugh_b},{ecog_ge1},{nlr:.2},\
             {plr:.1},{afp_ge400},{hct:.3},{tumor_ecv:.4},{liver_ecv:.4},{aorta_un:.1},\
             {aorta_eq:.1},{tumor_un:.1},{tumor_eq:.1},{liver_un:.1},{liver_eq:.1},\
             {tumor_radius_mm:.1},{noise_sd:.1},{phantom_seed},{pfs_time:.1},{pfs_event},\
             {os_time:.1},{os_event}"
        );
    }
}
