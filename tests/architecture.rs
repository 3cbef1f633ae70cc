//! Architecture invariants of `src/`, checked on the source text:
//!
//! - data flows one way: no module imports a module that imports it back
//!   (directly or through others);
//! - no function is longer than 100 lines.
//!
//! Module paths come from file paths (`src/mechanism/cash.rs` is
//! `mechanism::cash`). A module depends on another when its non-test code
//! names it through `crate::…`, `super::…` or, in a `mod.rs`, a child's
//! path; each path is resolved to the longest module it starts with. Test
//! modules (`#[cfg(test)]` to the end of a file) may use anything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `mechanism::cash` for `src/mechanism/cash.rs`; "" for `lib.rs` and `main.rs`.
fn module_of(file: &Path) -> String {
    let rel = file.strip_prefix(src()).unwrap().with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|s| s.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|l| l == "mod") {
        parts.pop();
    }
    if parts == ["lib"] || parts == ["main"] {
        parts.clear();
    }
    parts.join("::")
}

/// The code of a file without comments, up to its test module.
fn code(text: &str) -> String {
    let body = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    body.lines()
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with("//") {
                ""
            } else {
                l.split(" // ").next().unwrap_or("")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Expand a `use` tree (`a::{b, c::{d, self}}`) into paths.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap().trim().trim_end_matches("::self");
        return vec![path.to_string()];
    };
    let prefix = tree[..open].trim_end_matches("::");
    let inner = &tree[open + 1..tree.rfind('}').unwrap()];
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, ch) in inner.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .flat_map(|item| {
            expand(item).into_iter().map(|p| if p == "self" { prefix.to_string() } else { format!("{prefix}::{p}") })
        })
        .collect()
}

/// Every module path named by a module's code, made absolute.
fn references(module: &str, is_mod_rs: bool, code: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut paths = Vec::new();
    // `use` statements (possibly spanning lines, with nested braces).
    for stmt in code.split(';') {
        let s = stmt.trim();
        let s = s.strip_prefix("pub ").unwrap_or(s);
        let s = s.strip_prefix("pub(crate) ").unwrap_or(s);
        if let Some(tree) = s.strip_prefix("use ") {
            paths.extend(expand(tree));
        }
    }
    // Paths written inline.
    let bytes = code.as_bytes();
    for key in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(k) = code[from..].find(key) {
            let at = from + k;
            let boundary = at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
            let end = code[at..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .map_or(code.len(), |e| at + e);
            if boundary {
                paths.push(code[at..end].trim_end_matches(':').to_string());
            }
            from = end.max(at + key.len());
        }
    }
    let parent = |m: &str| m.rsplit_once("::").map_or(String::new(), |(p, _)| p.to_string());
    let mut out = BTreeSet::new();
    for p in paths {
        let mut segs: Vec<&str> = p.split("::").collect();
        let mut base = match segs.first() {
            Some(&"crate") => {
                segs.remove(0);
                String::new()
            }
            Some(&"super") => {
                let mut b = module.to_string();
                while segs.first() == Some(&"super") {
                    segs.remove(0);
                    b = parent(&b);
                }
                b
            }
            // A child module named from its parent's mod.rs (or lib.rs).
            Some(first) if is_mod_rs && modules.contains(&join(module, first)) => module.to_string(),
            _ => continue,
        };
        let mut target = base.clone();
        for s in segs {
            let next = join(&base, s);
            if modules.contains(&next) {
                target = next.clone();
                base = next;
            } else {
                break;
            }
        }
        if target != module {
            out.insert(target);
        }
    }
    out
}

fn join(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}::{b}")
    }
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.retain(|f| f.file_name().is_some_and(|n| n != "main.rs"));
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(f)).collect();
    files
        .iter()
        .map(|f| {
            let m = module_of(f);
            let is_mod_rs = f.file_name().is_some_and(|n| n == "mod.rs" || n == "lib.rs");
            let text = std::fs::read_to_string(f).unwrap();
            let refs = references(&m, is_mod_rs, &code(&text), &modules);
            (m, refs)
        })
        .collect()
}

