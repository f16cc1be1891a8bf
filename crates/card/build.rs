//! Gives the build an id of the code that decides what a card's markup looks like, so that
//! a server-rendered card is only hydrated by a widget built from the same rendering code
//! (see src/fingerprint.rs): a hash of every source file of this crate, and its stylesheet.
//! The server and both wasm builds of one checkout share it; a widget from another version
//! renders afresh instead of hydrating foreign markup. It also writes the card's stylesheet
//! as shipped (src/cssmin.rs).

use std::fs;
use std::path::{Path, PathBuf};

#[path = "src/cssmin.rs"]
mod cssmin;

/// Every file below `dir`, sorted: the order must not depend on the file system.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
    out.sort();
}

fn main() {
    let css = fs::read_to_string("src/card.css").expect("src/card.css is readable");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    fs::write(Path::new(&out).join("card.min.css"), cssmin::minify(&css))
        .expect("OUT_DIR is writable");

    // The whole crate's source: whatever it holds can change the markup. Each file is
    // named, and the folder too (a file added or removed).
    println!("cargo:rerun-if-changed=src");
    let mut sources = Vec::new();
    files(Path::new("src"), &mut sources);
    for file in &sources {
        println!("cargo:rerun-if-changed={}", file.display());
    }
    // FNV-1a over the files' names and bytes: stable, and enough to tell two versions apart.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in &sources {
        let name = file.to_string_lossy().replace('\\', "/");
        for byte in name.bytes().chain(fs::read(file).unwrap_or_default()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=ARTICLE_EMBED_RENDER_ID={hash:016x}");
}
