//! Error pages, probes and page hygiene.

use reqwest::StatusCode;

use crate::helpers::*;

both_backends!(
    unknown_pages_get_a_404_in_the_app_layout,
    probes_report_process_and_database,
    pages_have_no_inline_script_or_style,
);

async fn unknown_pages_get_a_404_in_the_app_layout(app: TestApp) {
    app.set_up_owner().await;
    let response = app.get("/no/such/page").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let html = response.text().await.unwrap();
    assert!(html.contains("Page not found"));
    assert!(html.contains("class=\"app-header\""), "the app's layout");
}

async fn probes_report_process_and_database(app: TestApp) {
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), StatusCode::OK);
    assert_eq!(ready.text().await.unwrap(), "ready");
}

async fn pages_have_no_inline_script_or_style(app: TestApp) {
    let mut pages = vec![app.get_html("/setup").await];
    app.set_up_owner().await;
    let alpha = app
        .create_workspace(&app.client, "Client Alpha", "inherited", &[])
        .await;
    for path in [
        "/".to_owned(),
        "/settings/space".to_owned(),
        "/settings/members".to_owned(),
        "/settings/workspaces".to_owned(),
        "/settings/workspaces/new".to_owned(),
        format!("/workspaces/{alpha}/settings"),
        "/settings/subscription".to_owned(),
        "/settings/audit".to_owned(),
    ] {
        pages.push(app.get_html(&path).await);
    }
    for html in pages {
        for tag in html
            .match_indices("<script")
            .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap()])
        {
            assert!(
                tag.contains(" src=\"/static/"),
                "inline or foreign script: {tag}"
            );
        }
        assert!(!html.contains(" onclick="), "no inline handlers");
        assert!(
            !html.contains(" style="),
            "no inline styles: the CSP would block them"
        );
    }
}
