//! Behaviour of the simulator core: calibration, the books, common random
//! numbers, determinism and the arms' mechanisms.

mod common;

use common::*;
use fupin::outcome::YEARLY_BASE;
use fupin::sim as engine;
use fupin::sim::run;

/// Position of a scenario-independent yearly metric.
fn idx(name: &str) -> usize {
    YEARLY_BASE.iter().position(|m| m.name == name).unwrap()
}

/// Pre-policy poverty matches the field report's township (MODEL.md §6).
/// Replicates differ by about 1.5 pp (prices are common to a whole
/// replicate), so 100 replicates know the mean to about 0.15 pp, a third of
/// the ±0.5 pp tolerance. Only the pre-policy year runs, so this is cheap.
#[test]
fn calibration_matches_the_field_report() {
    let sc = township();
    let n = 100;
    let rows: Vec<_> = (0..n).map(|r| engine::initial_row(&sc, r)).collect();
    let mean = |name: &str| rows.iter().map(|r| r[idx(name)]).sum::<f64>() / n as f64;
    let rate = mean("headcount_rate");
    assert!((rate - 0.164).abs() <= 0.005, "incidence {rate}");
    // 6,544 poor people and 1,750 poor households, within 5% and 10%.
    let people = mean("poor_people");
    assert!((people - 6544.0).abs() <= 0.05 * 6544.0, "poor people {people}");
    let hh = mean("poor_households");
    assert!((hh - 1750.0).abs() <= 0.10 * 1750.0, "poor households {hh}");
    // 651 poor households in the three key villages, within 10%.
    let key = mean("poor_households_key_villages");
    assert!((key - 651.0).abs() <= 65.0, "key-village poor households {key}");
    // Over 60% poor through illness, disability or lack of labour.
    let cause = mean("poor_share_illness_disability_labour");
    assert!(cause > 0.60, "cause share {cause}");
}

/// Every yuan of every arm's budget ends in a sink, in every replicate.
#[test]
fn the_books_balance_in_every_replicate() {
    let sc = parse(&small_township(1500, 6, 6));
    run::simulate(&sc, sc.replicates, |rep| {
        for (arm, out) in sc.arms.iter().zip(&rep.arms) {
            let l = &out.ledger;
            assert_eq!(l.budget, sc.budget.yearly * sc.years as f64);
            assert!(l.imbalance().abs() <= 1e-6 * l.budget, "{}: imbalance {}", arm.name, l.imbalance());
            assert!(l.sinks().iter().all(|&x| x >= -1e-6), "{}: negative sink {:?}", arm.name, l.sinks());
            let imbalance = fupin::outcome::totals_names(&fupin::ledger::SINKS)
                .iter()
                .position(|n| n == "books_imbalance")
                .unwrap();
            assert_eq!(out.totals[imbalance], l.imbalance());
        }
        Ok(())
    })
    .unwrap();
}

/// Common random numbers: two arms with identical policies produce
/// identical outcomes, so a paired difference measures policy alone.
#[test]
fn identical_arms_give_identical_results() {
    let text = small_township(1200, 3, 1).replace(
        "[[arms]]\nname = \"none\"",
        "[[arms]]\nname = \"cash_twin\"\n[arms.policies.cash]\nbudget_share = 0.98\n\n[[arms]]\nname = \"none\"",
    );
    let sc = parse(&text);
    let rep = engine::run_replicate(&sc, 0);
    let twin = sc.arms.iter().position(|a| a.name == "cash_twin").unwrap();
    let cash = sc.arms.iter().position(|a| a.name == "cash").unwrap();
    assert_eq!(format!("{:?}", rep.arms[twin]), format!("{:?}", rep.arms[cash]));
}

/// Results do not depend on the thread count.
#[test]
fn outcomes_are_identical_on_1_2_and_8_threads() {
    let sc = parse(&small_township(800, 2, 5));
    let on = |threads| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        let mut all = Vec::new();
        pool.install(|| {
            run::simulate(&sc, 5, |r| {
                all.push(format!("{r:?}"));
                Ok(())
            })
        })
        .unwrap();
        all
    };
    let one = on(1);
    assert_eq!(one, on(2));
    assert_eq!(one, on(8));
}

/// Cash handouts raise the dependency index of the registered poor; the
/// enterprise arm, whose jobs are earned income, does not: over all
/// households its index is no higher than without policy. (Among the
/// registered it can be: the enterprise arm's fewer registered are more
/// often dibao recipients.) Sums over 4 replicates of the whole township;
/// the cash gap is ~0.3 a replicate against a replicate sd below 0.01.
#[test]
fn handouts_raise_dependency_and_jobs_do_not() {
    let sc = township();
    let (reg, all) = (idx("dependency_mean_registered"), idx("dependency_mean"));
    let (mut none, mut cash, mut ent) = ([0.0; 2], [0.0; 2], [0.0; 2]);
    for r in 0..4 {
        let rep = engine::run_replicate(&sc, r);
        let last = sc.years as usize;
        for (k, j) in [reg, all].into_iter().enumerate() {
            none[k] += rep.arms[0].yearly[last][j];
            cash[k] += rep.arms[1].yearly[last][j];
            ent[k] += rep.arms[2].yearly[last][j];
        }
    }
    assert!(cash[0] > none[0] + 4.0 * 0.15, "cash {cash:?} vs none {none:?}");
    assert!(ent[1] <= none[1] + 1e-9, "enterprise {ent:?} vs none {none:?}");
}

