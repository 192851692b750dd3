//! Shared helpers for tests that read the real-world fixtures in `../shared/fixtures`: the
//! fixtures directory and the independent botocore validator live in the `testkit` crate, which
//! the browser tests use too.
#![allow(unused_imports)]

pub use testkit::{botocore, fixtures, json};
