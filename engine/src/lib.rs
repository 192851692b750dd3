//! ECS Planner engine: computes what Amazon ECS would do with a plan.
//!
//! Pure Rust with no web or I/O dependencies, so the same code runs natively (CLI, tests,
//! benchmarks) and in the browser (compiled to wasm32). `docs/architecture.md` shows how a
//! plan flows through these modules.

/// The board the UI draws: lanes, instance meters, task chips.
pub mod board;
/// Splitting tasks over a capacity provider strategy (base and weight).
pub mod capacity;
/// The EC2 instance catalog and what a container instance registers.
pub mod catalog;
/// Container instances resolved against the catalog, with their attributes.
pub mod cluster;
/// The cluster query language of `memberOf` constraints.
pub mod cql;
/// Named, validated edits of a plan (the UI's commands).
pub mod edit;
/// What AWS tools accept: cli-json, CreateService, CloudFormation, Terraform, ...
pub mod export;
/// The Fargate task sizes.
pub mod fargate;
/// Problems found in a plan: code, severity, path, message, fix, AWS page.
pub mod findings;
/// Quick fixes: the edit that fixes a finding, when the fix is mechanical.
pub mod fix;
/// Task definitions and services from describe output, CloudFormation and docker-compose.
pub mod import;
/// Learn mode: scenarios whose answers the engine computes, graded and checked.
pub mod learn;
/// Task placement, explanations, scale-in and what-if questions.
pub mod placement;
/// The plan document: typed views, loading, migration, references.
pub mod plan;
/// Validation rules for task definitions, services and capacity providers.
pub mod rules;
/// AWS request shapes and the generic structural check.
pub mod schema;
/// Share links: the plan in the URL fragment.
pub mod share;
/// Time: deployments, service auto scaling and capacity providers, simulated.
pub mod sim;
/// Typed views of checked JSON, with the place of a refused value.
pub mod typed;
