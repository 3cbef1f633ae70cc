//! Households that change over the years (`[demography]`, docs/ODD.md 7.40):
//! the calibration holds, the township's population stays plausible over ten
//! years, the books of people balance, every arm has the same people, and
//! the composition moves labour and poverty.

mod common;

use common::{load_set, runs, township};
use fupin::mechanism::demography::Demography;
use fupin::sim::Replicate;

/// The pre-policy year, and with it the calibration (tests/model.rs), is the
/// same with or without demography; the first policy year is not.
#[test]
fn the_pre_policy_year_is_the_same_with_or_without_demography() {
    let on = township();
    let off = load_set("township.toml", &["demography.enabled=false"]);
    assert!(on.demography.is_some() && off.demography.is_none());
    for r in 0..3 {
        let bits = |row: Vec<f64>| row.into_iter().map(f64::to_bits).collect::<Vec<_>>();
        assert_eq!(bits(fupin::sim::initial_row(&on, r)), bits(fupin::sim::initial_row(&off, r)), "replicate {r}");
    }
    let people = |sc: &fupin::scenario::Scenario| {
        let out = fupin::sim::run_replicate_with(sc, 0, false);
        let col = sc.yearly_names().iter().position(|n| n == "people").unwrap();
        out.arms[0].yearly.iter().map(|row| row[col]).collect::<Vec<_>>()
    };
    let (with, without) = (people(&on), people(&off));
    assert_eq!(with[0], without[0]);
    assert!(without.iter().all(|&p| p == without[0]), "members never change without demography");
    assert!(with[1..].iter().all(|&p| p != with[0]), "they change with it: {with:?}");
}

/// The township over ten years (the 2015–2024 variant): in every year of
/// every one of 3 replicates, the people add up (last year's, plus births
/// and brides, less deaths, daughters married out and students gone to
/// college), the crude birth and death rates are those of rural China
/// (births 5–20 and deaths 4–12 per 1,000; China 2015: about 12 and 7), the
/// population moves by less than 10% in all, and the age structure stays in
/// plausible bounds: elderly 10–30%, children 12–40%.
#[test]
fn the_township_stays_plausible_over_ten_years() {
    let sc = load_set("township.toml", &["meta.years=10"]);
    let d = sc.demography.as_ref().unwrap();
    for rep in 0..3 {
        let r = Replicate::new(&sc, rep);
        let schedule = Demography::build(d, &r.world, 10);
        let census: Vec<[f64; 4]> = schedule
            .years
            .iter()
            .map(|y| {
                let sum = |f: fn(&fupin::household::Traits) -> u8| y.traits.iter().map(|t| f(t) as f64).sum::<f64>();
                [sum(|t| t.size), sum(|t| t.adults), sum(|t| t.elderly), sum(|t| t.children)]
            })
            .collect();
        for (k, y) in schedule.years.iter().enumerate().skip(1) {
            let e = y.events;
            let (before, now) = (census[k - 1][0], census[k][0]);
            let change = e.births as f64 + e.brides as f64 - (e.deaths + e.married_out + e.college) as f64;
            assert_eq!(now - before, change, "replicate {rep}, year {k}: {e:?}");
            let (births, deaths) = (1000.0 * e.births as f64 / before, 1000.0 * e.deaths as f64 / before);
            assert!((5.0..=20.0).contains(&births), "year {k}: {births:.1} births per 1,000");
            assert!((4.0..=12.0).contains(&deaths), "year {k}: {deaths:.1} deaths per 1,000");
            let [people, adults, elderly, children] = census[k];
            assert_eq!(people, adults + elderly + children, "every member is of one age group");
            assert!((0.10..=0.30).contains(&(elderly / people)), "year {k}: elderly {}", elderly / people);
            assert!((0.12..=0.40).contains(&(children / people)), "year {k}: children {}", children / people);
        }
        let change = census[10][0] / census[0][0] - 1.0;
        assert!(change.abs() < 0.10, "population change {change}");
        if rep == 0 {
            for (k, [people, adults, elderly, children]) in census.iter().enumerate().step_by(5) {
                println!(
                    "{}: {people} people, working age {:.3}, elderly {:.3}, children {:.3}",
                    2014 + k,
                    adults / people,
                    elderly / people,
                    children / people
                );
            }
        }
    }
}