/// No ratchet: without free support dependency wears off (the arm without
/// policy, whose only free support is dibao, ends the run less dependent
/// than it began); with `dependency_idle_decay = 0` it does not fall.
#[test]
fn dependency_wears_off_without_support() {
    let text = small_township(1500, 4, 2);
    let run = |text: &str| {
        let sc = parse(text);
        let reps: Vec<_> = (0..2).map(|r| engine::run_replicate(&sc, r)).collect();
        let at = |k| mean_of(&sc, &reps, "none", k..=k, "dependency_mean");
        (at(1), at(4))
    };
    let (first, last) = run(&text);
    assert!(last < first - 0.01, "{first} -> {last}");
    let (first, last) =
        run(&text.replace("dependency_effort_loss = 0.5", "dependency_effort_loss = 0.5\ndependency_idle_decay = 0.0"));
    assert!(last >= first, "without idle decay: {first} -> {last}");
}

/// The balance sheet: savings earn the deposit rate (more income and more
/// savings at a higher rate, on the same draws), every December savings and
/// debt per person are reported, and a year's consumption per person is at
/// least the consumption floor of need.
#[test]
fn savings_earn_the_deposit_rate_and_the_balance_sheet_is_reported() {
    let text = small_township(1500, 3, 2);
    let with = |rate: &str| {
        let sc = parse(&text.replace("debt_interest = 0.08", &format!("debt_interest = 0.08\ndeposit_rate = {rate}")));
        let reps: Vec<_> = (0..2).map(|r| engine::run_replicate(&sc, r)).collect();
        let m = |metric| mean_of(&sc, &reps, "none", 1..=3, metric);
        (m("mean_income_pc"), m("savings_pc"), m("debt_pc"), m("consumption_pc"))
    };
    let (income0, savings0, debt0, consumption0) = with("0.0");
    let (income1, savings1, _, _) = with("0.1");
    assert!(income1 > income0 && savings1 > savings0, "{income0} -> {income1}, {savings0} -> {savings1}");
    assert!(savings0 > 0.0 && debt0 > 0.0);
    // 180 yuan a month per adult equivalent, at least 60% of it, and an adult equivalent is at most a person.
    assert!(consumption0 > 0.3 * 12.0 * 180.0, "{consumption0}");
}

/// Debt is capped at `debt_limit_months` of need; what lies beyond is
/// defaulted on: with no credit at all nobody owes anything and the
/// shortfalls are defaults; with an unreachable limit nothing is defaulted.
#[test]
fn debt_beyond_the_limit_is_defaulted_on() {
    let text = small_township(1500, 2, 2);
    let with = |limit: &str| {
        let sc =
            parse(&text.replace("debt_interest = 0.08", &format!("debt_interest = 0.08\ndebt_limit_months = {limit}")));
        let reps: Vec<_> = (0..2).map(|r| engine::run_replicate(&sc, r)).collect();
        (mean_of(&sc, &reps, "none", 0..=2, "debt_pc"), mean_of(&sc, &reps, "none", 0..=2, "debt_defaults"))
    };
    let (debt, defaults) = with("0");
    assert!(debt == 0.0 && defaults > 0.0, "{debt} {defaults}");
    let (debt, defaults) = with("1200");
    assert!(debt > 0.0 && defaults == 0.0, "{debt} {defaults}");
}

/// With a transition (脱贫不脱政策) households that exit stay registered and
/// keep their cash: more households are registered, some in transition,
/// and more of the cash reaches households that are no longer poor.
#[test]
fn with_a_transition_exited_households_keep_their_support() {
    let text = small_township(1500, 4, 2);
    let run = |years: &str| {
        let sc = parse(&format!("{text}\n[targeting]\ntransition_years = {years}\n"));
        let reps: Vec<_> = (0..2).map(|r| engine::run_replicate(&sc, r)).collect();
        let m = |metric| mean_of(&sc, &reps, "cash", 2..=4, metric);
        (m("registered_households"), m("in_transition"), m("to_nonpoor_households"))
    };
    let (registered0, transition0, nonpoor0) = run("0");
    let (registered5, transition5, nonpoor5) = run("5");
    assert_eq!(transition0, 0.0);
    assert!(transition5 > 0.0 && registered5 > registered0, "{registered0} -> {registered5}");
    assert!(nonpoor5 > nonpoor0, "cash to the non-poor: {nonpoor0} -> {nonpoor5}");
}

