//! `ecsplan`: the ECS Planner engine on the command line, for CI and architecture reviews.
//!
//! Exit codes: 0 ok, 1 the plan has errors or the question has a negative answer, 2 bad usage
//! or unreadable input.

#[macro_use]
mod output;
mod commands;
mod input;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "ecsplan",
    version,
    about = "Plan Amazon ECS clusters: validate, place, deploy, simulate, review, export"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a plan, or a task definition (a RegisterTaskDefinition request or
    /// describe-task-definition output): every problem with its JSON path, a rule code and a
    /// one-line fix.
    Validate {
        /// The plan or task definition file (JSON); `-` reads standard input.
        plan: String,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Place every service's and task's tasks on the cluster, the way ECS would.
    Place {
        plan: String,
        #[arg(long)]
        json: bool,
        /// Seed for what AWS leaves unspecified (ties, `random`); default: the plan's, else 1.
        #[arg(long)]
        seed: Option<u64>,
        /// Explain a task instance by instance (repeatable; `all` for every task).
        #[arg(long)]
        explain: Vec<String>,
    },
    /// Simulate a rolling deployment of a service: completed, stuck (and why) or rolled back.
    Deploy {
        plan: String,
        #[arg(long)]
        service: String,
        /// The task definition to deploy (`family:revision`); without it, a forced new
        /// deployment of the current one.
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        json: bool,
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Simulate service auto scaling and capacity providers over time under the plan's
    /// workload: one line per minute where something changed, with the reasons.
    Simulate {
        plan: String,
        /// How long to simulate, in seconds (e.g. 86400 for a day).
        #[arg(long)]
        duration: u64,
        #[arg(long)]
        json: bool,
        #[arg(long)]
        seed: Option<u64>,
    },
    /// What if instances drain or go away, how many more tasks fit, how few instances do.
    Whatif {
        plan: String,
        /// Set these container instances to DRAINING.
        #[arg(long)]
        drain: Vec<String>,
        /// Terminate these container instances.
        #[arg(long)]
        remove: Vec<String>,
        /// Lose every instance in this Availability Zone.
        #[arg(long = "lose-az")]
        lose_az: Option<String>,
        /// How many more tasks of this service fit now.
        #[arg(long)]
        fit: Option<String>,
        /// The smallest number of instances of this type that runs every EC2 task.
        #[arg(long = "min-instances")]
        min_instances: Option<String>,
        #[arg(long)]
        json: bool,
        #[arg(long)]
        seed: Option<u64>,
    },
    /// An architecture review: findings, utilisation and headroom, zone and instance loss,
    /// a forced deployment of every service, a simulated day with its cost, and the plan's
    /// gates (settings.review.gates); exit 1 when a gate fails. Every number names the command
    /// that shows it.
    Review {
        plan: String,
        /// md (default), html, json, junit or sarif.
        #[arg(long, default_value = "md")]
        format: String,
        /// Write the report to this file instead of standard output.
        #[arg(long)]
        out: Option<String>,
        /// Compare with this (older) plan: every measure side by side, with the change.
        #[arg(long)]
        against: Option<String>,
        /// The same as --format json.
        #[arg(long)]
        json: bool,
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Import a task definition, describe-task-definition output, CloudFormation template or
    /// docker-compose file, or a whole cluster: a directory of AWS CLI outputs
    /// (`--from aws-snapshot`, see docs/review.md) or `terraform show -json` output
    /// (`--from terraform`). The notes on what was not converted go to stderr.
    Import {
        /// The file to import (`-` reads standard input), or the snapshot directory.
        file: String,
        /// aws-snapshot, terraform, describe, cloudformation, compose,
        /// register-task-definition, create-service, run-task, plan, or auto (detect from the
        /// content; a directory is a snapshot).
        #[arg(long, default_value = "auto")]
        from: String,
        /// Add what was imported to this plan and print the updated plan (a whole cluster
        /// replaces the plan's cluster, task definitions and services, and keeps its name,
        /// workload and settings).
        #[arg(long)]
        into: Option<String>,
        /// Task definition family for a compose file (default: from the file name).
        #[arg(long)]
        family: Option<String>,
        /// The cluster to import (name or ARN) when a snapshot or Terraform output has several.
        #[arg(long)]
        cluster: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Learn mode: check, list and play the scenarios (every answer computed by the engine).
    Learn {
        #[command(subcommand)]
        command: LearnCommand,
    },
    /// Export a plan as what AWS tools accept.
    Export {
        plan: String,
        /// cli-json, create-service, run-task, capacity-providers, autoscaling, cloudformation
        /// or terraform.
        #[arg(long)]
        format: String,
        /// Write the files into this directory (default: standard output).
        #[arg(long)]
        out: Option<String>,
        /// Export even when the plan has errors that AWS would refuse (with a warning).
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
enum LearnCommand {
    /// Check a folder of scenarios (default: the project's public/learn): every variant
    /// played, each answer computed and unique, each goal unmet at the start and met by the
    /// solution, every placeholder and cited page resolved; exit 1 on errors.
    Check {
        /// The folder: scenarios/ (or *.json), with optional topics.json and index.json.
        dir: Option<String>,
        #[arg(long)]
        json: bool,
        /// Also print each variant's computed answer.
        #[arg(long)]
        answers: bool,
    },
    /// List the scenarios with their kinds and topics.
    List {
        dir: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Print the index file (index.json) for a folder's scenarios.
    Index { dir: Option<String> },
    /// Show a scenario as the learner sees it, or grade an answer (exit 1 when wrong).
    Play {
        /// The scenario id (its file name without .json).
        id: String,
        /// A choice id, a number, or (reach and fix) a file of edits or a plan.
        #[arg(long)]
        answer: Option<String>,
        /// Which variant (0 = the first parameter values).
        #[arg(long, default_value_t = 0)]
        variant: u32,
        /// The scenario folder (default: the project's public/learn).
        #[arg(long)]
        dir: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

/// How a command ended, mapped to the documented exit codes.
pub enum Outcome {
    Ok,
    Negative,
}

/// A failure that is the user's input or invocation, not the plan's content (exit 2).
#[derive(Debug)]
pub struct UsageError(pub String);

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Validate { plan, json } => commands::validate::run(&plan, json),
        Command::Place {
            plan,
            json,
            seed,
            explain,
        } => commands::place::run(&plan, json, seed, &explain),
        Command::Deploy {
            plan,
            service,
            to,
            json,
            seed,
        } => commands::deploy::run(&plan, &service, to.as_deref(), json, seed),
        Command::Simulate {
            plan,
            duration,
            json,
            seed,
        } => commands::simulate::run(&plan, duration, json, seed),
        Command::Whatif {
            plan,
            drain,
            remove,
            lose_az,
            fit,
            min_instances,
            json,
            seed,
        } => commands::whatif::run(
            &plan,
            commands::whatif::Question {
                drain,
                remove,
                lose_az,
                fit,
                min_instances,
            },
            json,
            seed,
        ),
        Command::Review {
            plan,
            format,
            out,
            against,
            json,
            seed,
        } => commands::review::run(commands::review::Args {
            plan: &plan,
            format: if json { "json" } else { &format },
            out: out.as_deref(),
            against: against.as_deref(),
            seed,
        }),
        Command::Import {
            file,
            from,
            into,
            family,
            cluster,
            json,
        } => commands::import::run(
            &file,
            &from,
            into.as_deref(),
            family.as_deref(),
            cluster.as_deref(),
            json,
        ),
        Command::Learn { command } => match command {
            LearnCommand::Check { dir, json, answers } => {
                commands::learn::check(dir.as_deref(), json, answers)
            }
            LearnCommand::List { dir, json } => commands::learn::list(dir.as_deref(), json),
            LearnCommand::Index { dir } => commands::learn::index(dir.as_deref()),
            LearnCommand::Play {
                id,
                answer,
                variant,
                dir,
                json,
            } => commands::learn::play(dir.as_deref(), &id, answer.as_deref(), variant, json),
        },
        Command::Export {
            plan,
            format,
            out,
            force,
        } => commands::export::run(&plan, &format, out.as_deref(), force),
    };
    output::finish();
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Negative) => ExitCode::from(1),
        Err(UsageError(msg)) => {
            note!("ecsplan: {msg}");
            ExitCode::from(2)
        }
    }
}
