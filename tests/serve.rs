//! `fupin serve` over HTTP, without a browser: limits, validation messages,
//! one run per client, clients side by side, Ctrl-C. (`tests/browser.rs`
//! drives the page itself in Chromium.)

mod common;

use common::Running;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

struct Server {
    child: Running,
    addr: String,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn serve(extra: &[&str]) -> Server {
    let (child, url) = common::serve(extra);
    let addr = url.trim_start_matches("http://").trim_end_matches('/').to_string();
    Server { child, addr }
}

/// An HTTP/1.1 response: status, headers (lower-case names) and a reader
/// of its body, de-chunked.
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    reader: BufReader<TcpStream>,
}

fn request(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Response {
    let mut s = TcpStream::connect(addr).expect("the server accepts");
    s.set_read_timeout(Some(Duration::from_secs(300))).unwrap();
    let mut head =
        format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) before it has read a large body.
    let _ = s.write_all(body);
    let mut reader = BufReader::new(s);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let status = line.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or_else(|| panic!("{line}"));
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if line.trim().is_empty() {
            break;
        }
        let (k, v) = line.split_once(':').unwrap();
        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
    }
    Response { status, headers, reader }
}

impl Response {
    fn chunked(&self) -> bool {
        self.headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
    }

    /// The next piece of the body, or None at its end.
    fn piece(&mut self) -> Option<Vec<u8>> {
        if !self.chunked() {
            let mut all = Vec::new();
            self.reader.read_to_end(&mut all).ok()?;
            return (!all.is_empty()).then_some(all);
        }
        let mut line = String::new();
        if self.reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let size = usize::from_str_radix(line.trim(), 16).ok()?;
        if size == 0 {
            return None;
        }
        let mut buf = vec![0; size + 2];
        self.reader.read_exact(&mut buf).ok()?;
        buf.truncate(size);
        Some(buf)
    }

    fn text(mut self) -> String {
        let mut all = Vec::new();
        while let Some(p) = self.piece() {
            all.extend(p);
        }
        String::from_utf8(all).unwrap()
    }

    /// The next server-sent event: (name, data).
    fn event(&mut self, pending: &mut String) -> Option<(String, Value)> {
        loop {
            if let Some(cut) = pending.find("\n\n") {
                let chunk: String = pending.drain(..cut + 2).collect();
                let mut name = String::new();
                let mut data = String::new();
                for line in chunk.lines() {
                    if let Some(n) = line.strip_prefix("event:") {
                        name = n.trim().into();
                    } else if let Some(d) = line.strip_prefix("data:") {
                        data.push_str(d.trim());
                    }
                }
                if !data.is_empty() {
                    return Some((name, serde_json::from_str(&data).unwrap()));
                }
                continue;
            }
            let p = self.piece()?;
            pending.push_str(&String::from_utf8(p).unwrap());
        }
    }

    /// Read events until `last` or the end; return them all.
    fn events_until(&mut self, pending: &mut String, last: &[&str]) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        while let Some(e) = self.event(pending) {
            let stop = last.contains(&e.0.as_str());
            out.push(e);
            if stop {
                break;
            }
        }
        out
    }
}

fn run(addr: &str, body: &str) -> Response {
    request(addr, "POST", "/api/run", &[("Content-Type", "application/json")], body.as_bytes())
}