/// Buffer-stock consumption: the cash arm's extra money is partly saved
/// (its savings per person rise above the arm without policy by more than
/// under the mpc rule), and its consumption follows the money less closely
/// in the first year than under the mpc rule.
#[test]
fn under_the_buffer_stock_rule_handouts_are_partly_saved() {
    let text = small_township(1500, 2, 2);
    let with = |rule: &str| {
        let sc = parse(
            &text.replace("debt_interest = 0.08", &format!("debt_interest = 0.08\nconsumption_rule = \"{rule}\"")),
        );
        let reps: Vec<_> = (0..2).map(|r| engine::run_replicate(&sc, r)).collect();
        let gap = |metric| mean_of(&sc, &reps, "cash", 1..=1, metric) - mean_of(&sc, &reps, "none", 1..=1, metric);
        (gap("savings_pc"), gap("consumption_pc"))
    };
    let (saved_buffer, eaten_buffer) = with("buffer_stock");
    let (saved_mpc, eaten_mpc) = with("mpc");
    assert!(saved_buffer > saved_mpc, "savings: {saved_buffer} vs {saved_mpc}");
    assert!(eaten_buffer < eaten_mpc, "consumption: {eaten_buffer} vs {eaten_mpc}");
}

/// The enterprise arm creates jobs from the fund; when its commodity's
/// price collapses it fails, its jobs end and the fund is written off.
#[test]
fn an_enterprise_fails_when_its_market_collapses() {
    let jobs = idx("enterprise_jobs");
    let alive = idx("enterprises_alive");
    let failed = idx("enterprise_failed");
    let sc = parse(&small_township(2000, 4, 1));
    let rep = engine::run_replicate(&sc, 0);
    let e = &rep.arms[2];
    assert!(e.yearly[1][jobs] > 50.0, "jobs {}", e.yearly[1][jobs]);
    assert_eq!(e.yearly[4][alive], 1.0);

    // Apples at a tenth of the price from the second year on.
    let text = small_township(2000, 4, 1).replace(
        "price_sd = 0.2\naltitude_range_m = [500, 1600]",
        "price_sd = 0.2\nscripted_prices = [2.5, 0.25, 0.25, 0.25]\naltitude_range_m = [500, 1600]",
    );
    let crash = parse(&text);
    let rep = engine::run_replicate(&crash, 0);
    let e = &rep.arms[2];
    assert_eq!(e.yearly[4][alive], 0.0);
    assert_eq!(e.yearly[4][jobs], 0.0);
    assert!(e.yearly[4][failed] > 0.0);
}

/// Poverty is identified yearly; in the baseline the flows balance:
/// poor(t) = poor(t-1) - exits + re-entries + new entrants - poor households
/// that died out (`[demography]`).
#[test]
fn yearly_flows_are_consistent_with_the_poor_count() {
    let sc = parse(&small_township(3000, 4, 1));
    let rep = engine::run_replicate(&sc, 0);
    let y = &rep.arms[0].yearly;
    for t in 1..y.len() {
        let inflow = y[t][idx("reentries")] + y[t][idx("new_entrants")];
        let change = y[t][idx("poor_households")] - y[t - 1][idx("poor_households")];
        // Returns of households that were poor before but never exited are
        // impossible (they would still be poor), so the identity is exact.
        assert_eq!(change, inflow - y[t][idx("exits")] - y[t][idx("poor_died_out")], "year {t}");
    }
}

/// Reading a scenario, writing it back as TOML and reading that again gives
/// the same validated scenario.
#[test]
fn scenario_round_trips_through_toml() {
    let text = std::fs::read_to_string(scenario_path("township.toml")).unwrap();
    let file: fupin::scenario::file::ScenarioFile = toml::from_str(&text).unwrap();
    let again = toml::to_string(&file).unwrap();
    let a = parse(&text);
    let b = parse(&again);
    assert_eq!(format!("{:?}", a.arms), format!("{:?}", b.arms));
    assert_eq!(format!("{:?}", a.population), format!("{:?}", b.population));
    assert_eq!(format!("{:?}", a.commodities), format!("{:?}", b.commodities));
    assert_eq!(format!("{:?}", a.enterprises), format!("{:?}", b.enterprises));
}

/// At national-style chunking: 20,000 households make three chunks of the
/// household pass (8,192 each), which then run on different threads; the
/// outcome is still identical on 1, 2 and 8 threads. Every instrument that
/// touches households in the pass (cash, in-kind, school, health aid,
/// credit) is on in the national scenario used here, cut to 20,000 households.
#[test]
fn a_chunked_household_pass_is_identical_on_1_2_and_8_threads() {
    let text = std::fs::read_to_string(scenario_path("national.toml"))
        .unwrap()
        .replace("households = 29500000", "households = 20000")
        .replace("yearly = 80000000000", "yearly = 50000000")
        .replace("years = 6", "years = 2");
    let sc = parse(&text);
    let on = |threads| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| format!("{:?}", engine::run_replicate(&sc, 0)))
    };
    let one = on(1);
    assert_eq!(one, on(2));
    assert_eq!(one, on(8));
}

