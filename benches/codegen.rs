//! Codegen time (issue 7, section 3): `cloudbackup_codegen::generate` over the real spec tree
//! plus 10, 100 and 1000 synthetic actions (written by this bench into `target/`).
//!
//! Run with `cargo bench --bench codegen`; results in `BENCHMARKS.md`. With
//! `SYNTH_TREE=<dir> SYNTH_ACTIONS=<n>` set it only writes that tree and exits (used by
//! `benches/scripts/generated-build-time.sh`).

#[path = "support/synth.rs"]
mod synth;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use cloudbackup_codegen::{Settings, generate};
use criterion::{BenchmarkId, Criterion};

fn main() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs");
    if let (Some(dir), Some(n)) = (
        std::env::var_os("SYNTH_TREE"),
        std::env::var_os("SYNTH_ACTIONS"),
    ) {
        let n: usize = n
            .to_string_lossy()
            .parse()
            .expect("SYNTH_ACTIONS is a number");
        synth::write_tree(&specs, Path::new(&dir), n).expect("write synthetic tree");
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-synth");
    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    let mut g = c.benchmark_group("codegen/generate");
    for n in [10usize, 100, 1000] {
        let dir = root.join(format!("n{n}"));
        synth::write_tree(&specs, &dir, n).expect("write synthetic tree");
        let settings = Settings::new(&dir);
        // Fail fast (and show why) if the synthetic tree is not a valid spec tree.
        if let Err(f) = generate(&settings) {
            panic!(
                "synthetic tree with {n} actions is invalid:\n{}",
                f.rendered
            );
        }
        g.bench_with_input(BenchmarkId::from_parameter(n), &settings, |b, s| {
            b.iter(|| black_box(generate(s).map(|g| g.files.len()).ok()))
        });
    }
    g.finish();
    c.final_summary();
}
