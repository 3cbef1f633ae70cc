//! The `fupin` binary: a thin shell over [`fupin::cli`].

fn main() {
    if let Err(e) = fupin::cli::main_with_args(std::env::args()) {
        eprintln!("error: {e}");
        std::process::exit(e.exit_code());
    }
}