/// An arm with its own `[arms.budget]` spends its own money: twice the
/// scenario's budget is credited twice over, its books still balance, it
/// pays more cash than the same policy on the scenario's budget and leaves
/// no more people poor. Arms without one are untouched.
#[test]
fn an_arm_with_its_own_budget_spends_that_budget() {
    let base = small_township(1500, 3, 2);
    // Added last, so the reference arm (the first) stays the same.
    let text = format!(
        "{base}\n[[arms]]\nname = \"cash_double\"\n[arms.policies.cash]\nbudget_share = 0.98\n[arms.budget]\nyearly = 11760000\nadmin_share = 0.01\n"
    );
    let sc = parse(&text);
    let plain = parse(&base);
    let at = |name: &str| sc.arms.iter().position(|a| a.name == name).unwrap();
    let (double, cash) = (at("cash_double"), at("cash"));
    for r in 0..2 {
        let rep = engine::run_replicate(&sc, r);
        let d = &rep.arms[double].ledger;
        let c = &rep.arms[cash].ledger;
        assert_eq!(c.budget, sc.budget.yearly * sc.years as f64);
        assert_eq!(d.budget, 11_760_000.0 * sc.years as f64);
        assert!(d.imbalance().abs() <= 1e-6 * d.budget, "imbalance {}", d.imbalance());
        assert!((d.admin - 0.01 * d.budget).abs() <= 1e-6 * d.budget, "own admin share {}", d.admin);
        let paid = |l: &fupin::ledger::Ledger| l.to_poor_households + l.to_nonpoor_households;
        assert!(paid(d) > 1.5 * paid(c), "double pays more: {} vs {}", paid(d), paid(c));
        // The other arms run exactly as in the scenario without the extra arm.
        let before = engine::run_replicate(&plain, r);
        let p = plain.arms.iter().position(|a| a.name == "cash").unwrap();
        assert_eq!(format!("{:?}", rep.arms[cash]), format!("{:?}", before.arms[p]));
    }
    // Twice the free money, more dependency among the registered (the mechanism's direction;
    // whether the extra cash lowers poverty then depends on the dependency parameters).
    let reps: Vec<_> = (0..2).map(|r| engine::run_replicate(&sc, r)).collect();
    let dep = |arm| mean_of(&sc, &reps, arm, 1..=3, "dependency_mean_registered");
    assert!(dep("cash_double") > dep("cash"), "{} vs {}", dep("cash_double"), dep("cash"));
}

/// An arm's `set` runs its policy months with its own fields on the same
/// world: without the dependency rise of free handouts, the cash arm's
/// households stay less dependent; an arm whose `set` changes a field it
/// never uses runs exactly like the arm without it; the other arms run as
/// in the scenario without these arms.
#[test]
fn an_arm_can_run_with_its_own_fields() {
    let base = small_township(1500, 3, 2);
    let text = format!(
        "{base}\n[[arms]]\nname = \"cash_nodep\"\nset = [\"behaviour.dependency_handout_step=0\"]\n\
         [arms.policies.cash]\nbudget_share = 0.98\ninterval_months = 1\nleakage = 0.05\n\
         [[arms]]\nname = \"none_same\"\nset = [\"organisations.enterprises.Qinyuan Agriculture.output_per_job=40000\"]\n"
    );
    let sc = parse(&text);
    let plain = parse(&base);
    let at = |name: &str| sc.arms.iter().position(|a| a.name == name).unwrap();
    assert!(sc.arm_scenarios[at("cash_nodep")].is_some() && sc.arm_scenarios[at("cash")].is_none());
    let reps: Vec<_> = (0..2).map(|r| engine::run_replicate(&sc, r)).collect();
    for (r, rep) in reps.iter().enumerate() {
        assert_eq!(format!("{:?}", rep.arms[at("none_same")]), format!("{:?}", rep.arms[at("none")]));
        let before = engine::run_replicate(&plain, r as u32);
        for name in ["none", "cash", "enterprise"] {
            let p = plain.arms.iter().position(|a| a.name == name).unwrap();
            assert_eq!(format!("{:?}", rep.arms[at(name)]), format!("{:?}", before.arms[p]), "{name}");
        }
    }
    let dep = |arm| mean_of(&sc, &reps, arm, 1..=3, "dependency_mean");
    assert!(dep("cash_nodep") < dep("cash") - 0.01, "{} vs {}", dep("cash_nodep"), dep("cash"));
    let poor = |arm| mean_of(&sc, &reps, arm, 1..=3, "poor_people");
    assert!(poor("cash_nodep") <= poor("cash"), "{} vs {}", poor("cash_nodep"), poor("cash"));
}

/// An arm's `set` may change only what the arms do not share, and a bad
/// value gets the field's message under the arm's path.
#[test]
fn an_arms_fields_are_checked_under_its_path() {
    let with = |set: &str| {
        small_township(500, 2, 1)
            .replace("[[arms]]\nname = \"none\"", &format!("[[arms]]\nname = \"none\"\nset = [{set}]"))
    };
    let err = |text: String| {
        fupin::scenario::Scenario::from_bytes(std::path::Path::new("t.toml"), text.as_bytes()).unwrap_err().to_string()
    };
    let e = err(with("\"population.households=5\""));
    assert!(e.contains("arms[0].set[0] = \"population.households=5\"") && e.contains("cannot differ"), "{e}");
    let e = err(with("\"labour.local_wage=1500\", \"behaviour.mpc=2\""));
    assert!(e.contains("arms[0].set[1] = 2") && e.contains("field behaviour.mpc, set by this arm"), "{e}");
    assert!(!e.contains("set[0]"), "{e}");
    let e = err(with("\"behaviour.no_such_field=1\""));
    assert!(e.contains("arms[0].set"), "{e}");
    let e = err(with("\"organisations.enterprises.Qinyuan Agriculture.own_capital=1\""));
    assert!(e.contains("arms[0].set[0]") && e.contains("does not fix at its founding"), "{e}");
}

