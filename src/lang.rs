//! The language of the charts and the report (`--lang en|zh`).
//!
//! Text is written in English in the code and looked up here for Chinese:
//! [`Lang::tr`] for a fixed string, [`Lang::fill`] for a template whose
//! `{name}` slots are filled after translation (so that each language has
//! its own word order). A string with no entry in [`ZH`] stays English; a
//! unit test scans the chart and report code for every `tr` and `fill` and
//! fails on one without a translation.

use std::fmt::Display;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// `"en"` or `"zh"` (and `zh-CN`, `zh_CN`…), as given to `--lang`.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s == "en" || s.starts_with("en-") || s.starts_with("en_") {
            Some(Lang::En)
        } else if s == "zh" || s.starts_with("zh-") || s.starts_with("zh_") {
            Some(Lang::Zh)
        } else {
            None
        }
    }

    /// The language's code, as in HTML's `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// `en` in this language.
    pub fn tr(self, en: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Zh => ZH.iter().find(|(e, _)| *e == en).map_or(en, |(_, z)| *z),
        }
    }

    /// Template `en` in this language, with each `{name}` replaced by its value.
    pub fn fill(self, en: &'static str, args: &[(&str, &dyn Display)]) -> String {
        let mut out = self.tr(en).to_string();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), &value.to_string());
        }
        out
    }
}

