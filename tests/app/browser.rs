//! End-to-end in headless Chromium (Debian's `chromium` and `chromium-driver`),
//! driven over WebDriver with fantoccini: what a person does, click by click.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::helpers::*;

both_backends!(
    first_run_then_rename_sign_out_and_sign_in_again,
    an_admin_creates_a_sub_workspace_and_its_invited_creator_joins_it,
);

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A chromedriver process of one test, killed with it.
struct Driver {
    child: Child,
    url: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts chromedriver, or says why the browser tests cannot run here.
async fn start_browser() -> Option<(Driver, Client)> {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the browser tests: install Debian's chromium and chromium-driver"
        );
        eprintln!(
            "skipped browser test: {CHROMIUM} or {CHROMEDRIVER} is not installed (apt-get install chromium chromium-driver)"
        );
        return None;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting chromedriver");
    let profile = tempfile::tempdir().unwrap();
    let driver = Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
        _profile: profile,
    };

    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,900",
                format!("--user-data-dir={}", driver._profile.path().display()),
            ]
        }
    });
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let attempt = ClientBuilder::new(connector.clone())
            .capabilities(capabilities.as_object().unwrap().clone())
            .connect(&driver.url)
            .await;
        match attempt {
            Ok(client) => return Some((driver, client)),
            Err(error) if Instant::now() > deadline => {
                panic!("chromedriver did not start: {error}")
            }
            Err(_) => actix_web::rt::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

async fn fill(browser: &Client, id: &str, value: &str) {
    let field = browser
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"));
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

async fn click_button(browser: &Client, label: &str) {
    let xpath = format!("//button[normalize-space(.)='{label}']");
    browser
        .find(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|e| panic!("button {label}: {e}"))
        .click()
        .await
        .unwrap();
}

/// Waits until the element's text is `expected`.
async fn wait_for_text(browser: &Client, css: &str, expected: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let text = match browser.find(Locator::Css(css)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if text.trim() == expected {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{css} shows {text:?}, expected {expected:?}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn wait_for_path(browser: &Client, path: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let url = browser.current_url().await.unwrap();
        if url.path() == path {
            return;
        }
        assert!(Instant::now() < deadline, "at {url}, expected {path}");
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn open_account_menu_and_choose(browser: &Client, item: &str) {
    browser
        .find(Locator::Css("details.menu > summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let xpath = format!("//div[@class='menu-items']//*[normalize-space(.)='{item}']");
    browser
        .find(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|e| panic!("menu item {item}: {e}"))
        .click()
        .await
        .unwrap();
}

async fn first_run_then_rename_sign_out_and_sign_in_again(app: TestApp) {
    let Some((_driver, browser)) = start_browser().await else {
        return;
    };

    // First run: the app sends the first visitor to setup.
    browser.goto(&app.url("/")).await.unwrap();
    wait_for_path(&browser, "/setup").await;
    fill(&browser, "name", OWNER_NAME).await;
    fill(&browser, "email", OWNER_EMAIL).await;
    fill(&browser, "password", OWNER_PASSWORD).await;
    fill(&browser, "space_name", SPACE_NAME).await;
    click_button(&browser, "Create my space").await;
    wait_for_path(&browser, "/").await;
    wait_for_text(&browser, "#header-space-name", SPACE_NAME).await;

    // Rename through Space Settings (htmx swaps the form and the header).
    open_account_menu_and_choose(&browser, "Space Settings").await;
    wait_for_path(&browser, "/settings/space").await;
    fill(&browser, "name", "Acme Video Lab").await;
    click_button(&browser, "Save name").await;
    wait_for_text(&browser, "#header-space-name", "Acme Video Lab").await;
    wait_for_text(&browser, "#space-name-card [role=status]", "Saved.").await;
    assert_eq!(
        browser.current_url().await.unwrap().path(),
        "/settings/space",
        "no full-page reload"
    );

    // Sign out, then back in.
    open_account_menu_and_choose(&browser, "Sign out").await;
    wait_for_path(&browser, "/sign-in").await;
    fill(&browser, "email", OWNER_EMAIL).await;
    fill(&browser, "password", "a wrong password").await;
    click_button(&browser, "Sign in").await;
    wait_for_text(
        &browser,
        "#sign-in-problem",
        "That email and password do not match an account. Check both and try again.",
    )
    .await;
    fill(&browser, "password", OWNER_PASSWORD).await;
    click_button(&browser, "Sign in").await;
    wait_for_path(&browser, "/").await;
    wait_for_text(&browser, "h1", "Acme Video Lab").await;

    open_account_menu_and_choose(&browser, "Sign out").await;
    wait_for_path(&browser, "/sign-in").await;
    browser.close().await.unwrap();
}

async fn an_admin_creates_a_sub_workspace_and_its_invited_creator_joins_it(app: TestApp) {
    let Some((_driver, browser)) = start_browser().await else {
        return;
    };
    app.set_up_owner().await;

    browser.goto(&app.url("/sign-in")).await.unwrap();
    fill(&browser, "email", OWNER_EMAIL).await;
    fill(&browser, "password", OWNER_PASSWORD).await;
    click_button(&browser, "Sign in").await;
    wait_for_path(&browser, "/").await;

    open_account_menu_and_choose(&browser, "Members & Workspaces").await;
    wait_for_path(&browser, "/settings/members").await;
    browser
        .find(Locator::LinkText("Sub-Workspaces"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(&browser, "/settings/workspaces").await;
    browser
        .find(Locator::LinkText("Create Sub-Workspace"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(&browser, "/settings/workspaces/new").await;
    fill(&browser, "name", "Client Alpha").await;
    fill(&browser, "invite_email_1", "alpha.creator@example.com").await;
    click_button(&browser, "Create Sub-Workspace").await;
    wait_for_text(&browser, "#sent-invitations h2", "Invitations sent").await;
    let link = browser
        .find(Locator::Css("#sent-invitations input"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .expect("the invitation link is shown to copy");

    // The gear opens the settings dialog in place; API access on; save.
    browser
        .find(Locator::Css("[aria-label='Settings for Client Alpha']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let dialog = browser
        .wait()
        .for_element(Locator::Css("dialog[open]"))
        .await
        .unwrap();
    dialog
        .find(Locator::Css("input[name=api_access]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click_button(&browser, "Save Settings").await;
    wait_for_text(&browser, "[role=status]", "Settings saved.").await;
    let api_on: bool = app.run_sql(|conn| {
        use diesel::prelude::*;
        use subspace::db::schema::spaces;
        spaces::table
            .filter(spaces::name.eq("Client Alpha"))
            .select(spaces::api_access)
            .first(conn)
    });
    assert!(api_on, "the dialog saved API access");

    // The invited Creator, in a browser of their own, accepts the link.
    browser.delete_all_cookies().await.unwrap();
    browser.goto(&link).await.unwrap();
    wait_for_text(&browser, "h1", "Join Client Alpha").await;
    fill(&browser, "name", "Alpha Creator").await;
    fill(&browser, "password", "creator password 1").await;
    click_button(&browser, "Create account and join").await;
    wait_for_path(&browser, "/").await;
    wait_for_text(&browser, "h1", "Client Alpha").await;

    // They see the sub-workspace, but not its settings.
    browser
        .find(Locator::Css("details.menu > summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let menu = browser
        .find(Locator::Css(".menu-items"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!menu.contains("Members & Workspaces"), "{menu}");
    let id = app.space_id_named("Client Alpha");
    browser
        .goto(&app.url(&format!("/workspaces/{id}/settings")))
        .await
        .unwrap();
    wait_for_text(&browser, "h1", "Page not found").await;
    browser.close().await.unwrap();
}