/// An arm's budget is checked like `[budget]`, under the arm's own path, and
/// its shares are checked against its own administration share.
#[test]
fn an_arms_own_budget_is_checked_under_its_path() {
    let add = |budget: &str| {
        small_township(500, 2, 1).replace(
            "[[arms]]\nname = \"none\"",
            &format!("[[arms]]\nname = \"big\"\n[arms.policies.cash]\nbudget_share = 0.98\n[arms.budget]\n{budget}\n\n[[arms]]\nname = \"none\""),
        )
    };
    let err = |text: String| {
        fupin::scenario::Scenario::from_bytes(std::path::Path::new("t.toml"), text.as_bytes()).unwrap_err().to_string()
    };
    let e = err(add("yearly = -5"));
    assert!(e.contains("arms[0].budget.yearly = -5") && e.contains("[0, 10000000000000]"), "{e}");
    let e = err(add("yearly = 1000\nadmin_share = 0.1"));
    assert!(e.contains("arms[0].policies.*.budget_share") && e.contains("arms[0].budget.admin_share"), "{e}");
    let e = err(add("yearly = 1000\nsurplus = 1"));
    assert!(e.contains("surplus"), "{e}");
    let e = err(add("yearly = 1000")
        .replace("name = \"big\"", "name = \"big\"\nbudget = 5")
        .replace("[arms.budget]\nyearly = 1000", ""));
    assert!(e.contains("arms[0].budget = an integer: a table"), "{e}");
    // A bad scenario budget is reported once, under `budget`, not again under each arm.
    let e = err(add("yearly = 1000").replacen("admin_share = 0.02", "admin_share = 3", 1));
    assert!(e.contains("budget.admin_share = 3") && !e.contains("arms[0].budget.admin_share = 3"), "{e}");
}

/// What an arm's own budget leaves out is the scenario's: given `yearly`
/// alone it keeps the scenario's administration share; given only
/// `admin_share` it keeps the scenario's amounts; given `by_year` alone,
/// years beyond it get nothing.
#[test]
fn an_arms_own_budget_fills_in_from_the_scenarios() {
    let base = small_township(500, 3, 1).replacen("yearly = ", "by_year = [1, 2]\nyearly = ", 1);
    let with = |budget: &str| {
        let sc = parse(&format!("{base}\n[[arms]]\nname = \"own\"\n[arms.budget]\n{budget}\n"));
        let b = sc.arms.last().unwrap().budget.clone().unwrap();
        (b.yearly, b.by_year, b.admin_share, sc.budget.clone())
    };
    let (yearly, by_year, admin, scenario) = with("yearly = 9000000");
    assert_eq!((yearly, by_year, admin), (9_000_000.0, vec![], scenario.admin_share));
    assert!(scenario.admin_share > 0.0, "the test needs a scenario share to inherit");
    let (yearly, by_year, admin, scenario) = with("admin_share = 0.5");
    assert_eq!((yearly, by_year, admin), (scenario.yearly, scenario.by_year.clone(), 0.5));
    let (yearly, by_year, _, _) = with("by_year = [7]");
    assert_eq!((yearly, by_year), (0.0, vec![7.0]));
}

/// A shipped scenario's text with `key = value` lines replaced (first match).
fn shipped_with(file: &str, edits: &[(&str, &str)]) -> fupin::scenario::Scenario {
    let mut text = std::fs::read_to_string(scenario_path(file)).unwrap();
    for (key, value) in edits {
        let line = text.lines().find(|l| l.starts_with(&format!("{key} "))).unwrap_or_else(|| panic!("no {key}"));
        text = text.replacen(line, &format!("{key} = {value}"), 1);
    }
    parse(&text)
}

/// The breeding herds' books: every year of every arm, the change in the
/// township's head = born − died − sold + bought + received (outbreak arms
/// included); a handed-out cow, or her value in cash, leaves its arm with
/// more cattle than none at the end of 2015.
#[test]
fn breeding_herds_keep_their_books() {
    let sc = shipped_with("breeding_livestock.toml", &[("households", "1500"), ("years", "4"), ("replicates", "2")]);
    let n = sc.population.households as f64;
    let at = |name: &str| sc.yearly_index(name).unwrap();
    let mut cattle = vec![0.0; sc.arms.len()];
    run::simulate(&sc, sc.replicates, |rep| {
        for (a, out) in rep.arms.iter().enumerate() {
            for k in 1..out.yearly.len() {
                let (y, before) = (&out.yearly[k], &out.yearly[k - 1]);
                let change = (y[at("herd.cattle")] - before[at("herd.cattle")]) * n;
                let flows = y[at("herd_born")] - y[at("herd_died")] - y[at("herd_sold")] - y[at("herd_slaughtered")]
                    + y[at("herd_bought")]
                    + y[at("herd_received")];
                assert!(
                    (change - flows).abs() < 1e-6 * n,
                    "{}, year {k}: change {change}, flows {flows}",
                    sc.arms[a].name
                );
            }
            cattle[a] += out.yearly[1][at("herd.cattle")];
        }
        Ok(())
    })
    .unwrap();
    let arm = |name: &str| sc.arms.iter().position(|a| a.name == name).unwrap();
    assert!(cattle[arm("cow")] > cattle[arm("none")] + 0.05, "{cattle:?}");
    // Cash can buy a cow too (7,000 yuan, paid in January, before it is spread over months).
    assert!(cattle[arm("cash")] > cattle[arm("none")] + 0.05, "{cattle:?}");
    // The arms' own outbreak risk (set = ["…outbreak_probability=0.2"]) enters the expected return
    // of a cow: households give up their herds and buy fewer, so these arms hold fewer cattle (0.72
    // of the plain arms here, over two replicates; 0.29 over the shipped 100).
    for a in ["none", "cow", "cash"] {
        assert!(cattle[arm(&format!("{a}_outbreak"))] < 0.85 * cattle[arm(a)], "{a}: {cattle:?}");
    }
}

