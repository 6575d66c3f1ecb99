//! Space images: validated, re-encoded, served only to members.

use std::io::Cursor;

use diesel::prelude::*;
use image::{ImageFormat, RgbaImage};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use subspace::db::schema::spaces;

use crate::helpers::*;

both_backends!(
    an_uploaded_image_is_re_encoded_as_a_square_png,
    bad_images_are_refused_next_to_the_field_and_nothing_is_stored,
    a_space_image_is_not_served_to_people_outside_the_space,
    setup_accepts_an_optional_image,
);

pub fn encoded(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let picture = RgbaImage::from_fn(width, height, |x, y| {
        image::Rgba([(x % 256) as u8, (y % 256) as u8, 120, 255])
    });
    let mut bytes = Vec::new();
    let picture = image::DynamicImage::ImageRgba8(picture);
    let picture = if format == ImageFormat::Jpeg {
        image::DynamicImage::ImageRgb8(picture.to_rgb8())
    } else {
        picture
    };
    picture
        .write_to(&mut Cursor::new(&mut bytes), format)
        .unwrap();
    bytes
}

pub fn png_bytes(width: u32, height: u32) -> Vec<u8> {
    encoded(width, height, ImageFormat::Png)
}

async fn upload(app: &TestApp, bytes: Vec<u8>, file_name: &str) -> reqwest::Response {
    let token = app.csrf_token(&app.client, "/settings/space").await;
    let form = Form::new()
        .text("csrf_token", token)
        .part("image", Part::bytes(bytes).file_name(file_name.to_owned()));
    app.client
        .post(app.url("/settings/space/image"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

fn image_version(app: &TestApp) -> Option<String> {
    app.run_sql(|conn| spaces::table.select(spaces::image_version).first(conn))
}

async fn an_uploaded_image_is_re_encoded_as_a_square_png(app: TestApp) {
    app.set_up_owner().await;
    for (format, name) in [
        (ImageFormat::Png, "a.png"),
        (ImageFormat::Jpeg, "b.jpg"),
        (ImageFormat::WebP, "c.webp"),
    ] {
        let original = encoded(640, 360, format);
        let response = upload(&app, original.clone(), name).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{name}");
        assert_eq!(location(&response), "/settings/space?saved=1");

        let page = app.get_html("/settings/space").await;
        let start = page.find("/spaces/").expect("the page shows the image");
        let url = &page[start..start + page[start..].find('"').unwrap()];
        let served = app.get(url).await;
        assert_eq!(served.status(), StatusCode::OK, "{name}");
        assert_eq!(served.headers()["content-type"], "image/png");
        let bytes = served.bytes().await.unwrap();
        assert_ne!(
            bytes.as_ref(),
            original.as_slice(),
            "{name}: never the uploaded bytes"
        );
        let decoded = image::load_from_memory_with_format(&bytes, ImageFormat::Png).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (256, 256), "{name}");
    }
}

async fn bad_images_are_refused_next_to_the_field_and_nothing_is_stored(app: TestApp) {
    app.set_up_owner().await;
    let mut corrupt = png_bytes(300, 300);
    corrupt.truncate(120);
    let mut oversized = png_bytes(16, 16);
    oversized.resize(6 * 1024 * 1024, 0);
    let cases = [
        (
            b"GIF89a\x01\x00\x01\x00\x80\x00\x00;".to_vec(),
            "anim.gif",
            "Upload a PNG, JPEG or WebP image.",
            "a GIF",
        ),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec(),
            "x.svg",
            "Upload a PNG, JPEG or WebP image.",
            "an SVG",
        ),
        (
            corrupt,
            "broken.png",
            "The image could not be read",
            "a truncated PNG",
        ),
        (
            oversized,
            "huge.png",
            "The image is larger than 5 MB.",
            "over 5 MB",
        ),
        (
            Vec::new(),
            "",
            "Choose an image file to upload.",
            "no file chosen",
        ),
    ];
    for (bytes, name, message, reason) in cases {
        let response = upload(&app, bytes, name).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{reason}"
        );
        let html = response.text().await.unwrap();
        assert!(
            html.contains(&format!("id=\"image-error\">{message}")),
            "{reason}: {message}"
        );
        assert_eq!(image_version(&app), None, "{reason}: nothing stored");
    }
}

async fn a_space_image_is_not_served_to_people_outside_the_space(app: TestApp) {
    app.set_up_owner().await;
    upload(&app, png_bytes(100, 100), "logo.png").await;
    let space_id: String = app.run_sql(|conn| spaces::table.select(spaces::id).first(conn));
    let url = format!(
        "/spaces/{space_id}/image/{}.png",
        image_version(&app).unwrap()
    );
    assert_eq!(app.get(&url).await.status(), StatusCode::OK);

    let stranger = browser_like_client(None);
    let response = get_with(&stranger, &app.url(&url)).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "anonymous visitors must sign in"
    );

    let stale = format!("/spaces/{space_id}/image/0000000000000000.png");
    assert_eq!(
        app.get(&stale).await.status(),
        StatusCode::NOT_FOUND,
        "an old version is gone"
    );
}

async fn setup_accepts_an_optional_image(app: TestApp) {
    let token = app.csrf_token(&app.client, "/setup").await;
    let form = Form::new()
        .text("csrf_token", token)
        .text("name", OWNER_NAME)
        .text("email", OWNER_EMAIL)
        .text("password", OWNER_PASSWORD)
        .text("space_name", SPACE_NAME)
        .part(
            "image",
            Part::bytes(encoded(500, 300, ImageFormat::Jpeg)).file_name("logo.jpg"),
        );
    let response = app
        .client
        .post(app.url("/setup"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(image_version(&app).is_some());
    assert!(
        app.get_html("/")
            .await
            .contains("class=\"space-avatar\" id=\"header-space-avatar\" src=\"/spaces/")
    );
}
