//! `ecsplan`: the ECS Planner engine on the command line, for CI and architecture reviews.
//!
//! Exit codes: 0 ok, 1 the plan has errors or the question has a negative answer, 2 bad usage
//! or unreadable input.

mod commands;
mod input;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "ecsplan",
    version,
    about = "Plan Amazon ECS clusters: validate, place, deploy, simulate, export"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a plan: every problem with its JSON path, a rule code and a one-line fix.
    Validate {
        /// The plan file (JSON); `-` reads standard input.
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
    };
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Negative) => ExitCode::from(1),
        Err(UsageError(msg)) => {
            eprintln!("ecsplan: {msg}");
            ExitCode::from(2)
        }
    }
}
