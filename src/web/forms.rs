//! Form plumbing: per-field error messages, and reading multipart forms that
//! carry one optional file.

use std::collections::HashMap;

use actix_multipart::Multipart;
use futures_util::TryStreamExt;

use crate::domain::FieldError;
use crate::error::AppError;

/// Messages to show next to the fields that caused them.
#[derive(Debug, Default)]
pub struct FieldErrors(HashMap<&'static str, String>);

impl FieldErrors {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.entry(field).or_insert_with(|| message.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Parses one field, keeping the message if it fails.
    pub fn check<T>(&mut self, field: &'static str, parsed: Result<T, FieldError>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(field, error.0);
                None
            }
        }
    }
}

/// A multipart form: its text fields and at most one file.
#[derive(Default)]
pub struct MultipartForm {
    text: HashMap<String, String>,
    pub file: Option<Vec<u8>>,
    /// The file was larger than the limit (reading stopped there).
    pub file_too_large: bool,
}

impl MultipartForm {
    pub fn text(&self, name: &str) -> &str {
        self.text.get(name).map(String::as_str).unwrap_or("")
    }

    /// Reads every field; `file_field` may hold up to `max_file` bytes. A file
    /// input left empty by the browser counts as no file.
    pub async fn read(
        mut multipart: Multipart,
        file_field: &str,
        max_file: usize,
    ) -> Result<MultipartForm, AppError> {
        const MAX_TEXT: usize = 16 * 1024;
        let mut form = MultipartForm::default();
        while let Some(mut field) = multipart
            .try_next()
            .await
            .map_err(|_| AppError::PayloadTooLarge)?
        {
            let name = field.name().unwrap_or_default().to_owned();
            let is_file = name == file_field;
            let limit = if is_file { max_file } else { MAX_TEXT };
            let mut bytes = Vec::new();
            let mut too_large = false;
            while let Some(chunk) = field
                .try_next()
                .await
                .map_err(|_| AppError::PayloadTooLarge)?
            {
                if bytes.len() + chunk.len() > limit {
                    too_large = true;
                    continue; // drain the rest of the field
                }
                bytes.extend_from_slice(&chunk);
            }
            if is_file {
                form.file_too_large |= too_large;
                if !bytes.is_empty() && !too_large {
                    form.file = Some(bytes);
                }
            } else if too_large {
                return Err(AppError::PayloadTooLarge);
            } else {
                form.text
                    .insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
        Ok(form)
    }
}
