//! Migrations and the schema the code is compiled against.

use diesel::prelude::*;
use subspace::db::{self, schema::*};
use subspace::members::queries::Invitation;
use subspace::spaces::models::Space;

use crate::helpers::*;

both_backends!(migrations_are_applied_at_start_and_match_the_schema);

async fn migrations_are_applied_at_start_and_match_the_schema(app: TestApp) {
    // Start-up applied everything: a second run has nothing left to do.
    let again = db::run_migrations(&mut app.conn()).unwrap();
    assert_eq!(again, 0);

    // Selecting every column of every table fails if a migration and
    // src/db/schema.rs disagree on a name or type.
    app.set_up_owner().await;
    let mut conn = app.conn();
    let conn = &mut *conn;
    assert_eq!(
        users::table
            .select(users::all_columns)
            .load::<(String, String, String, String, chrono::NaiveDateTime)>(conn)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        spaces::table
            .select((Space::as_select(), spaces::image_png, spaces::seat_version))
            .load::<(Space, Option<Vec<u8>>, i64)>(conn)
            .unwrap()
            .len(),
        1
    );
    invitations::table
        .select(Invitation::as_select())
        .load::<Invitation>(conn)
        .unwrap();
    audit_events::table
        .select(audit_events::all_columns)
        .load::<(
            String,
            String,
            String,
            Option<String>,
            String,
            String,
            String,
            chrono::NaiveDateTime,
        )>(conn)
        .unwrap();
    assert_eq!(
        memberships::table
            .select(memberships::all_columns)
            .load::<(String, String, String, String, chrono::NaiveDateTime)>(conn)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        installation::table
            .select(installation::all_columns)
            .load::<(String, String, chrono::NaiveDateTime)>(conn)
            .unwrap()
            .len(),
        1
    );
    assert!(
        !sessions::table
            .select(sessions::all_columns)
            .load::<(
                String,
                Option<String>,
                String,
                chrono::NaiveDateTime,
                chrono::NaiveDateTime
            )>(conn)
            .unwrap()
            .is_empty()
    );
    sign_in_failures::table
        .select(sign_in_failures::all_columns)
        .load::<(String, String, String, chrono::NaiveDateTime)>(conn)
        .unwrap();
}
