//! Property tests over generated *valid* scenarios: variations of the
//! township with random seeds, wages, shocks, shares, targeting errors,
//! leakage, diversion, delays, an in-kind arm, the enterprise as a firm or
//! the fixed model, and the local economy's share and price response.
//! Whatever the draw: no
//! panic, the books balance, every rate and share lies in [0, 1], and money
//! is finite. 24 cases of a few hundred households keep it to seconds.

mod common;

use common::*;
use fupin::sim as engine;
use proptest::prelude::*;

fn scenario(p: &Params) -> String {
    let mut text = township_text_with(&[
        ("households", &p.households.to_string()),
        ("years", &p.years.to_string()),
        ("seed", &p.seed.to_string()),
        ("local_wage", &format!("{:.3}", p.local_wage)),
        ("acute_illness_prob", &format!("{:.4}", p.acute)),
        ("diversion", &format!("{:.3}", p.diversion)),
        ("leakage", &format!("{:.3}", p.leakage)),
        ("budget_share", &format!("{:.3}", p.cash_share)),
        ("production", if p.firm { "\"firm\"" } else { "\"fixed\"" }),
        ("local_share", &format!("{:.3}", p.local_share)),
        ("price_response", &format!("{:.3}", p.price_response)),
    ]);
    text = text.replace(
        "[budget]",
        &format!("[targeting]\nexclusion_error = {:.3}\ninclusion_error = {:.3}\n\n[budget]", p.exclusion, p.inclusion),
    );
    text.push_str(&format!(
        "\n[[arms]]\nname = \"piglets\"\n[arms.policies.inkind]\nbudget_share = 0.9\nitems = [\"pig\"]\nunits = 2\nunit_cost = 900\nprocurement = \"{}\"\ntransfer_month = 2\n[arms.delivery]\ndelay_months = {}\nlate_funds = \"{}\"\nring_fenced = {}\n",
        ["central", "village", "household"][p.procurement],
        p.delay,
        if p.lost { "lost" } else { "rollover" },
        p.ring_fenced
    ));
    text
}

#[derive(Debug, Clone)]
struct Params {
    households: usize,
    years: u32,
    seed: u64,
    local_wage: f64,
    acute: f64,
    diversion: f64,
    leakage: f64,
    cash_share: f64,
    exclusion: f64,
    inclusion: f64,
    procurement: usize,
    delay: u32,
    lost: bool,
    ring_fenced: bool,
    firm: bool,
    local_share: f64,
    price_response: f64,
}

fn params() -> impl Strategy<Value = Params> {
    (
        (50usize..500, 1u32..4, 0..i64::MAX as u64, 300.0f64..4000.0, 0.0f64..0.2),
        (0.0f64..1.0, 0.0f64..1.0, 0.0f64..0.98, 0.0f64..0.6, 0.0f64..0.6),
        (0usize..3, 0u32..12, any::<bool>(), any::<bool>()),
        (any::<bool>(), 0.0f64..1.0, 0.0f64..2.0),
    )
        .prop_map(
            |(
                (households, years, seed, local_wage, acute),
                (diversion, leakage, cash_share, exclusion, inclusion),
                (procurement, delay, lost, ring_fenced),
                (firm, local_share, price_response),
            )| Params {
                households,
                years,
                seed,
                local_wage,
                acute,
                diversion,
                leakage,
                cash_share,
                exclusion,
                inclusion,
                procurement,
                delay,
                lost,
                ring_fenced,
                firm,
                local_share,
                price_response,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn valid_scenarios_run_balance_their_books_and_stay_in_range(p in params()) {
        let sc = parse(&scenario(&p));
        let names = sc.yearly_names();
        let rep = engine::run_replicate(&sc, 0);
        for (arm, out) in sc.arms.iter().zip(&rep.arms) {
            let l = &out.ledger;
            prop_assert!(l.imbalance().abs() <= 1e-6 * l.budget.max(1.0), "{}: imbalance {}", arm.name, l.imbalance());
            prop_assert!(l.sinks().iter().all(|&x| x.is_finite() && x >= -1e-6 * l.budget.max(1.0)), "{}: {:?}", arm.name, l.sinks());
            for row in &out.yearly {
                for (name, &x) in names.iter().zip(row) {
                    let bounded = name.contains("rate") || name.contains("share") || name == "gini"
                        || name.contains("error") || name == "livestock_mortality" || name == "handouts_liquidated";
                    if bounded && x.is_finite() {
                        prop_assert!((-1e-9..=1.0 + 1e-9).contains(&x), "{}: {name} = {x}", arm.name);
                    }
                    let money = name.contains("income") || name.contains("spent") || name.starts_with("to_") || name == "unspent";
                    if money {
                        prop_assert!(x.is_finite(), "{}: {name} = {x}", arm.name);
                    }
                }
            }
            for m in &out.monthly {
                prop_assert!(m.iter().all(|x| x.is_finite()), "{}: monthly {m:?}", arm.name);
            }
        }
    }
}

/// The fuzz seed corpus (and any crash inputs later added to it) replays
/// through parsing and validation without a panic.
#[test]
fn the_fuzz_seed_corpus_replays_without_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let _ = fupin::scenario::Scenario::from_bytes(std::path::Path::new("seed"), &bytes);
        n += 1;
    }
    assert!(n >= 5, "only {n} seeds");
}
