//! A member of staff at the hub's pages in a desktop Chromium: signing in, waiting for a
//! page, and the pictures of the staff manual.

use std::{
    path::Path,
    time::{Duration, Instant},
};

use gongkai_testkit::webdriver::Browser;
use serde_json::json;

/// The password of every account these tests add.
pub const PASSWORD: &str = "correct horse battery";

/// Waits for the page to say `text`: a click that submits a form returns before the next
/// page is there.
pub fn wait_for_text(browser: &Browser, text: &str) {
    let until = Instant::now() + Duration::from_secs(20);
    while !page_text(browser).contains(text) {
        assert!(Instant::now() < until, "the page never said {text:?}: {}\n{}", browser.current_url(), page_text(browser));
        std::thread::sleep(Duration::from_millis(100));
    }
}

pub fn page_text(browser: &Browser) -> String {
    browser.script("return document.body.innerText;", json!([])).as_str().unwrap_or_default().to_string()
}

/// Saves the page for people reviewing it, and for the manual when asked to.
pub fn picture(browser: &Browser, name: &str) {
    let png = browser.screenshot();
    let kept = Path::new(env!("CARGO_TARGET_TMPDIR")).join("office-pages");
    std::fs::create_dir_all(&kept).unwrap();
    std::fs::write(kept.join(format!("{name}.png")), &png).unwrap();
    if let Some(manual) = std::env::var_os("GONGKAI_MANUAL_SCREENSHOTS") {
        std::fs::create_dir_all(&manual).unwrap();
        std::fs::write(Path::new(&manual).join(format!("{name}.png")), &png).unwrap();
    }
}

/// Signs in as `username` through the log-in page, after whoever was signed in before.
pub fn sign_in(browser: &Browser, url: &str, username: &str) {
    browser.open(&format!("{url}/staff/login"));
    browser.delete_cookies();
    browser.open(&format!("{url}/staff/login"));
    browser.type_into("#username", username);
    browser.type_into("#password", PASSWORD);
    browser.click("button.submit");
    wait_for_text(browser, "退出");
}
