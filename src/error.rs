//! Error types.
//!
//! Library errors are `thiserror` enums whose messages tell the user what to
//! fix. The exit-code mapping lives here so
//! that the CLI and its tests agree on it: 2 for bad input (scenario file or
//! flags), 130 when stopped by a signal, 1 for anything else.

use std::fmt;
use std::path::PathBuf;

/// One problem with one scenario field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    /// Dotted path, e.g. `arms[1].policies.cash.budget_share`.
    pub path: String,
    /// The offending value as written.
    pub value: String,
    /// What would have been accepted.
    pub allowed: String,
    /// 1-based line and column in the file, when known.
    pub at: Option<(usize, usize)>,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some((line, col)) => {
                write!(f, "line {line}, column {col}: {} = {}: {}", self.path, self.value, self.allowed)
            }
            None => write!(f, "{} = {}: {}", self.path, self.value, self.allowed),
        }
    }
}

/// Everything that can go wrong in fupin.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {what} {path}: {source}")]
    Read { what: &'static str, path: PathBuf, source: std::io::Error },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{path}: {} invalid field(s):\n{}", errors.len(), list(errors))]
    Invalid { path: PathBuf, errors: Vec<FieldError> },
    #[error("invalid option {flag} = {value}: {allowed}")]
    Flag { flag: &'static str, value: String, allowed: String },
    #[error("output folder {path} already holds files; pass --force to replace it, or choose another --out")]
    OutputExists { path: PathBuf },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("stopped by a signal before the run finished; nothing was written to {path}")]
    Interrupted { path: PathBuf },
    #[error("{0}")]
    Other(String),
}

fn list(errors: &[FieldError]) -> String {
    errors.iter().map(|e| format!("  - {e}")).collect::<Vec<_>>().join("\n")
}

impl Error {
    /// Process exit code: 2 for bad input, 1 for other failures.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Read { .. }
            | Error::Parse { .. }
            | Error::Invalid { .. }
            | Error::Flag { .. }
            | Error::OutputExists { .. } => 2,
            Error::Interrupted { .. } => 130,
            Error::Write { .. } | Error::Other(_) => 1,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
