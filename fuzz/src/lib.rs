//! Helpers shared by the fuzz targets: replaying inputs without libFuzzer, on the stable
//! toolchain.

use std::path::Path;

pub mod emulator;

/// Runs `target` on every file named on the command line (directories are walked one level).
pub fn replay_args(target: fn(&[u8])) {
    for arg in std::env::args().skip(1) {
        let n = replay_path(Path::new(&arg), target);
        eprintln!("{arg}: {n} inputs replayed");
    }
}

/// Runs `target` on the file at `path`, or on every file in it if it is a directory. Returns how
/// many inputs ran.
pub fn replay_path(path: &Path, target: fn(&[u8])) -> usize {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        entries.sort();
        entries
            .iter()
            .filter(|p| p.is_file())
            .map(|p| replay_path(p, target))
            .sum()
    } else {
        match std::fs::read(path) {
            Ok(data) => {
                target(&data);
                1
            }
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                0
            }
        }
    }
}

/// A small deterministic generator for random inputs in the replay test.
#[derive(Debug)]
pub struct Xorshift(pub u64);

impl Xorshift {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// `len` random bytes, biased toward JSON punctuation so that more inputs reach the parser's
    /// interesting branches.
    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        const JSONISH: &[u8] = b"{}[]\":,0123456789-.eEtrufalsn idstaumeorvcbp\\";
        (0..len)
            .map(|_| {
                let r = self.next_u64();
                if r % 3 == 0 {
                    (r >> 8) as u8
                } else {
                    JSONISH[(r >> 8) as usize % JSONISH.len()]
                }
            })
            .collect()
    }
}
