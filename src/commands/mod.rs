//! The commands, on top of the pipeline: each runs the stages it needs.

pub mod build;
pub mod external;
pub mod init;
pub mod new;
pub mod review;
pub mod serve;
