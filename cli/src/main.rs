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
