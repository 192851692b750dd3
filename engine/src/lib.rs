//! ECS Planner engine: computes what Amazon ECS would do with a plan.
//!
//! Pure Rust with no web or I/O dependencies, so the same code runs natively (CLI, tests,
//! benchmarks) and in the browser (compiled to wasm32).

pub mod findings;
pub mod schema;
pub mod plan;
pub mod catalog;
pub mod cql;
pub mod cluster;
pub mod capacity;
pub mod placement;
pub mod board;
pub mod import;
pub mod export;
pub mod fargate;
pub mod rules;
pub mod sim;
pub mod edit;
pub mod share;
