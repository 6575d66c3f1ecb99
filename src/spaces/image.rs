//! Space images: an upload is decoded (PNG, JPEG or WebP only), cropped to a
//! square and re-encoded as a fresh PNG, so no uploaded byte is ever served back.

use std::io::Cursor;

use image::imageops::FilterType;
use image::{ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};

pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;
pub const THUMBNAIL_SIDE: u32 = 256;
const MAX_SIDE: u32 = 8_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    #[error("Choose an image file to upload.")]
    Missing,
    #[error("The image is larger than 5 MB. Choose a smaller file.")]
    TooLarge,
    #[error("Upload a PNG, JPEG or WebP image.")]
    UnsupportedType,
    #[error("The image could not be read: the file may be damaged. Try another file.")]
    Unreadable,
    #[error("The image is too big to process (over 8000 pixels on a side).")]
    TooManyPixels,
}

/// A processed image: PNG bytes and a short content hash for cache-busting URLs.
#[derive(Debug, Clone)]
pub struct Thumbnail {
    pub png: Vec<u8>,
    pub version: String,
}

/// Validates and re-encodes an uploaded image. CPU-bound: run on the blocking pool.
pub fn process_upload(bytes: &[u8]) -> Result<Thumbnail, ImageError> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(ImageError::TooLarge);
    }
    let format = image::guess_format(bytes).map_err(|_| ImageError::UnsupportedType)?;
    if !matches!(
        format,
        ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP
    ) {
        return Err(ImageError::UnsupportedType);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let decoded = reader.decode().map_err(|error| match error {
        image::ImageError::Limits(_) => ImageError::TooManyPixels,
        _ => ImageError::Unreadable,
    })?;
    let square = decoded.resize_to_fill(THUMBNAIL_SIDE, THUMBNAIL_SIDE, FilterType::Lanczos3);
    let mut png = Vec::new();
    square
        .to_rgba8()
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|_| ImageError::Unreadable)?;
    let version = hex::encode(&Sha256::digest(&png)[..8]);
    Ok(Thumbnail { png, version })
}
