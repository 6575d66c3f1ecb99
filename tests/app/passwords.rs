//! Password storage.

use diesel::prelude::*;
use reqwest::StatusCode;
use subspace::db::schema::users;

use crate::helpers::*;

both_backends!(
    passwords_are_stored_as_argon2id_at_owasp_parameters,
    a_weaker_hash_is_upgraded_at_the_next_sign_in,
);

fn stored_hash(app: &TestApp) -> String {
    app.run_sql(|conn| users::table.select(users::password_hash).first(conn))
}

async fn passwords_are_stored_as_argon2id_at_owasp_parameters(app: TestApp) {
    app.set_up_owner().await;
    let hash = stored_hash(&app);
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    assert!(!hash.contains(OWNER_PASSWORD));
}

async fn a_weaker_hash_is_upgraded_at_the_next_sign_in(app: TestApp) {
    use argon2::password_hash::PasswordHasher;
    app.set_up_owner().await;
    app.sign_out(&app.client).await;
    let weak = argon2::Argon2::new(
        argon2::Algorithm::Argon2i,
        argon2::Version::V0x13,
        argon2::Params::new(4096, 1, 1, None).unwrap(),
    )
    .hash_password(OWNER_PASSWORD.as_bytes())
    .unwrap()
    .to_string();
    app.run_sql(|conn| {
        diesel::update(users::table)
            .set(users::password_hash.eq(&weak))
            .execute(conn)
    });

    let response = app
        .sign_in_with(&app.client, OWNER_EMAIL, OWNER_PASSWORD)
        .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "the old hash still verifies"
    );
    let upgraded = stored_hash(&app);
    assert!(
        upgraded.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{upgraded}"
    );
}
