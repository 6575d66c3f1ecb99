//! Every route × every kind of actor. Each actor gets a fresh world (two
//! accounts; the first with sub-workspaces A and B) and walks every route;
//! the table says what each must get. A route missing from the table fails.

use std::collections::HashMap;

use diesel::prelude::*;
use reqwest::{Client, StatusCode};
use subspace::db::schema::spaces;
use subspace::ids;
use subspace::members::queries::{NewInvitation, insert_invitation};
use subspace::members::tokens;
use subspace::spaces::models::{NewMembership, NewSpace};
use subspace::spaces::queries as space_queries;
use subspace::users::models::NewUser;
use subspace::web::routes::ROUTES;

use crate::helpers::*;

both_backends!(every_route_gives_every_actor_the_expected_outcome);

pub(crate) const PASSWORD: &str = "route table password";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Actor {
    Anonymous,
    Viewer,
    Creator,
    Developer,
    /// Super admin of sub-workspace A, acting on A.
    SuperAdmin,
    /// Super admin of the account root, working in A.
    ParentSuperAdmin,
    /// A's Super admin, aiming at the root's objects.
    SubSuperAdminOnParent,
    /// Super admin of sibling B, aiming at A's objects.
    SiblingSuperAdmin,
    /// Super admin of another account, aiming at A's objects.
    OtherAccountSuperAdmin,
}

const ACTORS: [Actor; 9] = [
    Actor::Anonymous,
    Actor::Viewer,
    Actor::Creator,
    Actor::Developer,
    Actor::SuperAdmin,
    Actor::ParentSuperAdmin,
    Actor::SubSuperAdminOnParent,
    Actor::SiblingSuperAdmin,
    Actor::OtherAccountSuperAdmin,
];

/// What one actor gets from one route, in `ACTORS` order.
struct Row {
    method: &'static str,
    path: &'static str,
    expected: [u16; 9],
}

const S: u16 = 303;
#[rustfmt::skip]
const TABLE: &[Row] = &[
    //                                                         anon view crea dev  SA  parent onParent sibling other
    Row { method: "GET",  path: "/",                               expected: [S, 200, 200, 200, 200, 200, 200, 200, 200] },
    Row { method: "GET",  path: "/setup",                          expected: [S, S, S, S, S, S, S, S, S] },
    Row { method: "POST", path: "/setup",                          expected: [409, 409, 409, 409, 409, 409, 409, 409, 409] },
    Row { method: "GET",  path: "/sign-in",                        expected: [200, S, S, S, S, S, S, S, S] },
    Row { method: "POST", path: "/sign-in",                        expected: [401, 401, 401, 401, 401, 401, 401, 401, 401] },
    Row { method: "GET",  path: "/settings/space",                 expected: [S, 200, 200, 200, 200, 200, 200, 200, 200] },
    Row { method: "GET",  path: "/spaces/{space_id}/image/{file}", expected: [S, 200, 200, 200, 200, 200, 404, 404, 404] },
    Row { method: "POST", path: "/settings/space/name",            expected: [S, 403, 403, 403, S, S, S, S, S] },
    Row { method: "POST", path: "/settings/space/image",           expected: [S, 403, 403, 403, S, S, S, S, S] },
    Row { method: "POST", path: "/spaces/{space_id}/switch",       expected: [S, S, S, S, S, S, 404, 404, 404] },
    Row { method: "GET",  path: "/settings/members",               expected: [S, 403, 403, 403, 200, 200, 200, 200, 200] },
    Row { method: "POST", path: "/settings/members/invite",        expected: [S, 403, 403, 403, 200, 200, 404, 404, 404] },
    Row { method: "POST", path: "/settings/members/{id}/role",     expected: [S, 403, 403, 403, S, S, 404, 404, 404] },
    Row { method: "GET",  path: "/settings/members/{id}/remove",   expected: [S, 403, 403, 403, 200, 200, 404, 404, 404] },
    Row { method: "POST", path: "/settings/invitations/{id}/resend", expected: [S, 403, 403, 403, 200, 200, 404, 404, 404] },
    Row { method: "GET",  path: "/settings/workspaces",            expected: [S, 403, 403, 403, 200, 200, 200, 200, 200] },
    Row { method: "GET",  path: "/settings/workspaces/new",        expected: [S, 403, 403, 403, 200, 200, 200, 403, 200] },
    Row { method: "POST", path: "/settings/workspaces",            expected: [S, 403, 403, 403, 200, 200, 200, 403, 200] },
    Row { method: "GET",  path: "/workspaces/{id}/settings",       expected: [S, 404, 404, 404, 404, 200, 404, 404, 404] },
    Row { method: "POST", path: "/workspaces/{id}/settings",       expected: [S, 404, 404, 404, 404, S, 404, 404, 404] },
    Row { method: "GET",  path: "/settings/subscription",          expected: [S, 403, 403, 403, 200, 200, 200, 404, 200] },
    Row { method: "GET",  path: "/settings/audit",                 expected: [S, 403, 403, 403, 200, 200, 200, 200, 200] },
    Row { method: "GET",  path: "/invitations/{token}",            expected: [200, 200, 200, 200, 200, 200, 200, 200, 200] },
    Row { method: "POST", path: "/invitations/{token}",            expected: [422, 422, 422, 422, 422, 422, 422, 422, 422] },
    Row { method: "POST", path: "/settings/members/{id}/remove",   expected: [S, 403, 403, 403, S, S, 404, 404, 404] },
    Row { method: "POST", path: "/settings/invitations/{id}/revoke", expected: [S, 403, 403, 403, S, S, 404, 404, 404] },
    Row { method: "POST", path: "/workspaces/{id}/archive",        expected: [S, 404, 404, 404, 404, S, 404, 404, 404] },
    Row { method: "POST", path: "/workspaces/{id}/restore",        expected: [S, 404, 404, 404, 404, S, 404, 404, 404] },
    Row { method: "GET",  path: "/static/{name}",                  expected: [200, 200, 200, 200, 200, 200, 200, 200, 200] },
    Row { method: "GET",  path: "/healthz",                        expected: [200, 200, 200, 200, 200, 200, 200, 200, 200] },
    Row { method: "GET",  path: "/readyz",                         expected: [200, 200, 200, 200, 200, 200, 200, 200, 200] },
    Row { method: "POST", path: "/sign-out",                       expected: [S, S, S, S, S, S, S, S, S] },
];

