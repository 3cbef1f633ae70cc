//! Scenario parsing and validation must never panic, whatever the bytes:
//! every input is either a valid scenario or a clean error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if let Ok(sc) = fupin::scenario::Scenario::from_bytes(Path::new("fuzz.toml"), data) {
        // A valid scenario must also pass the memory estimate without overflow.
        let _ = fupin::memory::estimate(&sc, 2);
    }
});
