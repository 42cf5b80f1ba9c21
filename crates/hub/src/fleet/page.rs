//! The staff page listing the kiosks: plain server-rendered HTML, every value escaped.

use gongkai_core::fleet::KioskReport;

use crate::fleet::KioskSummary;

/// The page's stylesheet; the Content-Security-Policy names its hash.
pub const STYLE: &str = "body{font-family:sans-serif;margin:1rem}table{border-collapse:collapse;width:100%}\
td,th{border:1px solid #ccc;padding:.4rem;text-align:left}.offline td:nth-child(2){color:#9e2e00;font-weight:bold}";

pub fn render(kiosks: &[KioskSummary]) -> String {
    let mut rows = String::new();
    for k in kiosks {
        let report = k.report.as_ref();
        let cells = [
            escape(&k.kiosk_id),
            if k.online { "在线".into() } else { "离线".into() },
            k.last_seen_s.map_or("从未".into(), |s| format!("{s} 秒前")),
            k.content_version.map_or("—".into(), |v| v.to_string()),
            k.behind_published.map_or("—".into(), |b| if b == 0 { "最新".into() } else { format!("落后 {b} 个版本") }),
            report.map_or("—".into(), |r| escape(&r.last_sync)),
            report.map_or("—".into(), |r| format!("{} · {:.0} 帧/秒 · {:.0} MB", escape(&r.resolution), r.frame_rate, r.memory_mb)),
            report.map_or(String::new(), problems),
        ];
        let class = if k.online { "online" } else { "offline" };
        rows.push_str(&format!("<tr class=\"{class}\"><td>{}</td></tr>\n", cells.join("</td><td>")));
    }
    format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>终端状态</title>\
         <style>{STYLE}</style>\
         </head><body><h1>终端状态</h1><table><tr><th>终端</th><th>状态</th><th>最近心跳</th><th>内容版本</th>\
         <th>与发布版本</th><th>最近同步</th><th>屏幕</th><th>最近错误</th></tr>\n{rows}</table></body></html>"
    )
}

/// The kiosk's latest errors, and wrong admin PINs typed at it, if any.
fn problems(report: &KioskReport) -> String {
    let mut lines: Vec<String> = report.recent_errors.iter().map(|e| escape(e)).collect();
    if report.wrong_pins > 0 {
        lines.push(format!("管理密码输错 {} 次", report.wrong_pins));
    }
    lines.join("<br>")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped() {
        let page = render(&[KioskSummary {
            kiosk_id: "<script>alert(1)</script>".into(),
            online: false,
            last_seen_s: None,
            content_version: None,
            behind_published: None,
            report: None,
        }]);
        assert!(page.contains("&lt;script&gt;"));
        assert!(!page.contains("<script>"));
    }

    #[test]
    fn wrong_admin_pins_are_shown_with_the_errors() {
        let report = KioskReport { kiosk_id: "hall-1".into(), wrong_pins: 7, recent_errors: vec!["同步失败".into()], ..Default::default() };
        let page = render(&[KioskSummary {
            kiosk_id: "hall-1".into(),
            online: true,
            last_seen_s: Some(3),
            content_version: None,
            behind_published: None,
            report: Some(report),
        }]);
        assert!(page.contains("同步失败<br>管理密码输错 7 次"), "{page}");
    }
}