/// The ids a world was built with.
pub(crate) struct World {
    pub root: String,
    pub a: String,
    image_versions: HashMap<String, String>,
    pub memberships: HashMap<&'static str, String>,
    pub invitations: HashMap<&'static str, String>,
    token: String,
    emails: HashMap<Actor, &'static str>,
}

pub(crate) fn build_world(app: &TestApp) -> World {
    let hash = subspace::auth::password::hash(PASSWORD).unwrap();
    let mut conn = app.conn();
    let conn = &mut *conn;
    let now = ids::now();
    let mut space = |name: &str, parent: Option<&str>, root: Option<&str>, billing: &str| {
        let id = ids::new_id();
        space_queries::insert(
            conn,
            &NewSpace {
                id: &id,
                parent_id: parent,
                name,
                image_png: None,
                image_version: None,
                created_at: now,
                updated_at: now,
                root_id: root.unwrap_or(&id),
                billing,
                api_access: true,
                strict_quota: false,
                plan_name: Some("Route plan"),
                seats: Some(100),
            },
        )
        .unwrap();
        id
    };
    let root = space("Root Co", None, None, "separate");
    let a = space("Sub A", Some(&root), Some(&root), "separate");
    let b = space("Sub B", Some(&root), Some(&root), "inherited");
    let other = space("Other Co", None, None, "separate");

    let mut memberships = HashMap::new();
    let mut member = |email: &'static str, space_id: &str, role: &str| {
        let user_id = match subspace::users::queries::find_by_email(conn, email).unwrap() {
            Some(user) => user.id,
            None => {
                let id = ids::new_id();
                subspace::users::queries::insert(
                    conn,
                    &NewUser {
                        id: &id,
                        name: email,
                        email,
                        password_hash: &hash,
                        created_at: now,
                    },
                )
                .unwrap();
                id
            }
        };
        let id = ids::new_id();
        space_queries::insert_membership(
            conn,
            &NewMembership {
                id: &id,
                space_id,
                user_id: &user_id,
                role,
                created_at: now,
            },
        )
        .unwrap();
        id
    };
    memberships.insert(
        "root owner",
        member("owner@route.test", &root, "super_admin"),
    );
    member("a.admin@route.test", &a, "super_admin");
    member("a.dev@route.test", &a, "developer");
    member("a.creator@route.test", &a, "creator");
    member("a.viewer@route.test", &a, "viewer");
    memberships.insert("a extra", member("a.extra@route.test", &a, "viewer"));
    member("b.admin@route.test", &b, "super_admin");
    member("other@route.test", &other, "super_admin");

    let mut invitations = HashMap::new();
    let mut invite = |email: &str, space_id: &str| {
        let (token, token_hash) = tokens::generate();
        let id = ids::new_id();
        insert_invitation(
            conn,
            &NewInvitation {
                id: &id,
                space_id,
                email,
                role: "viewer",
                token_hash: &token_hash,
                invited_by: None,
                created_at: now,
                expires_at: now + chrono::TimeDelta::days(7),
            },
        )
        .unwrap();
        (id, token)
    };
    invitations.insert("a", invite("pending.a@route.test", &a).0);
    invitations.insert("root", invite("pending.root@route.test", &root).0);
    let token = invite("token.holder@route.test", &a).1;

    let png = crate::images::png_bytes(32, 32);
    let thumbnail = subspace::spaces::image::process_upload(&png).unwrap();
    let mut image_versions = HashMap::new();
    for id in [&root, &a] {
        space_queries::set_image(conn, id, &thumbnail.png, &thumbnail.version).unwrap();
        image_versions.insert(id.clone(), thumbnail.version.clone());
    }
    let emails = HashMap::from([
        (Actor::Viewer, "a.viewer@route.test"),
        (Actor::Creator, "a.creator@route.test"),
        (Actor::Developer, "a.dev@route.test"),
        (Actor::SuperAdmin, "a.admin@route.test"),
        (Actor::ParentSuperAdmin, "owner@route.test"),
        (Actor::SubSuperAdminOnParent, "a.admin@route.test"),
        (Actor::SiblingSuperAdmin, "b.admin@route.test"),
        (Actor::OtherAccountSuperAdmin, "other@route.test"),
    ]);
    World {
        root,
        a,
        image_versions,
        memberships,
        invitations,
        token,
        emails,
    }
}

