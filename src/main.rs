//! The `fupin` binary: a thin shell over [`fupin::cli`].

use std::io::Write;

fn main() {
    if let Err(e) = fupin::cli::main_with_args(std::env::args()) {
        // A closed or full stderr must not turn an error into a panic.
        let _ = writeln!(std::io::stderr(), "error: {e}");
        std::process::exit(e.exit_code());
    }
}
