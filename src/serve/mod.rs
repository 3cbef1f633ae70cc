//! `fupin serve`: a trainer's live page on a local web server.
//!
//! One page (embedded in the binary: no file and no CDN is fetched) lists
//! the shipped stories, shows each scenario's levers, and runs it: the page
//! posts the levers as `--set` overrides, and the server streams the
//! aggregates back (server-sent events) as replicates finish. A run is the
//! command line's run ([`crate::app::prepare`], the same [`Aggregate`]
//! folded in replicate order, the same `summary.json` numbers), so the page
//! shows the command that reproduces it.
//!
//! Bounds: request bodies of at most [`MAX_BODY`] bytes and [`MAX_SETS`]
//! overrides; one run per client (a page load), a new one stopping the
//! old; at most [`MAX_RUNS`] runs at once, which take turns step by step on
//! one rayon pool of `--threads` workers (so memory holds one step's
//! replicates, as `fupin run` holds one batch). A run's loop runs on its
//! own thread and never waits for its client: its progress goes into a
//! `watch` channel (the newest replaces the last), from which an async task
//! feeds the client's stream; the run stops soon after its client goes
//! away (at its next simulated month, or after the pre-policy year of the
//! replicates in progress, which does not look). Ctrl-C (or SIGTERM) stops every run, then the
//! server, waiting at most [`SHUTDOWN_GRACE`] for open streams.
//! This module knows HTTP; [`live`] and [`levers`] do not.

pub mod levers;
pub mod live;

use crate::error::{Error, Result};
use crate::scenario::Scenario;
use axum::extract::{DefaultBodyLimit, Path as UrlPath, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Largest request body, bytes.
pub const MAX_BODY: usize = 64 * 1024;
/// Most `--set` overrides in one run request.
pub const MAX_SETS: usize = 256;
/// Most runs at once, over all clients.
pub const MAX_RUNS: usize = 8;
/// How long Ctrl-C waits for open streams to close.
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// What `fupin serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// A scenario file listed first, beside the shipped ones.
    pub scenario: Option<PathBuf>,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Worker threads shared by every run [default: as `fupin run`].
    pub threads: Option<i64>,
    /// Most replicates one run may ask for.
    pub max_replicates: u32,
}

/// A scenario the page can run.
struct Story {
    name: String,
    /// The path `fupin run` takes (and messages name).
    file: String,
    /// The shipped text; `None` for the file given to `fupin serve`, read
    /// again for every run so that an edit shows without a restart.
    text: Option<&'static str>,
    /// For a shipped story not beside the server as `scenarios/NAME.toml`
    /// with the same bytes: the command writes it with `fupin init` first.
    init: bool,
    description: String,
    /// Its title and paragraph in both languages (`assets/serve/stories.json`), or null.
    story: Value,
}

impl Story {
    fn bytes(&self) -> Result<std::borrow::Cow<'static, [u8]>> {
        match self.text {
            Some(t) => Ok(t.as_bytes().into()),
            None => Ok(crate::scenario::read_input(Path::new(&self.file), "scenario")?.into()),
        }
    }
}

struct AppState {
    stories: Vec<Story>,
    pool: rayon::ThreadPool,
    /// Held for each step of a run: runs take turns on the pool, in the
    /// order they asked (tokio's mutex is fair).
    one_at_a_time: tokio::sync::Mutex<()>,
    threads: usize,
    max_replicates: u32,
    /// Each client's current run, by the stop flag that ends it; also
    /// guards `shutdown` against a run admitted while the server stops.
    clients: Mutex<BTreeMap<String, Arc<AtomicBool>>>,
    running: AtomicUsize,
    shutdown: AtomicBool,
}

type Shared = Arc<AppState>;

/// The page and its assets.
const INDEX: &str = include_str!("../../assets/serve/index.html");
const APP_JS: &str = include_str!("../../assets/serve/app.js");
const APP_CSS: &str = include_str!("../../assets/serve/app.css");
const I18N_JS: &str = include_str!("../../assets/serve/i18n.js");
const STORIES: &str = include_str!("../../assets/serve/stories.json");