/// Signs the actor in and puts them in the space they work in.
pub(crate) async fn sign_in(app: &TestApp, world: &World, actor: Actor) -> Client {
    let client = browser_like_client(None);
    let Some(email) = world.emails.get(&actor) else {
        get_with(&client, &app.url("/sign-in")).await; // an anonymous session with a CSRF token
        return client;
    };
    let response = app.sign_in_with(&client, email, PASSWORD).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{actor:?} signs in"
    );
    if actor == Actor::ParentSuperAdmin {
        let switched = post_form_with(
            app,
            &client,
            &format!("/spaces/{}/switch", world.a),
            "/",
            &[],
        )
        .await;
        assert_eq!(switched.status(), StatusCode::SEE_OTHER);
    }
    client
}

fn current_space_name(actor: Actor) -> &'static str {
    match actor {
        Actor::SiblingSuperAdmin => "Sub B",
        Actor::OtherAccountSuperAdmin => "Other Co",
        _ => "Sub A",
    }
}

async fn request(app: &TestApp, world: &World, client: &Client, actor: Actor, row: &Row) -> u16 {
    let on_parent = actor == Actor::SubSuperAdminOnParent;
    let space = if on_parent { &world.root } else { &world.a };
    let membership = &world.memberships[if on_parent { "root owner" } else { "a extra" }];
    let invitation = &world.invitations[if on_parent { "root" } else { "a" }];
    let htmx_asset = subspace::web::assets::Assets::get().htmx_js.clone();
    let path = row
        .path
        .replace("{space_id}", space)
        .replace("{file}", &format!("{}.png", world.image_versions[space]))
        .replace("{token}", &world.token)
        .replace("/static/{name}", &htmx_asset)
        .replace(
            "{id}",
            if row.path.contains("members/") {
                membership
            } else if row.path.contains("invitations/") {
                invitation
            } else {
                space
            },
        );
    let url = app.url(&path);
    if row.method == "GET" {
        return get_with(client, &url).await.status().as_u16();
    }
    let token_page = if actor == Actor::Anonymous {
        "/sign-in"
    } else {
        "/settings/space"
    };
    let token = app.csrf_token(client, token_page).await;
    let unique = format!("{actor:?}").to_lowercase();
    let text_fields: Vec<(String, String)> = match row.path {
        "/settings/space/name" => vec![("name".into(), current_space_name(actor).into())],
        "/sign-in" => vec![
            ("email".into(), "owner@route.test".into()),
            ("password".into(), "wrong password".into()),
        ],
        "/settings/members/invite" => vec![
            ("emails".into(), format!("{unique}@invitee.test")),
            ("role".into(), "viewer".into()),
            ("space_id".into(), space.clone()),
        ],
        "/settings/members/{id}/role" => vec![(
            "role".into(),
            if on_parent { "super_admin" } else { "viewer" }.into(),
        )],
        "/workspaces/{id}/archive" => vec![(
            "confirm_name".into(),
            if on_parent { "Root Co" } else { "Sub A" }.into(),
        )],
        "/invitations/{token}" => vec![
            ("name".into(), String::new()),
            ("password".into(), String::new()),
        ],
        _ => Vec::new(),
    };
    let multipart = matches!(
        row.path,
        "/setup" | "/settings/space/image" | "/settings/workspaces" | "/workspaces/{id}/settings"
    );
    let request = client.post(url);
    let request = if multipart {
        let mut form = reqwest::multipart::Form::new().text("csrf_token", token);
        form = match row.path {
            "/setup" => form
                .text("name", "Late Owner")
                .text("email", "late@route.test")
                .text("password", "long enough password")
                .text("space_name", "Late Co"),
            "/settings/space/image" => form.part(
                "image",
                reqwest::multipart::Part::bytes(crate::images::png_bytes(40, 40))
                    .file_name("x.png"),
            ),
            "/settings/workspaces" => form
                .text("name", format!("New by {unique}"))
                .text("billing", "inherited"),
            _ => form
                .text("name", if on_parent { "Root Co" } else { "Sub A" })
                .text("billing", "separate"),
        };
        request.multipart(form)
    } else {
        let mut fields = vec![("csrf_token".to_owned(), token)];
        fields.extend(text_fields);
        request.form(&fields)
    };
    request.send().await.unwrap().status().as_u16()
}