/// Indivisibility in the township: 8,000 yuan buys a registered household a
/// cow (7,000) and 800 yuan does not, so in the windfall's year the large
/// arm invests more than the small one, which invests no more than none.
#[test]
fn a_large_windfall_buys_cows_and_a_small_one_does_not() {
    // As shipped (the budgets are per registered household of 10,700 households), one year.
    let sc = shipped_with("windfall.toml", &[("years", "1"), ("replicates", "2")]);
    let reps: Vec<_> = (0..sc.replicates).map(|r| engine::run_replicate(&sc, r)).collect();
    let bought = |arm: &str| mean_of(&sc, &reps, arm, 1..=1, "herd_bought");
    let (none, small, large) = (bought("none"), bought("small"), bought("large"));
    assert!(large > none + 10.0, "large {large}, none {none}");
    assert!(small < none + 0.2 * (large - none), "small {small}, none {none}, large {large}");
}

/// Self-financed school (`schooling.self_financed`): in the township without
/// any programme, households with a teenager and the whole course in hand
/// pay for it; their graduates remit, so the township's income rises against
/// the same township without the option (common random numbers).
#[test]
fn households_pay_for_school_themselves_when_they_may() {
    let plain = small_township(3000, 4, 2);
    let with = plain.replace("[budget]", "[schooling]\nself_financed = true\n\n[budget]");
    let (a, b) = (parse(&plain), parse(&with));
    let run = |sc: &fupin::scenario::Scenario| (0..2).map(|r| engine::run_replicate(sc, r)).collect::<Vec<_>>();
    let (ra, rb) = (run(&a), run(&b));
    let m = |sc, reps, k, name| mean_of(sc, reps, "none", k..=k, name);
    assert_eq!(m(&a, &ra, 1, "students"), 0.0, "nobody pays for school without the option");
    assert!(m(&b, &rb, 1, "students") > 10.0 && m(&b, &rb, 1, "investment") > 0.0);
    assert!(m(&b, &rb, 4, "graduates") > m(&b, &rb, 1, "graduates"));
    assert!(m(&b, &rb, 4, "mean_income_pc") > m(&a, &ra, 4, "mean_income_pc"));
}

/// Trees as an investment in the township: with a planting cost on apples,
/// households without any programme plant them (investment > 0, orchards in
/// `assets_pc`), and their own orchards' income is not counted as in-kind
/// income.
#[test]
fn households_plant_trees_themselves_when_a_crop_has_a_planting_cost() {
    let plain = small_township(3000, 3, 2);
    let anchor = "climates = [\"temperate\", \"warm_temperate\"]\n";
    let trees = plain.replacen(anchor, &format!("{anchor}yield_by_age = [0, 0, 0.5, 1]\nplanting_cost = 3000\n"), 1);
    let (a, b) = (parse(&plain), parse(&trees));
    let run = |sc: &fupin::scenario::Scenario| (0..2).map(|r| engine::run_replicate(sc, r)).collect::<Vec<_>>();
    let (ra, rb) = (run(&a), run(&b));
    let m = |sc, reps, name| mean_of(sc, reps, "none", 1..=3, name);
    assert_eq!(m(&a, &ra, "investment"), 0.0);
    assert!(m(&b, &rb, "investment") > 10_000.0, "{}", m(&b, &rb, "investment"));
    assert!(m(&b, &rb, "assets_pc") > m(&a, &ra, "assets_pc"));
    assert_eq!(m(&b, &rb, "inkind_income"), 0.0, "own orchards are not handouts");
}

