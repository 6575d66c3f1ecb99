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
        root_id -> Text,
        billing -> Text,
        api_access -> Bool,
        strict_quota -> Bool,
        archived_at -> Nullable<Timestamp>,
        plan_name -> Nullable<Text>,
        seats -> Nullable<Integer>,
        seat_version -> BigInt,
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

diesel::table! {
    invitations (id) {
        id -> Text,
        space_id -> Text,
        email -> Text,
        role -> Text,
        token_hash -> Text,
        invited_by -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Text,
        root_id -> Text,
        space_id -> Text,
        actor_user_id -> Nullable<Text>,
        actor_label -> Text,
        action -> Text,
        summary -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(memberships -> spaces (space_id));
diesel::joinable!(invitations -> spaces (space_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(sessions -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    spaces,
    memberships,
    installation,
    sessions,
    sign_in_failures,
    invitations,
    audit_events,
);