/// English → Chinese, for every string the charts and the report draw.
pub static ZH: &[(&str, &str)] = &[
    // Shared
    ("Mean of {n} replicates.", "{n} 次重复的平均值。"),
    ("year", "年份"),
    ("arm", "方案"),
    ("95% interval", "95% 区间"),
    ("{title} — {scenario}", "{title}（{scenario}）"),
    ("Each arm minus the reference arm, paired by replicate (same households and shocks)", "各方案减去对照方案，按重复配对（同样的农户和冲击）"),
    ("Each household compared with itself under the reference arm", "每户与它自己在对照方案下相比"),
    ("no difference", "无差别"),
    ("{notes} Shaded: 95% confidence interval of the mean.", "{notes}阴影：均值的 95% 置信区间。"),
    ("{notes} Shaded: 95% confidence interval.", "{notes}阴影：95% 置信区间。"),
    ("Each December, per arm", "各方案每年 12 月"),
    // Headcount and differences
    ("Headcount rate", "贫困发生率"),
    ("Share of people below the poverty line in December of each year", "每年 12 月收入低于贫困线的人口比例"),
    ("year ({year} = before the policy)", "年份（{year} = 政策实施前）"),
    ("headcount rate (% of people)", "贫困发生率（占人口 %）"),
    ("Difference in headcount rate against “{reference}”", "贫困发生率：与“{reference}”之差"),
    ("difference (percentage points)", "差值（百分点）"),
    ("{notes} Shaded: 95% confidence interval. Below 0: fewer poor than “{reference}”.", "{notes}阴影：95% 置信区间。低于 0：贫困人口少于“{reference}”。"),
    ("Difference in {what} against “{reference}”", "{what}：与“{reference}”之差"),
    ("poverty gap", "贫困深度（贫困距）"),
    ("mean income", "人均收入"),
    ("difference (yuan/person/year)", "差值（元/人/年）"),
    ("Households on the register", "在册贫困户"),
    ("households", "户数"),
    ("Re-entries into poverty (返贫)", "返贫户"),
    ("households a year", "每年户数"),
    ("Enterprises' capital", "企业资本"),
    ("million yuan", "百万元"),
    ("Township income per yuan spent", "每花一元带来的全乡收入"),
    ("yuan of township income per yuan spent", "每花一元带来的全乡收入（元）"),
    // Income
    ("poverty line {year}: {value} yuan ({base} prices)", "{year} 年贫困线：{value} 元（{base} 年价格）"),
    ("Per-capita income, start and end", "人均纯收入：开始和结束"),
    ("December {year} (before the policy)", "{year} 年 12 月（政策实施前）"),
    ("December {year} (end)", "{year} 年 12 月（结束）"),
    ("{notes} The run records each income distribution only by its mean and median. Whiskers: 95% confidence interval, drawn where wider than the marker. The {year} line is derived from the yearly indexation of the later ones.", "{notes}每个收入分布只记录均值和中位数。须线：95% 置信区间（比标记宽时才画）。{year} 年的贫困线由以后各年的指数推算。"),
    ("Mean and median per-capita net income per arm (all arms start from the same population)", "各方案人均纯收入的均值和中位数（各方案从同一批人口开始）"),
    ("point in time", "时间点"),
    ("per-capita net income (yuan per person per year)", "人均纯收入（元/人/年）"),
    ("mean", "均值"),
    ("median", "中位数"),
    ("poverty line", "贫困线"),
    // Prices
    ("Commodity prices and planted area", "农产品价格和种植面积"),
    ("Arm “{arm}”, mean of {n} replicates, by month", "方案“{arm}”，{n} 次重复的平均值，逐月"),
    ("; the {shown} of {all} commodities whose price moved most", "；{all} 种产品中价格变动最大的 {shown} 种"),
    ("price, yuan per sales unit (left axis)", "价格，元/销售单位（左轴）"),
    ("planted area incl. outside farmers, mu or head (right axis)", "种植面积（含外地农户），亩或头（右轴）"),
    ("price (yuan/{unit})", "价格（元/{unit}）"),
    ("area (mu or head)", "面积（亩或头）"),
    // Money
    ("to poor households", "到贫困户手中"),
    ("to non-poor households", "到非贫困户手中"),
    ("enterprise equity", "企业股本"),
    ("failed enterprises", "企业倒闭损失"),
    ("enterprise owners", "企业主所得"),
    ("cooperative capital", "合作社资本"),
    ("cooperative founders", "合作社发起人所得"),
    ("diverted", "被挪用"),
    ("lost to late funds", "拨付太晚而损失"),
    ("administration", "管理费用"),
    ("unspent", "未花出"),
    ("public works", "公共工程"),
    ("guarantee capital", "担保资本"),
    ("Where the money went", "钱去了哪里"),
    ("{notes} Shares of the budget credited over the whole run; sinks below 0.1% in every arm are left out.", "{notes}全期预算的去向比例；在所有方案中都低于 0.1% 的去向不画。"),
    ("Mean share of each arm's budget ending in each ledger sink, whole run", "各方案预算最终落到各去向的平均比例（全期）"),
    ("share of the budget (%)", "占预算的比例（%）"),
    // Costs
    ("Cost per sustained exit", "每户稳定脱贫的花费"),
    ("Budget spent per household exit from poverty that lasted, whole run, with 95% interval", "每一户稳定脱贫花掉的预算（全期），含 95% 区间"),
    ("yuan per sustained exit", "元/稳定脱贫户"),
    ("{notes} Budget spent ÷ all sustained exits in the arm (not the exits it adds over the reference). An arm that spends nothing shows 0; arms with no sustained exit are left out.", "{notes}花掉的预算 ÷ 该方案的全部稳定脱贫户（不是比对照多出的户）。不花钱的方案为 0；没有稳定脱贫户的方案不画。"),
    ("{value} yuan", "{value} 元"),
    ("reference", "对照"),
    ("not defined", "无法计算"),
    ("Cost per poverty person-year averted", "每减少一个贫困人年的花费"),
    ("Extra budget spent over “{reference}” per person-year out of poverty, whole run", "比“{reference}”多花的预算 ÷ 减少的贫困人年（全期）"),
    ("yuan per person-year averted", "元/减少的贫困人年"),
    ("{notes} Ratio of paired means with Fieller's 95% interval (no whiskers where it is unbounded). \"not defined\": the arm does not avert poverty person-years on average.", "{notes}配对均值之比，含 Fieller 95% 区间（区间无界时不画须线）。“无法计算”：该方案平均没有减少贫困人年。"),
    // Deciles and winners
    ("Income change by decile against “{reference}”", "各收入十分位组的收入变化：与“{reference}”相比"),
    ("{notes} Deciles of per-capita income before the policy, person-weighted; mean change per person per year over the policy years.", "{notes}按政策实施前人均收入分十组（按人数）；政策期间每人每年的平均变化。"),
    ("decile of income before the policy (1 = poorest)", "政策实施前的收入十分位组（1 = 最穷）"),
    ("change (yuan/person/year)", "变化（元/人/年）"),
    ("Winners and losers against “{reference}”", "受益和受损的农户：与“{reference}”相比"),
    ("{notes} Shares of households, averaged over the policy years.", "{notes}农户比例，政策期间各年平均。"),
    ("share of households", "农户比例"),
    ("better off", "变好"),
    ("unchanged", "不变"),
    ("worse off", "变差"),
    // The report
    ("fupin report: {scenario}", "fupin 报告：{scenario}"),
    ("Arms", "方案"),
    ("Charts", "图表"),
    ("Chart {stem}.", "图 {stem}。"),
    ("Run", "运行信息"),
    ("fupin version", "fupin 版本"),
    ("scenario", "情景"),
    ("scenario file", "情景文件"),
    ("scenario SHA-256", "情景文件 SHA-256"),
    ("seed", "随机种子"),
    ("replicates", "重复次数"),
    ("policy months", "政策月数"),
    ("manifest", "运行清单"),
    ("manifest.json is missing or unreadable", "manifest.json 缺失或无法读取"),
    ("The whole run, {first}–{last}, against {reference}", "全期（{first}–{last} 年）与 {reference} 相比"),
    ("poverty person-years averted", "减少的贫困人年"),
    ("mean yearly effect on the headcount rate", "对贫困发生率的年均影响"),
    ("beats {reference} in", "好于 {reference} 的比例"),
    ("township income per yuan spent", "每花一元带来的全乡收入"),
    ("yuan per additional sustained exit", "每多一户稳定脱贫的花费（元）"),
    ("unbounded", "无界"),
    ("{share}% of replicates", "{share}% 的重复"),
    ("Paired by replicate (same households and shocks). Person-years averted: poor people summed over the policy years, reference minus arm. The costs divide the extra budget spent over the reference by the person-years averted, or by the sustained exits added, as ratios of means with Fieller's 95% interval; they are not defined where the arm does not beat the reference on average. Township income per yuan spent (<code>local_multiplier</code>): the township's income gained over the reference, over the run, per yuan of budget and dibao spent more than the reference (with <code>[local_economy]</code>, local sales and prices included).", "按重复配对（同样的农户和冲击）。减少的贫困人年：政策期间各年贫困人口之和，对照减去该方案。花费是比对照多花的预算除以减少的贫困人年或多出的稳定脱贫户，按均值之比计算，含 Fieller 95% 区间；方案平均不优于对照时无法计算。每花一元带来的全乡收入（<code>local_multiplier</code>）：全期全乡比对照多得的收入，除以比对照多花的预算和低保（有 <code>[local_economy]</code> 时含本地销售和物价）。"),
    ("Who gains and who loses against {reference}", "与 {reference} 相比谁受益、谁受损"),
    ("households better off", "变好的农户"),
    ("households worse off", "变差的农户"),
    ("decile {k}", "第 {k} 组"),
    ("Each household is compared with itself under {reference} (same households and shocks). Shares of households, averaged over the policy years. Deciles of income before the policy, poorest first: the mean change in yuan per person per year over the policy years.", "每户与它自己在 {reference} 下相比（同样的农户和冲击）。农户比例为政策期间各年平均。按政策实施前收入分十组，最穷的在前：政策期间每人每年收入的平均变化（元）。"),
    ("The register, year by year", "建档立卡名单，逐年"),
    ("registered households", "在册贫困户"),
    ("exits", "脱贫退出"),
    ("re-entries (返贫)", "返贫"),
    ("new entrants", "新识别"),
    ("In {arm}, about {exits} households leave poverty each year and {back} fall back into it (返贫), against a register of about {register}. Support stops in the December a household is counted out of poverty, so many exits do not last and the register churns; compare the arms over the whole run, not by one year.", "在 {arm} 中，每年约 {exits} 户脱贫退出，{back} 户返贫，在册约 {register} 户。户在 12 月被认定脱贫后帮扶即停止，很多脱贫不能持续，名单反复进出；请比较整个时期，不要只看一年。"),
    ("Before the policy and in the final year", "政策实施前和最后一年"),
    ("headcount rate, December {year}", "{year} 年 12 月贫困发生率"),
    ("before the policy", "政策实施前"),
    ("end", "结束"),
    ("difference against {reference}, {year}", "{year} 年与 {reference} 之差"),
    ("cost per sustained exit (yuan)", "每户稳定脱贫的花费（元）"),
    ("Means over {n} replicates.", "{n} 次重复的平均值。"),
    ("Means.", "平均值。"),
    ("95% confidence intervals in brackets. Differences are paired by replicate (same households and shocks) and given in percentage points (pp). The cost divides the budget spent by all sustained exits in the arm, not by the exits it adds over the reference.", "方括号内为 95% 置信区间。差值按重复配对（同样的农户和冲击），单位为百分点（pp）。花费是花掉的预算除以该方案全部稳定脱贫户，不是比对照多出的户。"),
    // The sweep's charts and report
    ("whole run", "全期"),
    ("{metric} ({period})", "{metric}（{period}）"),
    ("{outcome} — {arm}", "{outcome}：{arm}"),
    ("{what}: the mean over {n} replicates at each of the {points} design points, against each parameter's value.", "{what}：{points} 个设计点上各 {n} 次重复的平均值，对各参数的取值作图。"),
    ("Morris screening: {what}", "Morris 筛选：{what}"),
    ("{what}: for each parameter, μ* (the mean absolute elementary effect, in the outcome's unit per the parameter's whole range) against σ (the spread of its effects: non-linearity or interactions), over {n} trajectories.", "{what}：每个参数的 μ*（基本效应绝对值的平均，单位为结果的单位/参数的整个取值范围）对 σ（效应的离散程度：非线性或交互作用），共 {n} 条轨迹。"),
    ("Sobol indices: {what}", "Sobol 指数：{what}"),
    ("{what}: first-order (S1) and total (ST) Sobol indices of each parameter, from {n} base samples ({points} points), with 95% bootstrap intervals ({resamples} resamples). ST − S1 is the share of variance the parameter causes through interactions.", "{what}：每个参数的一阶（S1）和总（ST）Sobol 指数，来自 {n} 个基础样本（{points} 个点），含 95% 自助法区间（{resamples} 次重抽样）。ST − S1 是该参数通过交互作用造成的方差份额。"),
    ("{what}, at every design point", "{what}：各设计点"),
    ("y: the outcome ({unit}), mean over {n} replicates; x: each parameter's value; darker dots are several points on top of each other", "纵轴：结果（{unit}），{n} 次重复的平均值；横轴：各参数的取值；颜色较深的点是几个点重叠"),
    ("The outcome is {value} at every design point: no parameter moves it.", "结果在每个设计点都是 {value}：没有参数能改变它。"),
    ("μ* ranks the parameters by influence; σ near or above μ* flags non-linearity or interactions", "μ* 按影响大小给参数排序；σ 接近或超过 μ* 说明有非线性或交互作用"),
    ("Every elementary effect is zero: no parameter moves this outcome over its range.", "所有基本效应都是零：在取值范围内没有参数能改变这个结果。"),
    ("μ*: mean |elementary effect| per whole range", "μ*：基本效应绝对值的平均（每整个取值范围）"),
    ("σ of the elementary effects", "基本效应的 σ"),
    ("Share of the outcome's variance over the design due to each parameter", "结果在设计上的方差中由各参数造成的份额"),
    ("The outcome does not vary across the design points: its Sobol indices are undefined.", "结果在各设计点之间没有变化：Sobol 指数无定义。"),
    ("parameter", "参数"),
    ("Sobol index", "Sobol 指数"),
    ("S1, first order", "S1，一阶"),
    ("ST, total", "ST，总"),
    ("95% bootstrap interval", "95% 自助法区间"),
    ("Some estimates fall outside [0, 1] or have S1 > ST: too few base samples for this outcome; take more.", "有些估计落在 [0, 1] 之外或 S1 > ST：这个结果的基础样本太少，请增加。"),
    ("The axis is cut at −0.1 and 1.1.", "坐标轴在 −0.1 和 1.1 处截断。"),
    ("fupin sweep: {name}", "fupin 参数扫描：{name}"),
    ("Sweep {name}", "参数扫描 {name}"),
    ("a full factorial grid", "全因子网格"),
    ("a Latin hypercube", "拉丁超立方"),
    ("Morris elementary effects, {n} trajectories on {levels} levels", "Morris 基本效应，{n} 条轨迹，{levels} 个水平"),
    ("Sobol indices by Saltelli sampling, {n} base samples", "Saltelli 抽样的 Sobol 指数，{n} 个基础样本"),
    ("common random numbers at every point", "每个点使用共同随机数"),
    ("a seed per point", "每个点一个种子"),
    ("Base scenario {base}; design: {design}; {points} points × {n} replicates; seed {seed}, {draws}.", "基础情景 {base}；设计：{design}；{points} 个点 × {n} 次重复；种子 {seed}，{draws}。"),
    ("Parameters", "参数"),
    ("field", "字段"),
    ("values", "取值"),
    ("Sensitivity", "敏感性"),
    // Chart captions (the report's figure captions)
("Share of people below the poverty line each December, per arm: lines are means over replicates, shaded bands their 95% confidence intervals; the first point is the pre-policy year.", "各方案每年 12 月收入低于贫困线的人口比例（贫困发生率）：线是各次重复的平均值，阴影带是其 95% 置信区间；第一个点是政策实施前一年。"),
("Paired difference in the headcount rate between each arm and the reference (first) arm, in percentage points, with its 95% confidence interval; below zero means fewer poor people than the reference.", "各方案与对照方案（第一个方案）之间贫困发生率的配对差值，单位为百分点，附 95% 置信区间；低于 0 表示贫困人口比对照方案少。"),
("Per-capita net income before the policy and in the final year, summarised by its mean and median (the run records no fuller distribution), with 95% confidence intervals and the poverty line of each year.", "政策实施前和最后一年的人均纯收入，用均值和中位数概括（模拟没有记录更完整的分布），附 95% 置信区间和各年的贫困线。"),
("Commodity prices and planted area (township and outside farmers) by month, mean over replicates of the first arm; when there are more than four commodities, the four whose price moved most.", "逐月的农产品价格和种植面积（本乡镇和外地农户），取第一个方案各次重复的平均值；农产品多于四种时，只画价格变动最大的四种。"),
("Where each arm's budget went over the whole run: mean share of the budget ending in each ledger sink; sinks near zero in every arm are left out.", "整个模拟期间各方案的预算去了哪里：预算最终落到每个资金去向的平均比例；在所有方案中都接近 0 的去向不画。"),
("Budget spent per sustained exit from poverty, per arm, with its 95% confidence interval; it divides by all sustained exits in the arm, not by the exits it adds over the reference.", "各方案每户稳定脱贫花掉的预算，附 95% 置信区间；分母是该方案的全部稳定脱贫户，不是比对照方案多出的脱贫户。"),
("Paired difference in the poverty gap (FGT 1) between each arm and the reference arm each December, in percentage points, with its 95% confidence interval; below zero means the poor are less far below the line.", "每年 12 月各方案与对照方案之间贫困深度（FGT 1）的配对差值，单位为百分点，附 95% 置信区间；低于 0 表示贫困人口离贫困线更近。"),
("Paired difference in mean per-capita net income between each arm and the reference arm each December, in yuan per person per year, with its 95% confidence interval.", "每年 12 月各方案与对照方案之间平均人均纯收入的配对差值，单位为元/人/年，附 95% 置信区间。"),
("Extra budget spent over the reference per poverty person-year averted over the whole run, per arm, with Fieller's 95% interval; the reference, and arms that do not avert poverty on average, are marked as such.", "各方案在整个模拟期间比对照方案多花的预算除以减少的贫困人年（即每减少一个贫困人年多花的钱），附 Fieller 95% 区间；对照方案本身，以及平均而言没有减少贫困的方案，都会单独标明。"),
("Mean change in per-capita net income against the reference, by decile of income before the policy (1 = poorest), over the policy years: each household compared with itself under the reference arm.", "按政策实施前的收入十分位组（1 = 最穷），政策实施各年人均纯收入相对于对照方案的平均变化：每户都与它自己在对照方案下的情况相比。"),
("Share of households better off, unchanged and worse off than under the reference arm, averaged over the policy years: each household compared with itself.", "与在对照方案下相比，境况变好、不变和变差的农户比例，取政策实施各年的平均值：每户都与它自己相比。"),
("Households on the register (建档立卡) each December, per arm, with 95% confidence intervals; exits, re-entries and new entrants by year are in the report's table.", "各方案每年 12 月在册的建档立卡户数，附 95% 置信区间；各年的脱贫退出、返贫重新纳入和新识别户数见报告中的表格。"),
("Households poor again after an earlier exit (返贫) at each December, per arm, with 95% confidence intervals: the churn that support stopping at exit produces.", "各方案每年 12 月脱贫后又重新陷入贫困（返贫）的户数，附 95% 置信区间：这是一脱贫就停止帮扶所造成的反复进出。"),
("The enterprises' capital stock each December, per arm, with 95% confidence intervals: the fund and the owners' co-investment as invested, less depreciation when the enterprise is a firm; drawn when an arm funds an enterprise.", "各方案每年 12 月企业的资本存量，附 95% 置信区间：按投入额计的扶贫资金和业主配套投资，企业为公司时再扣除折旧；有方案出资扶持企业时才画此图。"),
("Township income gained over the reference arm per yuan of budget and dibao spent more than it, each year, per arm, with 95% confidence intervals (local sales and prices included with [local_economy]); drawn when an arm spends more than the reference.", "各方案每年比对照方案多花的预算和低保资金中，每一元使全乡收入比对照方案多出多少，附 95% 置信区间（启用 [local_economy] 时包括本地销售和物价的影响）；有方案比对照方案花钱多时才画此图。"),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The string literals passed to `tr(` and `fill(` in `code`, with
    /// Rust's escapes and line continuations undone.
    fn calls(code: &str) -> Vec<String> {
        let mut out = Vec::new();
        for pat in [".tr(\"", ".fill(\""] {
            let mut rest = code;
            while let Some(i) = rest.find(pat) {
                rest = &rest[i + pat.len()..];
                let mut s = String::new();
                let mut chars = rest.chars().peekable();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some('\n') => {
                                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                                    chars.next();
                                }
                            }
                            Some('n') => s.push('\n'),
                            Some(other) => s.push(other),
                            None => {}
                        },
                        c => s.push(c),
                    }
                }
                out.push(s);
            }
        }
        out
    }

    #[test]
    fn every_string_the_charts_and_report_draw_has_a_chinese_translation() {
        let sources = [
            include_str!("chart/mod.rs"),
            include_str!("report/mod.rs"),
            include_str!("chart/sweep.rs"),
            include_str!("report/sweep.rs"),
        ];
        let used: Vec<String> = sources.iter().flat_map(|s| calls(s)).collect();
        assert!(used.len() > 50, "found only {} strings", used.len());
        let missing: Vec<&String> = used.iter().filter(|u| !ZH.iter().any(|(e, _)| e == u)).collect();
        assert!(missing.is_empty(), "no Chinese for: {missing:#?}");
        for (stem, caption) in crate::chart::CHARTS {
            assert!(ZH.iter().any(|(e, _)| *e == caption), "no Chinese caption for chart {stem}");
        }
        for (en, zh) in ZH {
            let slots = |s: &str| {
                let mut v: Vec<String> =
                    s.split('{').skip(1).filter_map(|p| p.split_once('}').map(|x| x.0.to_string())).collect();
                v.sort();
                v
            };
            assert_eq!(slots(en), slots(zh), "{en} → {zh}: the slots differ");
        }
    }

    #[test]
    fn templates_fill_after_translation() {
        assert_eq!(Lang::Zh.fill("{value} yuan", &[("value", &"1,000")]), "1,000 元");
        assert_eq!(Lang::En.fill("{value} yuan", &[("value", &7)]), "7 yuan");
        assert_eq!(Lang::Zh.tr("a string with no entry"), "a string with no entry");
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("fr"), None);
    }
}
