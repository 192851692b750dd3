//! ECS Planner engine: computes what Amazon ECS would do with a plan.
//!
//! Pure Rust with no web or I/O dependencies, so the same code runs natively (CLI, tests,
//! benchmarks) and in the browser (compiled to wasm32). The page and the command line use
//! [`api`] and nothing else.
//!
//! The modules are layers; each uses only its own layer and those below (the table in
//! `docs/architecture.md`, checked from the source by `tests/layers.rs`):
//! 1. **model**: what a plan is: findings, typed views, shapes, the plan document, the instance
//!    catalog, Fargate sizes, the cluster query language, the cluster as registered, the
//!    seeded draws, the escaping of user text, the one stable sort the page compiles;
//! 2. **checks and computations** on a plan: validation rules, placement, simulation, the
//!    board, exports and imports;
//! 3. **analysis**: the loader that ties the model to the checks, named edits, quick fixes,
//!    share links, learn mode's scenarios, architecture reviews;
//! 4. **api**: the public surface.
#![forbid(unsafe_code)]
// The engine's public API (what `api` re-exports) is documented: the lint is on for every
// module.
#![warn(missing_docs)]

// 1. Model.
pub(crate) mod catalog;
pub(crate) mod cluster;
pub(crate) mod cql;
pub(crate) mod fargate;
pub(crate) mod findings;
pub(crate) mod plan;
pub(crate) mod schema;
pub(crate) mod seeded;
pub(crate) mod sort;
pub(crate) mod text;
pub(crate) mod typed;

// 2. Checks and computations.
pub(crate) mod board;
pub(crate) mod export;
pub(crate) mod import;
pub(crate) mod placement;
pub(crate) mod rules;
pub(crate) mod sim;

// 3. Analysis.
pub(crate) mod edit;
pub(crate) mod fix;
pub(crate) mod learn;
pub(crate) mod load;
pub(crate) mod review;
pub(crate) mod share;

// 4. The public API.
pub mod api;