/// A cycle through the graph, if there is one.
fn find_cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            match state.get(m.as_str()).copied().unwrap_or(0) {
                0 => {
                    if let Some(c) = visit(m, g, state, stack) {
                        return Some(c);
                    }
                }
                1 => {
                    let start = stack.iter().position(|s| s == m).unwrap();
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(m.clone());
                    return Some(cycle);
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in g.keys() {
        if state.get(n.as_str()).copied().unwrap_or(0) == 0 {
            if let Some(c) = visit(n, g, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let g = graph();
    if let Some(cycle) = find_cycle(&g) {
        let name = |m: &String| if m.is_empty() { "crate".to_string() } else { m.clone() };
        panic!("import cycle: {}", cycle.iter().map(name).collect::<Vec<_>>().join(" → "));
    }
}

#[test]
fn the_checker_sees_the_edges_that_matter() {
    // Guard the guard: known edges must be found, or the test above proves nothing.
    let g = graph();
    let has = |a: &str, b: &str| g.get(a).is_some_and(|s| s.contains(b));
    assert!(has("sim::month", "mechanism::cash"), "{:?}", g.get("sim::month"));
    assert!(has("mechanism::cash", "mechanism::budget"), "{:?}", g.get("mechanism::cash"));
    assert!(has("mechanism::package", "mechanism::inkind"));
    assert!(has("sim::state", "household"));
    assert!(has("app", "output"));
    assert!(!has("mechanism::cash", "sim::state"));
    let mut cyclic = g.clone();
    cyclic.get_mut("household").unwrap().insert("sim::state".into());
    assert!(find_cycle(&cyclic).is_some());
}

#[test]
fn no_function_is_longer_than_100_lines() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut long = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            let t = l.trim_start();
            let t = t.strip_prefix("pub(crate) ").or_else(|| t.strip_prefix("pub ")).unwrap_or(t);
            let t = t.strip_prefix("const ").unwrap_or(t);
            if !t.starts_with("fn ") {
                continue;
            }
            let indent = l.len() - l.trim_start().len();
            // The function ends at the first `}` at its own indentation (rustfmt's layout).
            let Some(end) = lines[i..]
                .iter()
                .position(|e| e.len() > indent && e[..indent].trim().is_empty() && e[indent..].starts_with('}'))
            else {
                continue;
            };
            if end + 1 > 100 {
                let name = t[3..].split(['(', '<']).next().unwrap_or("");
                long.push(format!("{}:{} {name} ({} lines)", f.display(), i + 1, end + 1));
            }
        }
    }
    assert!(long.is_empty(), "functions longer than 100 lines:\n{}", long.join("\n"));
}

/// Every field of a scenario section (`pub struct …File`) carries a doc
/// comment: a leaf field its unit, default and allowed range (as in
/// docs/scenario.md), a field holding a section or a list of them a pointer
/// (to docs/scenario.md, or docs/sweep.md for the sweep file).
#[test]
fn every_scenario_field_documents_its_unit_default_and_range() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut bare = Vec::new();
    let mut fields = 0;
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let mut section: Option<&str> = None;
        for (i, l) in lines.iter().enumerate() {
            if let Some(rest) = l.strip_prefix("pub struct ") {
                section = rest.strip_suffix(" {").filter(|n| n.ends_with("File"));
                continue;
            }
            if *l == "}" {
                section = None;
            }
            let (Some(s), Some(field)) = (section, l.strip_prefix("    pub ")) else { continue };
            let name = field.split(':').next().unwrap_or("");
            fields += 1;
            let docs: Vec<&str> = lines[..i]
                .iter()
                .rev()
                .take_while(|p| p.trim_start().starts_with("///") || p.trim_start().starts_with("#["))
                .filter(|p| p.trim_start().starts_with("///"))
                .copied()
                .collect();
            let text = docs.join(" ");
            let leaf = text.contains("Unit:") && text.contains("Default:") && text.contains("Allowed:");
            let container =
                text.contains("section") && (text.contains("docs/scenario.md") || text.contains("docs/sweep.md"));
            if !(leaf || container) {
                bare.push(format!("{}: {s}.{name}", f.display()));
            }
        }
    }
    assert!(fields > 150, "only {fields} fields found: is the parser still right?");
    assert!(bare.is_empty(), "fields without unit, default and range:\n{}", bare.join("\n"));
}
