//! The trainer's page (`fupin serve`) in a real browser: Debian's Chromium,
//! headless, driven through ChromeDriver (WebDriver) with `fantoccini`.
//!
//! The test installs Chromium itself with `.ci/chromium.sh` (Debian's
//! `chromium` and `chromium-driver`, when absent; needs root as on the CI
//! machines) and fails, never skips, without it. It loads the page, reads
//! the numbers it shows and checks them against `fupin run` with the command
//! the page prints, moves a slider and waits for the new run, provokes a
//! validation error, switches to Chinese and to projector mode, and saves
//! screenshots (in `target/tmp/browser/`), checked to be more than a blank
//! page.

mod common;

use common::Running;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Chromium's flags on these machines (no sandbox as root, no GPU, and no
/// background connections, which the closed network refuses).
const FLAGS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1800",
];

/// Kills the Chromium of this test's profile when dropped: ChromeDriver,
/// killed, leaves its browser behind.
struct Profile(PathBuf);

impl Drop for Profile {
    fn drop(&mut self) {
        let _ = Command::new("pkill").arg("-f").arg(format!("--user-data-dir={}", self.0.display())).status();
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("an address").port()
}

fn chromedriver() -> (Running, String) {
    let out = Command::new("bash").arg(root().join(".ci/chromium.sh")).output().expect("bash runs");
    assert!(
        out.status.success(),
        "Chromium is not installed (.ci/chromium.sh needs root and Debian's packages):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let port = free_port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let up = (0..200).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    assert!(up, "chromedriver did not listen on port {port}");
    (Running(child), format!("http://127.0.0.1:{port}"))
}

async fn browser(driver: &str, profile: &Path) -> Client {
    let mut args: Vec<String> = FLAGS.iter().map(|s| s.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), json!({ "binary": "/usr/bin/chromium", "args": args }));
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(driver)
        .await
        .expect("a Chromium session")
}

/// How many runs the page has finished.
async fn runs(c: &Client) -> u32 {
    let v = c.execute("return Number(document.body.dataset.runs || 0);", vec![]).await.expect("the script runs");
    v.as_u64().expect("a count") as u32
}

/// Wait until the page has finished `runs` runs and is idle.
async fn finished(c: &Client, runs: u32) {
    let wanted = runs.to_string();
    c.wait()
        .at_most(Duration::from_secs(120))
        .for_element(Locator::Css(&format!("body[data-state='done'][data-runs='{wanted}']")))
        .await
        .unwrap_or_else(|e| panic!("run {runs} did not finish: {e}"));
}

async fn text(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).text().await.expect("text")
}

/// The numbers the page shows, by (arm, field): the whole-run comparisons
/// and the final year's table, with full precision from `data-value`.
async fn shown(c: &Client) -> Vec<(String, String, f64)> {
    let script = r##"
        const out = [];
        for (const td of document.querySelectorAll("#whole td[data-field], #year-table td[data-metric]")) {
          if (td.dataset.value === "") continue;
          out.push([td.dataset.arm, td.dataset.field || ("year." + td.dataset.metric), Number(td.dataset.value)]);
        }
        return out;"##;
    let v = c.execute(script, vec![]).await.expect("the script runs");
    v.as_array()
        .expect("a list")
        .iter()
        .map(|r| (r[0].as_str().unwrap().into(), r[1].as_str().unwrap().into(), r[2].as_f64().unwrap()))
        .collect()
}

/// Run the page's command line (`fupin run …`, its words as printed, none
/// quoted here) and read its summary.json.
fn cli(command: &str, out: &Path) -> Value {
    assert!(!command.contains('\''), "a quoted word: {command}");
    let words: Vec<&str> = command.split_whitespace().collect();
    assert_eq!(words[..2], ["fupin", "run"], "{command}");
    let status = Command::new(env!("CARGO_BIN_EXE_fupin"))
        .args(&words[1..])
        .args(["--out", out.to_str().unwrap(), "--force", "--quiet", "--no-charts"])
        .current_dir(root())
        .status()
        .expect("fupin runs");
    assert!(status.success(), "{command}");
    serde_json::from_slice(&std::fs::read(out.join("summary.json")).expect("summary.json")).expect("JSON")
}

