//! Criterion benches (fixed seeds). CI compiles and smoke-runs them with
//! `cargo test --all-targets`; timing is done by hand, see docs/PERFORMANCE.md.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use fupin::metrics;
use fupin::scenario::Scenario;
use fupin::sim::{self, MonthSink, Replicate, State};
use std::path::Path;

fn township(households: usize) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/township.toml");
    let mut sc = Scenario::load(&path).expect("shipped scenario");
    sc.population.households = households;
    sc
}

/// One policy month of the cash arm.
fn month(c: &mut Criterion) {
    let mut g = c.benchmark_group("month");
    for n in [1_000usize, 100_000] {
        let sc = township(n);
        let rep = Replicate::new(&sc, 0);
        let (state, _) = sim::pre_policy_year(&rep);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            let mut s: State = state.clone();
            let mut sink = MonthSink { wanted: true, ..Default::default() };
            let mut t = 12;
            b.iter(|| {
                sim::step_month(&rep, Some(&sc.arms[1]), &mut s, t, &mut sink);
                sink.monthly.clear();
                sink.market.clear();
                t = 12 + (t + 1 - 12) % 12;
            })
        });
    }
    g.finish();
}

/// A whole township replicate: 10,700 households, pre-policy year plus 6
/// years of 3 arms; and the same with its members fixed (no `[demography]`).
fn replicate(c: &mut Criterion) {
    let sc = township(10_700);
    let mut fixed = sc.clone();
    fixed.demography = None;
    let mut g = c.benchmark_group("replicate");
    g.sample_size(10);
    g.throughput(Throughput::Elements((sc.population.households * sc.months() as usize * sc.arms.len()) as u64));
    g.bench_function("township", |b| b.iter(|| sim::run_replicate(&sc, 0)));
    g.bench_function("township_fixed_members", |b| b.iter(|| sim::run_replicate(&fixed, 0)));
    g.finish();
}

/// The demographic schedule of a township replicate (`[demography]`):
/// 10,700 households, the founding and 6 years, per household-year.
fn demography(c: &mut Criterion) {
    let sc = township(10_700);
    let rep = Replicate::new(&sc, 0);
    let d = sc.demography.as_ref().expect("the township has demography");
    let mut g = c.benchmark_group("demography");
    g.sample_size(10);
    g.throughput(Throughput::Elements((sc.population.households * (sc.years as usize + 1)) as u64));
    g.bench_function("schedule_township", |b| {
        b.iter(|| fupin::mechanism::demography::Demography::build(d, &rep.world, sc.years as usize))
    });
    g.finish();
}

/// FGT, sort and Gini over 10^6 households.
fn poverty_metrics(c: &mut Criterion) {
    let n: u64 = 1_000_000;
    // Incomes scattered by a multiplicative hash (no overflow: u64).
    let y: Vec<f32> = (0..n).map(|i| ((i * 2_654_435_761) % 100_003) as f32 * 0.1).collect();
    let w: Vec<u8> = (0..n).map(|i| 1 + (i % 6) as u8).collect();
    let mut g = c.benchmark_group("metrics");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n));
    g.bench_function("fgt_gini_1e6", |b| {
        let mut order = Vec::new();
        let mut scratch = metrics::RadixScratch::default();
        b.iter(|| {
            let f = metrics::fgt(&y, &w, 5000.0);
            metrics::sort_order(&mut order, &y, &mut scratch);
            f.gap + metrics::gini(&order, &y, &w)
        })
    });
    g.finish();
}

criterion_group!(benches, month, replicate, demography, poverty_metrics);
criterion_main!(benches);