async fn every_route_gives_every_actor_the_expected_outcome(first: TestApp) {
    let mut table_routes: Vec<(&str, &str)> = TABLE.iter().map(|r| (r.method, r.path)).collect();
    let mut app_routes: Vec<(&str, &str)> = ROUTES.to_vec();
    table_routes.sort();
    app_routes.sort();
    assert_eq!(
        table_routes, app_routes,
        "every route of the app has a row, and every row a route"
    );

    let backend = first.backend;
    let mut next = Some(first);
    let mut failures = Vec::new();
    for (column, actor) in ACTORS.into_iter().enumerate() {
        let app = match next.take() {
            Some(app) => app,
            None => spawn_app(backend).await.expect("the backend is available"),
        };
        let world = build_world(&app);
        let client = sign_in(&app, &world, actor).await;
        for row in TABLE {
            let got = request(&app, &world, &client, actor, row).await;
            if got != row.expected[column] {
                failures.push(format!(
                    "{actor:?} {} {}: expected {}, got {got}",
                    row.method, row.path, row.expected[column]
                ));
            }
        }
        // Cross-account attempts change nothing in the other account.
        if actor == Actor::OtherAccountSuperAdmin {
            let (name, archived): (String, Option<chrono::NaiveDateTime>) = app.run_sql(|conn| {
                spaces::table
                    .find(&world.a)
                    .select((spaces::name, spaces::archived_at))
                    .first(conn)
            });
            assert_eq!((name.as_str(), archived), ("Sub A", None));
        }
    }
    assert!(
        failures.is_empty(),
        "{} unexpected outcomes:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
