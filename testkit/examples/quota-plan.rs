//! Prints a quota plan (`testkit::quota`) as JSON, for timing whole `ecsplan` processes:
//! `cargo run -p testkit --example quota-plan -- [--scale F] [--seed N] [--unplaced N] > /tmp/q.json`.

use testkit::quota::Quota;

fn main() {
    let mut q = Quota::full();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .unwrap_or_else(|| usage(&format!("{a} needs a value")))
                .clone()
        };
        match a.as_str() {
            "--scale" => {
                let f: f64 = value()
                    .parse()
                    .unwrap_or_else(|_| usage("--scale takes a number"));
                if !(f > 0.0 && f <= 1.0) {
                    usage("--scale takes a number in (0, 1]");
                }
                q = Quota {
                    seed: q.seed,
                    unplaced: q.unplaced,
                    ..Quota::scaled(f)
                };
            }
            "--seed" => {
                q.seed = value()
                    .parse()
                    .unwrap_or_else(|_| usage("--seed takes an integer"))
            }
            "--unplaced" => {
                q.unplaced = value()
                    .parse()
                    .unwrap_or_else(|_| usage("--unplaced takes an integer"))
            }
            other => usage(&format!("unknown argument {other}")),
        }
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&q.plan()).expect("a JSON value prints")
    );
}

fn usage(msg: &str) -> ! {
    eprintln!("quota-plan: {msg}\nusage: quota-plan [--scale F] [--seed N] [--unplaced N]");
    std::process::exit(2)
}