fn stories(extra: Option<&Path>) -> Result<Vec<Story>> {
    let told: Value = serde_json::from_str(STORIES)
        .map_err(|e| Error::Other(format!("the built-in stories (assets/serve/stories.json) do not parse: {e}")))?;
    let mut out = Vec::new();
    if let Some(p) = extra {
        let bytes = crate::scenario::read_input(p, "scenario")?;
        let sc = Scenario::from_bytes(p, &bytes)?;
        let file = p.display().to_string();
        let (name, description) = (sc.name.clone(), sc.description.clone());
        out.push(Story { story: told[&name].clone(), name, file, text: None, init: false, description });
    }
    for (name, text) in crate::shipped::SHIPPED {
        if out.iter().any(|s| s.name == *name) {
            continue;
        }
        let beside = format!("scenarios/{name}.toml");
        let same = std::fs::read(&beside).is_ok_and(|b| b == text.as_bytes());
        out.push(Story {
            name: name.to_string(),
            file: if same { beside } else { format!("{name}.toml") },
            text: Some(text),
            init: !same,
            description: crate::shipped::description(text),
            story: told[*name].clone(),
        });
    }
    Ok(out)
}

/// Start the server and block until Ctrl-C or SIGTERM. `ready` is called
/// with the bound address once the server accepts connections.
pub fn serve(opts: &ServeOptions, ready: impl FnOnce(SocketAddr)) -> Result<()> {
    let threads = crate::app::thread_count(opts.threads)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Other(format!("cannot start {threads} threads: {e}")))?;
    let state = Arc::new(AppState {
        stories: stories(opts.scenario.as_deref())?,
        pool,
        one_at_a_time: tokio::sync::Mutex::new(()),
        threads,
        max_replicates: opts.max_replicates,
        clients: Mutex::new(BTreeMap::new()),
        running: AtomicUsize::new(0),
        shutdown: AtomicBool::new(false),
    });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("cannot start the server's runtime: {e}")))?;
    rt.block_on(async move {
        let addr = SocketAddr::new(opts.bind, opts.port);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| Error::Other(format!("cannot listen on {addr}: {e} (try another --port)")))?;
        let bound = listener.local_addr().map_err(|e| Error::Other(format!("no local address: {e}")))?;
        ready(bound);
        let app = router(state.clone());
        let (stopping, signal) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            stopped(state).await;
            let _ = stopping.send(true);
        });
        let (mut a, mut b) = (signal.clone(), signal);
        let server = axum::serve(listener, app).with_graceful_shutdown(async move {
            let _ = a.wait_for(|s| *s).await;
        });
        // Streams still open after the grace are cut.
        let deadline = async move {
            let _ = b.wait_for(|s| *s).await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        };
        tokio::select! {
            r = server => r.map_err(|e| Error::Other(format!("server failed: {e}"))),
            _ = deadline => Ok(()),
        }
    })?;
    // Streams still open after the runs have stopped are dropped here.
    rt.shutdown_timeout(std::time::Duration::from_secs(5));
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM, after telling every run to stop.
async fn stopped(state: Shared) {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    {
        let clients = state.clients.lock().unwrap_or_else(|e| e.into_inner());
        state.shutdown.store(true, Ordering::SeqCst);
        for flag in clients.values() {
            flag.store(true, Ordering::SeqCst);
        }
    }
    // A second Ctrl-C does not wait for the grace.
    tokio::spawn(async {
        if tokio::signal::ctrl_c().await.is_ok() {
            std::process::exit(130);
        }
    });
}

fn router(state: Shared) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/app.js", get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }))
        .route("/i18n.js", get(|| async { asset("text/javascript; charset=utf-8", I18N_JS) }))
        .route("/app.css", get(|| async { asset("text/css; charset=utf-8", APP_CSS) }))
        .route("/font.ttf", get(|| async { ([(header::CONTENT_TYPE, "font/ttf")], crate::chart::CJK_FONT_DATA) }))
        .route("/api/scenarios", get(scenarios))
        .route("/api/scenarios/{name}", get(scenario))
        .route("/api/run", post(run))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state)
}

fn asset(kind: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

/// The page's default language: Chinese when the browser prefers it.
pub fn language(accept: &str) -> &'static str {
    let mut best = ("", -1.0f64);
    for part in accept.split(',') {
        let mut it = part.split(';');
        let tag = it.next().unwrap_or("").trim();
        let q = it.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.trim().parse::<f64>().ok()).unwrap_or(1.0);
        if !tag.is_empty() && q > best.1 {
            best = (tag, q);
        }
    }
    if best.0.to_ascii_lowercase().starts_with("zh") {
        "zh"
    } else {
        "en"
    }
}