#[test]
fn a_body_over_the_limit_is_refused() {
    let s = serve(&[]);
    let big = format!(r#"{{"client":"a","scenario":"township","sets":["{}"]}}"#, "x".repeat(100 * 1024));
    assert_eq!(run(&s.addr, &big).status, 413);
}

#[test]
fn bad_levers_get_the_command_line_s_message() {
    let s = serve(&[]);
    let r = run(&s.addr, r#"{"client":"a","scenario":"township","sets":["arms.cash.policies.cash.budget_share=2"]}"#);
    assert_eq!(r.status, 400);
    let message = serde_json::from_str::<Value>(&r.text()).unwrap()["error"].as_str().unwrap().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_fupin"))
        .args(["validate", "scenarios/township.toml", "--set", "arms.cash.policies.cash.budget_share=2"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), format!("error: {message}\n"));
    assert!(message.contains("budget_share = 2"), "{message}");

    let r = run(&s.addr, r#"{"client":"a","scenario":"township","replicates":100000}"#);
    assert_eq!(r.status, 400);
    assert!(r.text().contains("--replicates = 100000"));
    let r = run(&s.addr, r#"{"client":"a b","scenario":"township"}"#);
    assert_eq!(r.status, 400);
    let r = run(&s.addr, r#"{"client":"a","scenario":"nowhere"}"#);
    assert_eq!(r.status, 400);
    assert!(r.text().contains("no scenario named"));
}

#[test]
fn a_new_run_from_the_same_client_stops_the_old_one_and_clients_run_side_by_side() {
    let s = serve(&[]);
    let mut old = run(&s.addr, r#"{"client":"tab1","scenario":"township","replicates":200}"#);
    assert_eq!(old.status, 200);
    let mut pending = String::new();
    assert_eq!(old.event(&mut pending).expect("a start event").0, "start");
    // Another client's run goes on beside it.
    let mut other = run(&s.addr, r#"{"client":"tab2","scenario":"funding_delay","replicates":2}"#);
    // The same client's new run stops the old one.
    let mut new = run(&s.addr, r#"{"client":"tab1","scenario":"funding_delay","replicates":2}"#);
    let old_events = old.events_until(&mut pending, &["done", "cancelled", "error"]);
    assert_eq!(old_events.last().map(|e| e.0.as_str()), Some("cancelled"), "{old_events:?}");
    let done = |r: &mut Response| {
        let ev = r.events_until(&mut String::new(), &["done", "cancelled", "error"]);
        assert_eq!(ev.last().map(|e| e.0.as_str()), Some("done"), "{ev:?}");
        let last = ev.iter().rev().find(|e| e.0 == "progress").expect("progress").1.clone();
        assert_eq!(last["done"], 2);
        last["summary"].clone()
    };
    let a = done(&mut new);
    let b = done(&mut other);
    // Runs take turns step by step: a short run started after a long one ends while the long
    // one is still going (its client's next run then finds it unfinished and stops it).
    let mut long = run(&s.addr, r#"{"client":"tab3","scenario":"township","replicates":200}"#);
    let mut pending = String::new();
    assert_eq!(long.event(&mut pending).expect("a start event").0, "start");
    let mut short = run(&s.addr, r#"{"client":"tab4","scenario":"funding_delay","replicates":2}"#);
    done(&mut short);
    let _next = run(&s.addr, r#"{"client":"tab3","scenario":"funding_delay","replicates":1}"#);
    let rest = long.events_until(&mut pending, &["done", "cancelled", "error"]);
    assert_eq!(rest.last().map(|e| e.0.as_str()), Some("cancelled"), "the long run ended before the short one");
    // Same settings, same numbers, whichever client and whatever ran beside them.
    assert_eq!(a, b);
}

#[test]
fn ctrl_c_stops_the_runs_and_the_server() {
    let mut s = serve(&[]);
    let mut r = run(&s.addr, r#"{"client":"a","scenario":"township","replicates":200}"#);
    let mut pending = String::new();
    assert_eq!(r.event(&mut pending).expect("a start event").0, "start");
    let pid = s.child.0.id().to_string();
    assert!(Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
    let ev = r.events_until(&mut pending, &["done", "cancelled", "error"]);
    assert_eq!(ev.last().map(|e| e.0.as_str()), Some("cancelled"), "{ev:?}");
    let mut status = None;
    for _ in 0..600 {
        if let Some(st) = s.child.0.try_wait().unwrap() {
            status = Some(st);
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let status = status.expect("the server exits after Ctrl-C");
    assert!(status.success(), "{status:?}");
}

#[test]
fn the_page_speaks_the_browser_s_language_and_lists_the_given_scenario_first() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("mine.toml");
    let text = std::fs::read_to_string(root().join("scenarios/funding_delay.toml")).unwrap();
    std::fs::write(&mine, text.replace("name = \"funding_delay\"", "name = \"mine\"")).unwrap();
    let s = serve(&[mine.to_str().unwrap()]);
    let zh = request(&s.addr, "GET", "/", &[("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8")], b"").text();
    assert!(zh.contains("<html lang=\"zh\">"));
    let en = request(&s.addr, "GET", "/", &[("Accept-Language", "en-GB,en")], b"").text();
    assert!(en.contains("<html lang=\"en\">"));
    let list: Value = serde_json::from_str(&request(&s.addr, "GET", "/api/scenarios", &[], b"").text()).unwrap();
    let names: Vec<&str> = list["scenarios"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names[0], "mine");
    assert!(names.contains(&"township") && names.contains(&"pseudostellaria_crash"));
    let ps: Value =
        serde_json::from_str(&request(&s.addr, "GET", "/api/scenarios/pseudostellaria_replay", &[], b"").text())
            .unwrap();
    let prices: Vec<&Value> =
        ps["levers"].as_array().unwrap().iter().filter(|l| l["key"] == "commodity.scripted_price").collect();
    assert_eq!(prices.len(), 3, "one lever per scripted price");
    assert_eq!(ps["units"]["pseudostellaria"], "jin");
    // Every asset is served from the binary.
    for path in ["/app.js", "/i18n.js", "/app.css", "/font.ttf"] {
        assert_eq!(request(&s.addr, "GET", path, &[], b"").status, 200, "{path}");
    }
}

#[test]
fn a_bad_scenario_file_stops_serve_with_the_command_line_s_message() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    let text = std::fs::read_to_string(root().join("scenarios/funding_delay.toml")).unwrap();
    std::fs::write(&bad, text.replace("households = ", "households = -")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_fupin")).args(["serve", "--port", "0"]).arg(&bad).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let validate = Command::new(env!("CARGO_BIN_EXE_fupin")).arg("validate").arg(&bad).output().unwrap();
    assert_eq!(stderr, String::from_utf8_lossy(&validate.stderr));
    assert!(stderr.contains("population.households"), "{stderr}");
}