/// Every number the page shows equals the command line's.
fn same_as_cli(page: &[(String, String, f64)], summary: &Value, year_index: usize) {
    assert!(page.len() >= 8, "too few numbers on the page: {page:?}");
    for (arm, field, v) in page {
        let want = if let Some(metric) = field.strip_prefix("year.") {
            let a = summary["arms"].as_array().unwrap().iter().find(|a| a["name"] == arm.as_str()).unwrap();
            let block = if year_index == 0 { &a["initial"] } else { &a["years"][year_index - 1] };
            block[metric]["mean"].as_f64()
        } else {
            let c = summary["comparisons"].as_array().unwrap().iter().find(|c| c["arm"] == arm.as_str()).unwrap();
            c[field.as_str()].get("mean").unwrap_or(&c[field.as_str()]).as_f64()
        };
        assert_eq!(want, Some(*v), "{arm} {field}: page {v}, command line {want:?}");
    }
}

/// A screenshot that is more than a blank page: many colours, and much of
/// it not background.
fn check_screenshot(png_bytes: &[u8], path: &Path) {
    std::fs::write(path, png_bytes).expect("the screenshot is saved");
    let decoder = png::Decoder::new(png_bytes);
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let px = info.color_type.samples();
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(px).collect();
    let background = pixels.iter().filter(|p| p[..3].iter().all(|&c| c >= 245)).count();
    let mut colours: Vec<[u8; 3]> = pixels.iter().map(|p| [p[0] & 0xf0, p[1] & 0xf0, p[2] & 0xf0]).collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(colours.len() > 20, "{}: only {} colours", path.display(), colours.len());
    assert!(background < pixels.len() * 97 / 100, "{}: almost all background", path.display());
}