async fn index(headers: HeaderMap) -> Response {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let html = INDEX.replace("__LANG__", language(accept));
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

fn failure(status: StatusCode, message: String) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

async fn scenarios(State(state): State<Shared>) -> Response {
    let list: Vec<Value> = state
        .stories
        .iter()
        .map(|s| json!({ "name": s.name, "file": s.file, "description": s.description, "story": s.story }))
        .collect();
    Json(json!({ "scenarios": list, "max_replicates": state.max_replicates, "threads": state.threads })).into_response()
}

/// One scenario's arms, years and levers (read and parsed off the async
/// workers: a scenario file given to `fupin serve` is read from disk).
async fn scenario(State(state): State<Shared>, UrlPath(name): UrlPath<String>) -> Response {
    tokio::task::spawn_blocking(move || describe(&state, &name))
        .await
        .unwrap_or_else(|e| failure(StatusCode::INTERNAL_SERVER_ERROR, format!("the scenario could not be read: {e}")))
}

fn describe(state: &AppState, name: &str) -> Response {
    let Some(story) = state.stories.iter().find(|s| s.name == name) else {
        return failure(StatusCode::NOT_FOUND, format!("no scenario named {name:?}"));
    };
    let sc = match story.bytes().and_then(|b| Scenario::from_bytes(Path::new(&story.file), &b)) {
        Ok(sc) => sc,
        Err(e) => return failure(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
    };
    let resolved: Value = match crate::output::resolved_scenario(&sc).map(|b| serde_json::from_slice(&b)) {
        Ok(Ok(v)) => v,
        _ => return failure(StatusCode::INTERNAL_SERVER_ERROR, "cannot resolve the scenario".into()),
    };
    let units: BTreeMap<&str, &str> = resolved["markets"]["commodities"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| Some((c["name"].as_str()?, c["unit"].as_str()?)))
        .collect();
    let arms: Vec<Value> = sc.arms.iter().map(|a| json!({ "name": a.name, "description": a.description })).collect();
    Json(json!({
        "name": sc.name,
        "file": story.file,
        "start_year": sc.start_year,
        "years": sc.years,
        "replicates": sc.replicates,
        "seed": sc.seed,
        "households": sc.population.households,
        "arms": arms,
        "units": units,
        "levers": levers::levers(&resolved),
    }))
    .into_response()
}

/// A run request: the scenario, the levers as `--set PATH=VALUE` texts, and
/// the replicates and seed, as on the command line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RunRequest {
    client: String,
    scenario: String,
    #[serde(default)]
    sets: Vec<String>,
    replicates: Option<i64>,
    seed: Option<u64>,
}

fn valid_client(c: &str) -> bool {
    (1..=64).contains(&c.len()) && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
}

/// Validate a request into the scenario to run and its command.
fn prepare(state: &AppState, req: &RunRequest) -> std::result::Result<(Scenario, String), String> {
    let bad = |m: String| Err(m);
    if !valid_client(&req.client) {
        return bad("client: 1 to 64 letters, digits, '-' or '_'".into());
    }
    if req.sets.len() > MAX_SETS {
        return bad(format!("sets: {} overrides; at most {MAX_SETS}", req.sets.len()));
    }
    let Some(story) = state.stories.iter().find(|s| s.name == req.scenario) else {
        return bad(format!("no scenario named {:?}", req.scenario));
    };
    let file = Path::new(&story.file);
    let sc = match story.bytes().and_then(|b| crate::app::prepare(file, Some(&b), &req.sets, req.replicates, req.seed))
    {
        Ok(sc) => sc,
        Err(e) => return bad(e.to_string()),
    };
    if sc.replicates > state.max_replicates {
        let e = Error::Flag {
            flag: "--replicates",
            value: sc.replicates.to_string(),
            allowed: format!("an integer in [1, {}] on this page (fupin serve --max-replicates)", state.max_replicates),
        };
        return bad(e.to_string());
    }
    if let Err(e) = crate::memory::check(&sc, state.threads) {
        return bad(e.to_string());
    }
    let init = story.init.then_some(story.name.as_str());
    let command = live::command(&story.file, init, &req.sets, sc.replicates, sc.seed);
    Ok((sc, command))
}

/// Sets its flag when dropped: the end of the task feeding a client's
/// stream (client gone, or run over) stops the simulation.
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// A run's place among the running: given back when dropped, even when the
/// run panics.
struct Slot {
    state: Shared,
    client: String,
    flag: Arc<AtomicBool>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut clients = self.state.clients.lock().unwrap_or_else(|e| e.into_inner());
        if clients.get(&self.client).is_some_and(|f| Arc::ptr_eq(f, &self.flag)) {
            clients.remove(&self.client);
        }
        self.state.running.fetch_sub(1, Ordering::SeqCst);
    }
}

