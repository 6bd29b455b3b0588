//! Checks over the model: each a pass that reports what it finds as diagnostics.

pub mod easy_read;
pub mod picture;
pub mod placeholders;
pub mod register;