/// Ventures in the township, without any programme: with businesses and
/// machines on, households open businesses and buy machines from their own
/// cash; every year the change in businesses = opened − closed; their yuan
/// are investment, and their value assets; the books balance.
#[test]
fn households_open_businesses_and_buy_machines_when_they_may() {
    let plain = small_township(3000, 4, 2);
    let ventures = "[ventures]\nbusiness = true\nbusiness_price = 5000\nbusiness_income = 1500\nmachine = true\nmachine_price = 3000\n\n[budget]";
    let (a, b) = (parse(&plain), parse(&plain.replace("[budget]", ventures)));
    let run = |sc: &fupin::scenario::Scenario| (0..2).map(|r| engine::run_replicate(sc, r)).collect::<Vec<_>>();
    let (ra, rb) = (run(&a), run(&b));
    let m = |sc, reps, k, name| mean_of(sc, reps, "none", k..=k, name);
    for name in ["businesses", "businesses_opened", "machines_bought", "investment"] {
        assert_eq!(m(&a, &ra, 1, name), 0.0, "no {name} without the option");
    }
    assert!(m(&b, &rb, 1, "businesses") > 10.0, "{}", m(&b, &rb, 1, "businesses"));
    assert!(m(&b, &rb, 1, "machines_bought") > 10.0, "{}", m(&b, &rb, 1, "machines_bought"));
    assert!(m(&b, &rb, 1, "assets_pc") > m(&a, &ra, 1, "assets_pc"));
    for k in 1..=4 {
        let change = m(&b, &rb, k, "businesses") - m(&b, &rb, k - 1, "businesses");
        let flows = m(&b, &rb, k, "businesses_opened") - m(&b, &rb, k, "businesses_closed");
        assert!((change - flows).abs() < 1e-9, "year {k}: change {change}, flows {flows}");
    }
    for out in rb.iter().flat_map(|rep| &rep.arms) {
        assert!(out.ledger.imbalance().abs() <= 1e-6 * out.ledger.budget);
    }
    assert!((2..=4).any(|k| m(&b, &rb, k, "businesses_closed") > 0.0), "some fail or wear out");
}

/// Money balances household by household: in every shipped scenario (small,
/// short versions), and in the township with every investment option on,
/// no household's savings ever differ from its own account (last December's
/// savings plus the year's booked flows: income less costs, consumption,
/// investment, asset sales, repayments, purchases and debt written off).
#[test]
fn every_households_money_balances_in_every_shipped_scenario() {
    let mut cases: Vec<(String, fupin::scenario::Scenario)> = fupin::shipped::SHIPPED
        .iter()
        .map(|(name, _)| {
            let file = format!("{name}.toml");
            (name.to_string(), shipped_with(&file, &[("households", "800"), ("years", "3"), ("replicates", "1")]))
        })
        .collect();
    // More households than one chunk of the pass (8,192), so that chunk positions differ from households.
    let plain = small_township(9000, 3, 1);
    let anchor = "climates = [\"temperate\", \"warm_temperate\"]\n";
    let all = plain
        .replacen(anchor, &format!("{anchor}yield_by_age = [0, 0, 0.5, 1]\nplanting_cost = 3000\n"), 1)
        .replace(
            "[budget]",
            "[schooling]\nself_financed = true\n\n[ventures]\nbusiness = true\nbusiness_price = 5000\nmachine = true\n\n[budget]",
        );
    cases.push(("township, every investment".into(), parse(&all)));
    let eating = std::fs::read_to_string(scenario_path("breeding_livestock.toml"))
        .unwrap()
        .replacen("outbreak_month = 7\n", "outbreak_month = 7\neat_below_months = 2\n", 1)
        .replacen("households = 10700", "households = 800", 1)
        .replacen("years = 10", "years = 3", 1);
    let eating = parse(&eating);
    cases.push(("breeding_livestock, animals eaten".into(), eating));
    for (name, sc) in &cases {
        let j = sc.yearly_index("households_unbalanced").unwrap();
        let out = engine::run_replicate(sc, 0);
        if name.ends_with("eaten") {
            let k = sc.yearly_index("herd_slaughtered").unwrap();
            assert!(out.arms.iter().flat_map(|o| &o.yearly).map(|y| y[k]).sum::<f64>() > 10.0, "{name}: none eaten");
        }
        for (arm, o) in sc.arms.iter().zip(&out.arms) {
            for (k, y) in o.yearly.iter().enumerate() {
                assert_eq!(y[j], 0.0, "{name}, {}, year {k}: households unbalanced", arm.name);
            }
        }
    }
}

/// Outbreaks among fattening livestock: with a certain outbreak in July
/// killing half the pigs, the pigs sold each December are about half of
/// those sold without (survival between July and December is the same);
/// a probability of 0 changes nothing.
#[test]
fn an_outbreak_kills_its_share_of_the_fattening_pigs() {
    let plain = small_township(3000, 3, 2);
    let anchor = "monthly_mortality = 0.004\n";
    assert!(plain.contains(anchor));
    let with =
        |p: &str| plain.replacen(anchor, &format!("{anchor}outbreak_probability = {p}\noutbreak_loss = 0.5\n"), 1);
    let (a, b, z) = (parse(&plain), parse(&with("1")), parse(&with("0")));
    let run = |sc: &fupin::scenario::Scenario| (0..2).map(|r| engine::run_replicate(sc, r)).collect::<Vec<_>>();
    let (ra, rb, rz) = (run(&a), run(&b), run(&z));
    for k in 1..=3 {
        let m = |sc, reps| mean_of(sc, reps, "none", k..=k, "harvested_area.pig");
        let (before, after) = (m(&a, &ra), m(&b, &rb));
        assert!(before > 100.0, "{before}");
        assert!((after / before - 0.5).abs() < 0.01, "year {k}: {after} against {before}");
        assert_eq!(m(&z, &rz), before, "probability 0 is no outbreak");
    }
}

