//! Chart data: what a chart shows, already counted and formatted, but not how it is drawn.

/// One 数据看板 or wall page: headline counters, then panels of charts.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    pub title: String,
    /// The few figures that carry the page; all a narrow strip has room for.
    pub kpis: Vec<Kpi>,
    /// In order of importance: a layout with less room shows the first ones.
    pub panels: Vec<Panel>,
}

/// A headline figure; `value` is formatted (`6,104`, `12.5万`, `96.2`) and rolls digit by digit.
#[derive(Debug, Clone, PartialEq)]
pub struct Kpi {
    pub label: String,
    pub value: String,
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    pub title: String,
    pub chart: Chart,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// A share of a whole as a ring, the percentage in its middle.
    Ring { ratio: f64, caption: String },
    Bars { direction: BarDirection, bars: Vec<Slice> },
    /// Bars made of one segment per series (e.g. 许可 and 处罚 per department).
    Stacked { series: Vec<String>, groups: Vec<Group> },
    /// One line per series over the labelled points of the x axis.
    Line { x_labels: Vec<String>, series: Vec<Series> },
    /// Shares of a whole, with a legend; `centre` is written in the hole.
    Donut { slices: Vec<Slice>, centre: String },
    /// A table whose rows scroll up when there are more than fit.
    Ranking { columns: Vec<String>, rows: Vec<Vec<String>> },
    /// Items a visitor can take to their phone, each with a large QR code.
    Consultations(Vec<ConsultationCard>),
    /// Titles with a line under each (notices, 居务公开 posts).
    Items(Vec<Item>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarDirection {
    Horizontal,
    Vertical,
}

/// One labelled value; `text` is how the value is written beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Slice {
    pub label: String,
    pub value: f64,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub label: String,
    /// One value per series, in the series' order.
    pub values: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConsultationCard {
    pub id: String,
    pub title: String,
    pub caption: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub title: String,
    pub meta: String,
}

impl Kpi {
    pub fn new(label: &str, value: String, unit: &str) -> Self {
        Self { label: label.into(), value, unit: unit.into() }
    }
}

impl Slice {
    pub fn count(label: impl Into<String>, value: u64) -> Self {
        Self { label: label.into(), value: value as f64, text: crate::number_format::grouped(value) }
    }
    /// A percentage, `value` in 0–100.
    pub fn percent(label: impl Into<String>, value: f64) -> Self {
        Self { label: label.into(), value, text: crate::number_format::percent(value / 100.0, 0) }
    }
}

/// The ticks of a value axis from 0: a round step (1, 2 or 5 × 10ⁿ) with 3 to 6 intervals,
/// the last tick at or above `max`.
pub fn axis_ticks(max: f64) -> Vec<f64> {
    if !(max.is_finite() && max > 0.0) {
        return vec![0.0, 1.0];
    }
    let rough = max / 4.0;
    let magnitude = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * magnitude).find(|s| max / s <= 5.0).unwrap_or(10.0 * magnitude);
    let intervals = (max / step).ceil().max(1.0) as usize;
    (0..=intervals).map(|i| i as f64 * step).collect()
}

#[cfg(test)]
mod tests {
    use super::axis_ticks;

    #[test]
    fn axis_ticks_are_round_and_cover_the_maximum() {
        assert_eq!(axis_ticks(100.0), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(axis_ticks(7.0), [0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(axis_ticks(6104.0), [0.0, 2000.0, 4000.0, 6000.0, 8000.0]);
        assert_eq!(axis_ticks(0.0), [0.0, 1.0]);
        for max in [0.3, 1.0, 3.0, 9.9, 47.0, 1234.0, 99_999.0] {
            let ticks = axis_ticks(max);
            assert!(*ticks.last().unwrap() >= max, "{max}: {ticks:?}");
            assert!((3..=7).contains(&ticks.len()), "{max}: {ticks:?}");
        }
    }
}
