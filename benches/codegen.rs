//! Codegen time (issue 7, section 3): `cloudbackup_codegen::generate` over the real spec tree
//! plus 10, 100 and 1000 synthetic actions (written by this bench into `target/`).
//!
//! Run with `cargo bench --bench codegen`; results in `BENCHMARKS.md`. With
//! `SYNTH_TREE=<dir> SYNTH_ACTIONS=<n>` set it only writes that tree and exits (used by
//! `benches/scripts/compile-time.sh actions`). With `CODEGEN_TREES=<dir>,<dir>,...` set it
//! times whole spec trees side by side instead: `ROUNDS` rounds (default 5), each generating
//! every tree in turn `RUNS` times (default 5), and prints per tree and round the median time
//! of `generate` (all services) and the bytes it generates (Rust and docs), as TSV. Built in
//! the bench profile (optimised) by `cargo bench`; `cargo bench --profile dev` gives the
//! unoptimised generator that `build.rs` runs inside `cargo build`.

#[path = "support/synth.rs"]
mod synth;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use cloudbackup_codegen::{Settings, generate};
use criterion::{BenchmarkId, Criterion};

/// `CODEGEN_TREES` mode: whole trees, interleaved, median of `RUNS` per round.
#[expect(
    clippy::disallowed_methods,
    reason = "a benchmark measures wall time; the library never reads the clock"
)]
fn compare_trees(trees: &str) {
    let var = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let (rounds, runs) = (var("ROUNDS", 5), var("RUNS", 5));
    let trees: Vec<&str> = trees.split(',').filter(|t| !t.is_empty()).collect();
    println!("tree\tround\tmedian ms\trust bytes\tdocs bytes\tfiles");
    for round in 1..=rounds {
        for tree in &trees {
            let settings = Settings::new(tree);
            let mut times = Vec::new();
            let mut last = None;
            for _ in 0..runs {
                let start = std::time::Instant::now();
                let g = generate(&settings).unwrap_or_else(|f| panic!("{tree}: {}", f.rendered));
                times.push(start.elapsed());
                last = Some(black_box(g));
            }
            times.sort();
            let g = last.expect("RUNS > 0");
            let bytes = |rust: bool| -> usize {
                g.files
                    .iter()
                    .filter(|(name, _)| name.ends_with(".rs") == rust)
                    .map(|(_, text)| text.len())
                    .sum()
            };
            println!(
                "{tree}\t{round}\t{:.1}\t{}\t{}\t{}",
                times[times.len() / 2].as_secs_f64() * 1000.0,
                bytes(true),
                bytes(false),
                g.files.len()
            );
        }
    }
}

fn main() {
    if let Ok(trees) = std::env::var("CODEGEN_TREES") {
        compare_trees(&trees);
        return;
    }
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
