//! Security headers on every kind of response.

use reqwest::StatusCode;

use crate::helpers::*;

both_backends!(every_response_carries_the_security_headers);

async fn every_response_carries_the_security_headers(app: TestApp) {
    let setup_page = app.get("/setup").await;
    let css = {
        let html = setup_page.text().await.unwrap();
        let start = html.find("/static/app-").unwrap();
        html[start..start + html[start..].find('"').unwrap()].to_owned()
    };
    let cases = [
        ("/setup", StatusCode::OK, "a page"),
        ("/no-such-page", StatusCode::NOT_FOUND, "the 404 page"),
        (css.as_str(), StatusCode::OK, "a static file"),
        ("/healthz", StatusCode::OK, "a probe"),
    ];
    for (path, status, reason) in cases {
        let response = app.get(path).await;
        assert_eq!(response.status(), status, "{reason}");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_else(|| panic!("{reason}: no {name}"))
                .to_owned()
        };
        let csp = header("content-security-policy");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{reason}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{reason}: {csp}");
        assert_eq!(header("x-content-type-options"), "nosniff", "{reason}");
        assert_eq!(header("referrer-policy"), "same-origin", "{reason}");
    }
}