/// What a run has to tell its client so far: the last step's progress and,
/// once over, how it ended.
#[derive(Clone, Default)]
struct Told {
    steps: u64,
    progress: Option<Arc<str>>,
    end: Option<(&'static str, Arc<str>)>,
}

fn event(name: &str, data: &str) -> Event {
    Event::default().event(name).data(data)
}

/// Admit a run of `client`: stop its previous run, refuse when the server
/// stops or is full. Returns the new run's slot.
fn admit(state: &Shared, client: &str) -> std::result::Result<Slot, (StatusCode, String)> {
    let mut clients = state.clients.lock().unwrap_or_else(|e| e.into_inner());
    if state.shutdown.load(Ordering::SeqCst) {
        return Err((StatusCode::SERVICE_UNAVAILABLE, "the server is stopping".into()));
    }
    // A client's new run replaces its old one even when the server is full:
    // the old one stops at its next month and gives its place back.
    let replacing = clients.remove(client).map(|old| old.store(true, Ordering::SeqCst)).is_some();
    if !replacing && state.running.load(Ordering::SeqCst) >= MAX_RUNS {
        return Err((StatusCode::SERVICE_UNAVAILABLE, format!("busy: {MAX_RUNS} runs in progress; try again")));
    }
    let flag = Arc::new(AtomicBool::new(false));
    clients.insert(client.to_string(), flag.clone());
    state.running.fetch_add(1, Ordering::SeqCst);
    Ok(Slot { state: state.clone(), client: client.to_string(), flag })
}

async fn run(State(state): State<Shared>, Json(req): Json<RunRequest>) -> Response {
    // Off the async workers: a scenario file given to `fupin serve` is read from disk.
    let (sc, command, req) = {
        let state = state.clone();
        match tokio::task::spawn_blocking(move || prepare(&state, &req).map(|(sc, c)| (sc, c, req))).await {
            Ok(Ok(x)) => x,
            Ok(Err(message)) => return failure(StatusCode::BAD_REQUEST, message),
            Err(e) => return failure(StatusCode::INTERNAL_SERVER_ERROR, format!("the run could not be prepared: {e}")),
        }
    };
    let slot = match admit(&state, &req.client) {
        Ok(slot) => slot,
        Err((status, message)) => return failure(status, message),
    };
    let stop = slot.flag.clone();
    let start = live::started(&sc, &command).to_string();
    let (told, news) = tokio::sync::watch::channel(Told::default());
    // The slot goes with the thread: given back when it ends, however.
    tokio::task::spawn_blocking(move || simulate(&sc, &slot.state, &slot.flag, &told));
    let (tx, rx) = tokio::sync::mpsc::channel::<Event>(2);
    tokio::spawn(feed(news, tx, start, StopOnDrop(stop)));
    let stream = tokio_stream::StreamExt::map(tokio_stream::wrappers::ReceiverStream::new(rx), Ok::<Event, Infallible>);
    Sse::new(stream).keep_alive(KeepAlive::default()).into_response()
}

/// A run's loop, on its own thread: steps on the shared pool, each step's
/// view into `told` (never waiting for the client), then how it ended.
fn simulate(sc: &Scenario, state: &AppState, stop: &AtomicBool, told: &tokio::sync::watch::Sender<Told>) {
    let total = sc.replicates;
    let step = live::step(total, state.threads);
    let result = live::simulate(sc, (&state.pool, &state.one_at_a_time), step, stop, |done, summary| {
        let progress: Arc<str> = json!({ "done": done, "total": total, "summary": summary }).to_string().into();
        told.send_modify(|t| {
            t.steps += 1;
            t.progress = Some(progress);
        });
        Ok(())
    });
    let end = match result {
        Ok(_) => ("done", json!({ "done": total, "total": total })),
        Err(Error::Interrupted { .. }) => ("cancelled", json!({})),
        Err(e) => ("error", json!({ "error": e.to_string() })),
    };
    told.send_modify(|t| t.end = Some((end.0, end.1.to_string().into())));
}

/// Feed a client's stream from its run: the start, each newest progress,
/// the end. Returns (and so stops the run) when the client goes away.
async fn feed(
    mut news: tokio::sync::watch::Receiver<Told>,
    tx: tokio::sync::mpsc::Sender<Event>,
    start: String,
    _stop: StopOnDrop,
) {
    if tx.send(event("start", &start)).await.is_err() {
        return;
    }
    let mut seen = 0;
    loop {
        let now = news.borrow_and_update().clone();
        if now.steps > seen {
            seen = now.steps;
            if let Some(p) = &now.progress {
                if tx.send(event("progress", p)).await.is_err() {
                    return;
                }
            }
        }
        if let Some((name, data)) = &now.end {
            let _ = tx.send(event(name, data)).await;
            return;
        }
        tokio::select! {
            changed = news.changed() => {
                if changed.is_err() {
                    // The run's thread ended without an end: it panicked.
                    let e = json!({ "error": "the run stopped unexpectedly; see the server's terminal" });
                    let _ = tx.send(event("error", &e.to_string())).await;
                    return;
                }
            }
            _ = tx.closed() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_the_default_when_the_browser_prefers_it() {
        assert_eq!(language("zh-CN,zh;q=0.9,en;q=0.8"), "zh");
        assert_eq!(language("en-US,en;q=0.9,zh-CN;q=0.8"), "en");
        assert_eq!(language("en;q=0.5, zh-TW"), "zh");
        assert_eq!(language(""), "en");
    }

    /// The keys of one language's table in `i18n.js`.
    fn keys(lang: &str) -> std::collections::BTreeSet<String> {
        let start = I18N_JS.find(&format!("\n  {lang}: {{")).expect("the language's table");
        let body = &I18N_JS[start..];
        let body = &body[..body.find("\n  },").expect("its end")];
        body.lines()
            .skip(2)
            .filter_map(|l| {
                let l = l.trim();
                let key = l.split_once(':')?.0.trim();
                (!key.is_empty() && !key.starts_with("//")).then(|| key.trim_matches('"').to_string())
            })
            .collect()
    }

    #[test]
    fn both_languages_have_every_string_and_every_lever_a_label() {
        for s in stories(None).expect("the built-in stories parse") {
            for k in ["title_en", "title_zh", "en", "zh"] {
                assert!(s.story[k].as_str().is_some_and(|t| !t.is_empty()), "{}: no {k} story", s.name);
            }
        }
        let (zh, en) = (keys("zh"), keys("en"));
        assert!(zh.len() > 80, "{} keys", zh.len());
        assert_eq!(zh, en, "the two languages' tables differ");
        for (name, text) in crate::shipped::SHIPPED {
            let sc = Scenario::from_bytes(Path::new(name), text.as_bytes()).expect("a shipped scenario loads");
            let resolved: Value = serde_json::from_slice(&crate::output::resolved_scenario(&sc).unwrap()).unwrap();
            for l in levers::levers(&resolved) {
                let (head, rest) = l.key.split_once('.').unwrap();
                let label = if head == "share" || head == "transition" {
                    assert!(zh.contains(&format!("p.{rest}")), "{name}: no name for policy {rest}");
                    format!("lever.{head}")
                } else {
                    format!("lever.{}", l.key)
                };
                assert!(zh.contains(&label), "{name}: no label {label} for {}", l.path);
                for c in &l.choices {
                    assert!(zh.contains(&format!("choice.{c}")), "{name}: no label for choice {c}");
                }
            }
        }
    }

    #[test]
    fn client_ids_are_short_and_plain() {
        assert!(valid_client("a1-b_2"));
        assert!(!valid_client(""));
        assert!(!valid_client("a b"));
        assert!(!valid_client(&"x".repeat(65)));
    }
}