/// Monitoring (防返贫监测): with it, unregistered households whose income
/// falls below the line during a year are registered at once (early
/// entries); without it none are, and a lower trigger registers fewer (at 0,
/// only households with negative income). The near-poor band is reported.
#[test]
fn monitoring_registers_households_that_fall_below_the_line_before_december() {
    let text = small_township(1500, 4, 2);
    let run = |extra: &str| {
        let sc = parse(&format!("{text}\n[targeting]\n{extra}\n"));
        let reps: Vec<_> = (0..2).map(|r| engine::run_replicate(&sc, r)).collect();
        // Early entrants share the cash pool: the books balance, and no more is paid than budgeted.
        for out in reps.iter().flat_map(|rep| &rep.arms) {
            let l = &out.ledger;
            assert!(l.imbalance().abs() <= 1e-6 * l.budget.max(1.0), "{extra}: imbalance {}", l.imbalance());
            assert!(l.sinks().iter().all(|&x| x >= -1e-6), "{extra}: negative sink {:?}", l.sinks());
        }
        let m = |metric| mean_of(&sc, &reps, "cash", 1..=4, metric);
        (m("early_entries"), m("monitored"), m("headcount_rate"))
    };
    let (early0, monitored0, _) = run("monitoring = false");
    let (early, monitored, _) = run("monitoring = true");
    let (early_zero, _, _) = run("monitoring = true\nmonitoring_trigger = 0");
    assert_eq!((early0, monitored0), (0.0, 0.0), "off by default");
    assert!(early > 5.0, "early entries {early}");
    assert!(monitored > 50.0, "near-poor households {monitored}");
    assert!(early_zero < 0.5 * early, "a trigger of 0: {early_zero} against {early}");
}

/// One price index (`[prices]`). Under `"line"` every amount of the
/// scenario keeps its value against the line, which is constant in yuan
/// of the pre-policy year; under `"none"` crop prices, costs and every
/// other amount stay nominal while the line rises, so the arm without
/// policy grows poorer year by year. Rates listed year by year reproduce
/// either exactly. Direction and exact equality, 1,500 households, 2
/// replicates, 6 years.
#[test]
fn the_price_index_keeps_amounts_level_with_the_line() {
    // On the founding's households: a growing workforce would lift incomes in both runs and narrow the gap.
    let text = without_demography(&small_township(1500, 6, 2));
    let run = |prices: &str| {
        let sc = parse(&format!("{text}\n[prices]\n{prices}\n"));
        let reps: Vec<_> = (0..2).map(|r| engine::run_replicate(&sc, r)).collect();
        let rows: Vec<Vec<f64>> = reps.iter().flat_map(|r| r.arms.iter().flat_map(|a| a.yearly.clone())).collect();
        let late = mean_of(&sc, &reps, "none", 4..=6, "headcount_rate");
        let lines: Vec<f64> = (-1..6).map(|k| sc.poverty_line_in(k)).collect();
        (rows, late, lines, mean_of(&sc, &reps, "none", 6..=6, "price_index"))
    };
    let (line_rows, line_late, line_lines, line_level) = run("index = \"line\"");
    let (none_rows, none_late, none_lines, none_level) = run("index = \"none\"");
    assert!(line_lines.iter().all(|l| (l - 2800.0 / 1.074).abs() < 1e-6), "{line_lines:?}");
    assert!((none_lines[6] - 2800.0 * 1.074f64.powi(5)).abs() < 1e-6, "{none_lines:?}");
    assert!((line_level - 1.074f64.powi(6)).abs() < 1e-9 && none_level == 1.0);
    assert!(none_late > line_late + 0.004, "headcount, years 4-6: {none_late} (none) vs {line_late} (line)");
    let yearly = |rate: &str| run(&format!("index = \"yearly\"\nyearly = [{}]", [rate; 6].join(", "))).0;
    let same = |a: &[Vec<f64>], b: &[Vec<f64>]| {
        a.len() == b.len()
            && a.iter().zip(b).all(|(r, s)| r.len() == s.len())
            && a.iter().flatten().zip(b.iter().flatten()).all(|(x, y)| x == y || (x.is_nan() && y.is_nan()))
    };
    assert!(same(&yearly("0.074"), &line_rows) && same(&yearly("0.0"), &none_rows));
}

/// A scripted price path marked nominal is divided by its year's price
/// level; one in yuan of the pre-policy year is replayed as written.
#[test]
fn nominal_scripted_prices_are_deflated() {
    let text = std::fs::read_to_string(scenario_path("pseudostellaria_replay.toml")).unwrap()
        + "\n[prices]\nindex = \"line\"\n";
    let prices = |text: &str| {
        let sc = parse(text);
        sc.commodities.iter().find(|c| !c.scripted_prices.is_empty()).unwrap().scripted_prices.clone()
    };
    assert_eq!(prices(&text), vec![140.0, 20.0, 5.0]);
    let nominal = text.replacen("scripted_prices = [", "scripted_prices_nominal = true\nscripted_prices = [", 1);
    let p = prices(&nominal);
    let want = [140.0 / 1.074, 20.0 / 1.074f64.powi(2), 5.0 / 1.074f64.powi(3)];
    assert!(p.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-9), "{p:?}");
}
