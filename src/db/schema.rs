// @generated shape: kept in step with migrations/{sqlite,postgres} by hand,
// checked by the `schema_matches_migrations` integration test.

diesel::table! {
    users (id) {
        id -> Text,
        name -> Text,
        email -> Text,
        password_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    spaces (id) {
        id -> Text,
        parent_id -> Nullable<Text>,
        name -> Text,
        image_png -> Nullable<Binary>,
        image_version -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    memberships (id) {
        id -> Text,
        space_id -> Text,
        user_id -> Text,
        role -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    installation (id) {
        id -> Text,
        owner_user_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id_hash) {
        id_hash -> Text,
        user_id -> Nullable<Text>,
        state -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    sign_in_failures (id) {
        id -> Text,
        ip -> Text,
        email -> Text,
        failed_at -> Timestamp,
    }
}

diesel::joinable!(memberships -> spaces (space_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(sessions -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    spaces,
    memberships,
    installation,
    sessions,
    sign_in_failures,
);
