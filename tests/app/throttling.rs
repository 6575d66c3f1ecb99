//! Sign-in throttling per account and address, and per address.

use std::net::{IpAddr, Ipv4Addr};

use reqwest::StatusCode;
use subspace::auth::throttle::{PER_ACCOUNT_AND_IP, PER_IP};

use crate::helpers::*;

both_backends!(
    repeated_wrong_passwords_are_throttled_without_locking_out_the_owner_elsewhere,
    one_address_trying_many_accounts_is_throttled,
);

const ATTACKER: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 7));
const OWNER_ELSEWHERE: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 8));

async fn repeated_wrong_passwords_are_throttled_without_locking_out_the_owner_elsewhere(
    app: TestApp,
) {
    app.set_up_owner().await;
    let attacker = browser_like_client(Some(ATTACKER));
    for attempt in 1..=PER_ACCOUNT_AND_IP {
        let response = app
            .sign_in_with(&attacker, OWNER_EMAIL, "guess guess guess")
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    // Now even the right password from that address is refused, with a message.
    let blocked = app
        .sign_in_with(&attacker, OWNER_EMAIL, OWNER_PASSWORD)
        .await;
    assert_eq!(blocked.status(), StatusCode::TOO_MANY_REQUESTS);
    let html = blocked.text().await.unwrap();
    assert!(
        html.contains("Too many failed sign-in attempts. Wait 15 minutes"),
        "{html}"
    );

    // The owner, from their own address, signs in as usual.
    let owner = browser_like_client(Some(OWNER_ELSEWHERE));
    let response = app.sign_in_with(&owner, OWNER_EMAIL, OWNER_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

async fn one_address_trying_many_accounts_is_throttled(app: TestApp) {
    app.set_up_owner().await;
    let sprayer = browser_like_client(Some(ATTACKER));
    for attempt in 0..PER_IP {
        let email = format!("person{attempt}@example.com");
        let response = app.sign_in_with(&sprayer, &email, "Summer2026!!").await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    let blocked = app
        .sign_in_with(&sprayer, "someone.else@example.com", "Summer2026!!")
        .await;
    assert_eq!(blocked.status(), StatusCode::TOO_MANY_REQUESTS);
}