/// Every arm has the same people every year (the schedule is drawn by
/// household and year, never by arm), so paired differences stay policy
/// alone; under fixed allocation, where no arm moves anyone, the same
/// adults away too (each arm maps its own column into the new slots).
#[test]
fn every_arm_has_the_same_people() {
    let sc = load_set("township.toml", &["labour.allocation=\"fixed\""]);
    let names = sc.yearly_names();
    let cols: Vec<usize> = ["people", "working_age_share", "children_share", "migrant_share"]
        .iter()
        .map(|m| names.iter().position(|n| n == m).unwrap())
        .collect();
    for out in runs(&sc, 2) {
        let of = |arm: &fupin::sim::ArmOutcome| -> Vec<Vec<f64>> {
            arm.yearly.iter().map(|row| cols.iter().map(|&c| row[c]).collect()).collect()
        };
        let first = of(&out.arms[0]);
        assert!(first[6][3] != first[0][3], "adults away change with the members");
        for arm in &out.arms[1..] {
            assert_eq!(of(arm), first);
        }
    }
}

/// A household whose last member dies (many, with every member over 60
/// dying within the year) is not an exit: the poor count's flows balance
/// exactly with the poor who died out, no household is counted twice, and
/// the books balance in every arm.
#[test]
fn households_that_die_out_leave_the_register_and_the_counts() {
    let deadly = format!("[{}]", [vec!["0.0"; 13], vec!["1.0"; 6]].concat().join(","));
    let sc = load_set(
        "township.toml",
        &[format!("demography.mortality_male={deadly}"), format!("demography.mortality_female={deadly}")],
    );
    let names = sc.yearly_names();
    let at = |n: &str| names.iter().position(|m| m == n).unwrap();
    let mut died_out = 0.0;
    for out in runs(&sc, 2) {
        for arm in &out.arms {
            let y = &arm.yearly;
            for t in 1..y.len() {
                let change = y[t][at("poor_households")] - y[t - 1][at("poor_households")];
                let flows =
                    y[t][at("reentries")] + y[t][at("new_entrants")] - y[t][at("exits")] - y[t][at("poor_died_out")];
                assert_eq!(change, flows, "year {t}");
                assert!(y[t][at("winners_share")] + y[t][at("losers_share")] <= 1.0);
                died_out += y[t][at("poor_died_out")];
            }
            assert!(arm.ledger.imbalance().abs() <= 1e-6 * arm.ledger.budget.max(1.0));
        }
    }
    assert!(died_out > 100.0, "poor households that died out: {died_out}");
}

/// 超生致贫: with three times the births, more people are poor over the
/// whole run in the arm without a budget, in each of 4 replicates (paired:
/// same households, same draws otherwise), and the need and the care the
/// babies bring lower labour (a higher children share).
#[test]
fn more_births_bring_more_poverty() {
    let base = township();
    let fertility = base.demography.as_ref().unwrap().fertility.map(|f| (3.0 * f).min(1.0));
    let list = fertility.iter().map(|f| f.to_string()).collect::<Vec<_>>().join(",");
    let high = load_set("township.toml", &[format!("demography.fertility=[{list}]")]);
    let years = base.yearly_names();
    let (poor, children) = (
        years.iter().position(|n| n == "poor_people").unwrap(),
        years.iter().position(|n| n == "children_share").unwrap(),
    );
    for rep in 0..4 {
        let (a, b) =
            (fupin::sim::run_replicate_with(&base, rep, false), fupin::sim::run_replicate_with(&high, rep, false));
        let sum = |o: &fupin::sim::ReplicateOutcome, c: usize| o.arms[0].yearly[1..].iter().map(|r| r[c]).sum::<f64>();
        assert!(sum(&b, poor) > sum(&a, poor), "replicate {rep}: {} vs {}", sum(&b, poor), sum(&a, poor));
        assert!(sum(&b, children) > sum(&a, children));
    }
}

/// Under `labour.allocation = "fixed"` nobody chooses, so after each
/// January an arm's adults away are exactly the schedule's: the founding's
/// migrants who are still adults and the new adults drawn to leave, each in
/// its own adult's slot, never the first adult's.
#[test]
fn under_fixed_allocation_each_arms_migrants_are_the_schedules() {
    let sc = load_set("township.toml", &["meta.years=10", "labour.allocation=\"fixed\""]);
    let mut r = Replicate::new(&sc, 0);
    let (mut s, _) = fupin::sim::pre_policy_year(&r);
    let d = r.demography.take().unwrap();
    let mut changed = 0;
    for y in 1..=10 {
        let before = s.hh.away.clone();
        fupin::mechanism::demography::enter(&d, &mut r.world, &mut s.hh, y);
        changed += s.hh.away.iter().zip(&before).filter(|(a, b)| a != b).count();
        for (i, t) in r.world.traits.iter().enumerate() {
            let away = s.hh.away[i];
            assert_eq!(away, d.years[y].away[i], "year {y}, household {i}");
            assert_eq!(away.count_ones() as u8, t.migrants);
            assert!(away & 1 == 0 && (away as u32) < (1 << t.adults.min(8)), "only adults beyond the first");
        }
    }
    assert!(changed > 500, "adults away changed {changed} times");
}
