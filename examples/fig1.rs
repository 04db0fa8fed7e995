//! The seed paper's Fig. 1 case from the Rust API: tumor ECV 38.48 %, liver ECV 28.07 %
//! (Fu et al., Sci Rep 2025). The paper does not print the HU values; these are chosen so that
//! the published ECVs come out (hematocrit 0.40; aorta 42 → 162 HU).
//!
//! Run: `cargo run --release --example fig1`

use ecvkit::ecv::{
    ct_ecv, ct_ecv_map, CtPhaseImages, EcvMapOptions, EcvOptions, Hematocrit, PhaseValues,
};

fn percent(x: f64) -> String {
    format!("{:.2} %", 100.0 * x)
}

fn main() -> Result<(), ecvkit::Status> {
    let hct = Hematocrit::measured(0.40)?;
    let aorta = PhaseValues {
        unenhanced: 42.0,
        equilibrium: 162.0,
    };
    let tumor = PhaseValues {
        unenhanced: 40.0,
        equilibrium: 116.96,
    };
    let liver = PhaseValues {
        unenhanced: 55.0,
        equilibrium: 111.14,
    };
    let options = EcvOptions::default();

    println!(
        "ecvkit {} — the seed paper's Fig. 1 case, from Rust",
        ecvkit::VERSION
    );
    println!(
        "hematocrit 0.40 (measured); aorta {:.0} → {:.0} HU",
        aorta.unenhanced, aorta.equilibrium
    );
    for (name, tissue, published) in [("tumor", tumor, "38.48 %"), ("liver", liver, "28.07 %")] {
        let ecv = ct_ecv(tissue, aorta, hct, &options)?;
        println!(
            "{name:6} {:6.2} → {:6.2} HU   ECV {}   (paper: {published})   flags: {:#x}",
            tissue.unenhanced,
            tissue.equilibrium,
            percent(ecv.fraction),
            ecv.flags.bits()
        );
    }

    // A percent where a fraction belongs is refused with its own status, never guessed.
    match Hematocrit::measured(40.0) {
        Err(status) => println!("hematocrit 40 → refused: {status}"),
        Ok(h) => println!("hematocrit 40 → accepted as {} (a bug)", h.fraction()),
    }

    // A 4 × 4 pixelwise map of the tumor with one noisy pixel and one missing value.
    let unenhanced = [40.0f32; 16];
    let mut equilibrium = [116.96f32; 16];
    equilibrium[5] = 30.0;
    equilibrium[10] = f32::NAN;
    let mut map = [0.0f32; 16];
    let images = CtPhaseImages {
        unenhanced: &unenhanced,
        equilibrium: &equilibrium,
        mask: None,
    };
    let summary = ct_ecv_map(
        images,
        aorta,
        hct,
        &options,
        &EcvMapOptions::default(),
        &mut map,
    )?;
    println!(
        "ECV map (%), NaN = not plausible or missing ({} pixels):",
        summary.invalid_pixels
    );
    for row in map.chunks_exact(4) {
        let cells: Vec<String> = row.iter().map(|v| format!("{:6.2}", 100.0 * v)).collect();
        println!("  {}", cells.join(" "));
    }
    Ok(())
}