#[test]
fn the_trainers_page_works_in_a_real_browser() {
    let (_driver, driver_url) = chromedriver();
    let (_server, url) = common::serve(&[]);
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&shots).expect("a folder for screenshots");
    let work = tempfile::tempdir().expect("a temporary folder");
    let _browser = Profile(work.path().join("profile"));
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    rt.block_on(async {
        let c = browser(&driver_url, &work.path().join("profile")).await;
        c.goto(&format!("{url}?lang=en&replicates=4")).await.expect("the page loads");
        finished(&c, 1).await;
        assert_eq!(text(&c, "h1").await, "fupin: poverty-alleviation policy");

        // The page's numbers are the command line's, with the command it prints.
        let command = text(&c, "#command").await;
        assert!(command.starts_with("fupin run scenarios/township.toml --replicates 4 --seed "), "{command}");
        let first = shown(&c).await;
        same_as_cli(&first, &cli(&command, &work.path().join("cli1")), 0);
        check_screenshot(&c.screenshot().await.expect("a screenshot"), &shots.join("page_en.png"));

        // Move the budget slider down ten steps: a new run, new numbers, the same as the CLI's.
        let slider = c.find(Locator::Css("input[data-lever='budget.yearly']")).await.expect("the budget slider");
        slider.click().await.expect("the slider takes focus");
        for _ in 0..10 {
            slider.send_keys(&Key::Left.to_string()).await.expect("a key press");
        }
        // The run of the last key press (ten steps of 100,000 yuan down) starts, then finishes;
        // a run of an earlier press, if one started, is stopped or over by then.
        c.wait()
            .at_most(Duration::from_secs(120))
            .for_element(Locator::XPath("//code[@id='command' and contains(., '--set budget.yearly=5000000')]"))
            .await
            .expect("the command names the moved lever");
        c.wait()
            .at_most(Duration::from_secs(120))
            .for_element(Locator::Css("body[data-state='done']"))
            .await
            .expect("the new run finishes");
        let command = text(&c, "#command").await;
        let moved = shown(&c).await;
        assert_ne!(first, moved, "the numbers did not change after the slider moved");
        same_as_cli(&moved, &cli(&command, &work.path().join("cli2")), 0);

        // The year play control moves the table to the last year; its numbers are the CLI's too.
        c.execute("document.getElementById('year').value = 6; document.getElementById('year').dispatchEvent(new Event('input'));", vec![])
            .await
            .expect("the year moves");
        assert_eq!(text(&c, "#year-value").await, "2020");
        same_as_cli(&shown(&c).await, &cli(&command, &work.path().join("cli2")), 6);

        // A share above 1 shows the command line's validation message on the page.
        let share = c
            .find(Locator::Css("input[data-lever='arms.cash.policies.cash.budget_share']"))
            .await
            .expect("the cash share slider");
        share.click().await.expect("focus");
        share.send_keys(&Key::End.to_string()).await.expect("a key press");
        let error = c
            .wait()
            .at_most(Duration::from_secs(60))
            .for_element(Locator::Css("#error:not([hidden]) #error-text"))
            .await
            .expect("the error shows");
        let message = error.text().await.expect("text");
        let out = Command::new(env!("CARGO_BIN_EXE_fupin"))
            .args(["validate", "scenarios/township.toml", "--set", "arms.cash.policies.cash.budget_share=1"])
            .current_dir(root())
            .output()
            .expect("fupin validate runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(message.contains("arms[1].policies.*.budget_share = 1.02"), "{message}");
        for line in message.lines() {
            assert!(stderr.contains(line.trim()), "page: {line:?}\ncommand line: {stderr}");
        }

        // Chinese: the title, a chart caption, a Chinese story; then projector mode.
        let before = runs(&c).await;
        c.find(Locator::Id("reset")).await.expect("reset").click().await.expect("click");
        finished(&c, before + 1).await;
        c.find(Locator::Id("lang")).await.expect("the language toggle").click().await.expect("click");
        assert_eq!(text(&c, "h1").await, "扶贫政策模拟");
        assert_eq!(text(&c, "figure figcaption").await, "贫困发生率（%）");
        assert!(text(&c, "#story").await.contains("乡"), "the story is in Chinese");
        assert!(text(&c, "#headline").await.contains("贫困人年"), "the headline is in Chinese");
        check_screenshot(&c.screenshot().await.expect("a screenshot"), &shots.join("page_zh.png"));
        c.find(Locator::Id("projector")).await.expect("projector").click().await.expect("click");
        let size: f64 = c
            .execute("return parseFloat(getComputedStyle(document.body).fontSize);", vec![])
            .await
            .expect("a size")
            .as_f64()
            .expect("a number");
        assert!(size >= 22.0, "projector type is {size} px");
        check_screenshot(&c.screenshot().await.expect("a screenshot"), &shots.join("page_zh_projector.png"));

        // The play control walks the years to the last.
        c.find(Locator::Id("year")).await.expect("the year slider");
        c.execute("document.getElementById('year').value = 0; document.getElementById('year').dispatchEvent(new Event('input'));", vec![])
            .await
            .expect("back to the first year");
        c.find(Locator::Id("play")).await.expect("the play button").click().await.expect("click");
        c.wait()
            .at_most(Duration::from_secs(60))
            .for_element(Locator::XPath("//output[@id='year-value' and text()='2020']"))
            .await
            .expect("the play control reaches the last year");
        assert!(text(&c, "#year-title").await.contains("2020"), "the year's table follows the play control");

        // A second tab runs its own scenario.
        c.new_window(true).await.expect("a new tab");
        let tabs = c.windows().await.expect("tabs");
        c.switch_to_window(tabs[1].clone()).await.expect("the new tab");
        c.goto(&format!("{url}?lang=zh&replicates=2&scenario=funding_delay")).await.expect("the page loads");
        finished(&c, 1).await;
        assert!(text(&c, "#command").await.contains("scenarios/funding_delay.toml"));
        c.close().await.expect("the session closes");
    });
}
