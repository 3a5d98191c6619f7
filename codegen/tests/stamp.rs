//! `stamp`: a build-script run is skipped only when every input reads as at the last run.
//! Works on a copy of the fixture spec tree, as `build.rs` does on `specs/`.

use std::fs::{File, FileTimes};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use cloudbackup_codegen::load::{Input, InputKind};
use cloudbackup_codegen::stamp::{Stamp, key};
use cloudbackup_codegen::{Generated, Settings, generate, write_if_changed};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dst = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dst);
        } else {
            std::fs::copy(entry.path(), &dst).unwrap();
        }
    }
}

/// A fresh copy of the fixture tree, an output directory and a manifest, under `name`.
struct Work {
    specs: PathBuf,
    out: PathBuf,
    manifest: PathBuf,
}

impl Work {
    fn new(name: &str) -> Work {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("stamp-{name}"));
        let _ = std::fs::remove_dir_all(&dir);
        let specs = dir.join("specs");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lifecycle"),
            &specs,
        );
        let out = dir.join("out");
        std::fs::create_dir_all(&out).unwrap();
        let manifest = dir.join("Cargo.toml");
        std::fs::write(&manifest, "[features]\nfixture-widgets = []\n").unwrap();
        Work {
            specs,
            out,
            manifest,
        }
    }

    fn settings(&self) -> Settings {
        Settings::new(&self.specs)
    }

    fn key(&self) -> u64 {
        key(&self.settings(), &[&self.manifest]).expect("every input of the key reads")
    }

    /// One build-script run: generate, write, record.
    fn run(&self) -> Stamp {
        let key = self.key();
        let generated = generate(&self.settings()).map_err(|f| f.rendered).unwrap();
        Stamp::remove(&self.out).unwrap();
        write_if_changed(&self.out, &generated).unwrap();
        let stamp = Stamp::new(key, &generated);
        assert!(stamp.save(&self.out).unwrap(), "the stamp is written");
        stamp
    }

    /// Whether the stamp in the output directory lets the next run skip generation.
    fn skips(&self) -> bool {
        Stamp::load(&self.out).is_some_and(|s| s.is_current(self.key(), &self.out))
    }

    fn spec(&self, rel: &str) -> PathBuf {
        self.specs.join("fixture/widgets").join(rel)
    }
}

fn touch(path: &Path) {
    let later = SystemTime::UNIX_EPOCH + Duration::from_secs(4_000_000_000);
    // Opened for reading: directories too, and the owner may set the times.
    File::open(path)
        .unwrap()
        .set_times(FileTimes::new().set_modified(later))
        .unwrap();
}

#[test]
fn a_saved_stamp_loads_as_saved() {
    let work = Work::new("roundtrip");
    let stamp = work.run();
    assert_eq!(Stamp::load(&work.out), Some(stamp.clone()));
    assert!(
        stamp
            .read()
            .iter()
            .any(|i| i.path.ends_with("CreateWidget.yaml")),
        "{:?}",
        stamp.read()
    );
    // A stamp this version cannot read is no stamp.
    let file = work.out.join(Stamp::FILE);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("\nout ", "\nexit ")).unwrap();
    assert_eq!(Stamp::load(&work.out), None);
    Stamp::remove(&work.out).unwrap();
    Stamp::remove(&work.out).unwrap();
    assert_eq!(Stamp::load(&work.out), None);
}

#[test]
fn a_touch_skips_and_an_edit_generates() {
    let work = Work::new("touch");
    work.run();
    assert!(work.skips(), "nothing changed");

    touch(&work.spec("CreateWidget.yaml"));
    touch(&work.specs);
    assert!(work.skips(), "only modification times changed");

    // A dot-file is not read by the loader, so it changes nothing.
    std::fs::write(work.spec(".CreateWidget.yaml.swp"), "x").unwrap();
    assert!(
        work.skips(),
        "a dot-file is ignored, as the loader ignores it"
    );

    let spec = work.spec("CreateWidget.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(&spec, format!("{text}\n# a comment\n")).unwrap();
    assert!(!work.skips(), "a file's bytes changed");
    work.run();
    assert!(work.skips(), "regenerated");

    std::fs::write(&spec, &text).unwrap();
    assert!(!work.skips(), "changed back is a change too");
}

#[test]
fn a_new_file_a_lost_output_or_another_key_generates() {
    let work = Work::new("listing");
    work.run();

    std::fs::write(work.spec("NOTES.txt"), "not a spec").unwrap();
    assert!(!work.skips(), "a directory's listing changed");
    std::fs::remove_file(work.spec("NOTES.txt")).unwrap();
    assert!(work.skips(), "the listing is as recorded again");

    let page = work.out.join("fixture/widgets.rs");
    let code = std::fs::read_to_string(&page).unwrap();
    std::fs::remove_file(&page).unwrap();
    assert!(!work.skips(), "a generated file is missing");
    std::fs::write(&page, code).unwrap();
    assert!(work.skips());

    let stamp = Stamp::load(&work.out).unwrap();
    let mut settings = work.settings();
    settings.services = Some(["fixture-widgets".to_owned()].into());
    let other = key(&settings, &[&work.manifest]).unwrap();
    assert_ne!(other, work.key(), "the settings are in the key");
    assert!(!stamp.is_current(other, &work.out));

    std::fs::write(&work.manifest, "[features]\n").unwrap();
    assert!(!work.skips(), "the manifest's bytes are in the key");
    assert_eq!(key(&work.settings(), &[&work.out.join("absent")]), None);
}

#[test]
fn paths_with_spaces_and_warnings_survive_a_round_trip() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("stamp-spaces");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    let generated = Generated {
        files: [("a b/c d.rs".to_owned(), String::new())].into(),
        read: vec![
            Input {
                path: PathBuf::from("my specs/a dir"),
                kind: InputKind::Dir,
                digest: Some(7),
            },
            Input {
                path: PathBuf::from("my specs/a dir/X Y.yaml"),
                kind: InputKind::File,
                digest: None,
            },
        ],
        warnings: vec!["specs/a.yaml:1:2: field `A B` has no doc [W0401]".to_owned()],
    };
    let stamp = Stamp::new(42, &generated);
    assert!(stamp.save(&out).unwrap());
    let loaded = Stamp::load(&out).expect("the stamp loads");
    assert_eq!(loaded, stamp);
    assert_eq!(loaded.read(), generated.read.as_slice());
    assert_eq!(loaded.warnings(), generated.warnings.as_slice());

    // A warning over two lines cannot be kept: nothing is written, the next run generates.
    Stamp::remove(&out).unwrap();
    let mut two_lines = generated;
    two_lines.warnings.push("one\ntwo".to_owned());
    assert!(!Stamp::new(42, &two_lines).save(&out).unwrap());
    assert_eq!(Stamp::load(&out), None);
}
