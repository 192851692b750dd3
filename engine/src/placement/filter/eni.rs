//! Stage 2c, an ENI for an `awsvpc` task on EC2 (`task-networking-awsvpc.md`: "Each Amazon
//! ECS task that uses the `awsvpc` network mode receives its own elastic network interface";
//! `container-instance-eni.md`: "the primary network interface counts as one").
//!
//! Formula: `awsvpc tasks on the instance < slots`, where `slots` is the type's ENIs minus the
//! primary one, or, on an instance launched with ENI trunking, the type's trunking limit
//! ("a `c5.large` instance with `awsvpcTrunking` enabled … launch ten tasks … instead of the
//! current two"; `cluster::resolve` computes it from the catalog). Reason: `RESOURCE:ENI`.

use super::Rejection;
use crate::cluster::Node;
use crate::placement::demand::Demand;
use crate::placement::state::Usage;
use crate::plan::NetworkMode;

/// A free awsvpc task slot, when the task needs one.
#[inline]
pub fn check(node: &Node, used: &Usage, need: &Demand) -> Result<(), Rejection> {
    if need.needs_eni && need.network_mode == NetworkMode::Awsvpc && used.enis >= node.eni_slots {
        return Err(Rejection::NoEni {
            used: used.enis,
            slots: node.eni_slots,
            trunking: node.eni_trunking,
            instance_type: node.instance_type.clone(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placement::table_tests::{need, node, usage};

    #[test]
    fn eni_table() {
        struct Case {
            name: &'static str,
            instance: &'static str,
            awsvpc_running: u32,
            need: Demand,
            want: Result<(), &'static str>,
        }
        let cases = [
            Case {
                // container-instance-eni.md: a c5.large has three ENIs, the primary counts
                // as one, so two awsvpc tasks.
                name: "the second awsvpc task on a c5.large",
                instance: "c5",
                awsvpc_running: 1,
                need: need().awsvpc(),
                want: Ok(()),
            },
            Case {
                name: "no third awsvpc task on a c5.large",
                instance: "c5",
                awsvpc_running: 2,
                need: need().awsvpc(),
                want: Err("eni: 2 of 2 awsvpc task slots used (c5.large, no ENI trunking)"),
            },
            Case {
                // container-instance-eni.md: with trunking, "ten tasks on the container
                // instance instead of the current two".
                name: "a c5.large with ENI trunking takes a tenth",
                instance: "trunk",
                awsvpc_running: 9,
                need: need().awsvpc(),
                want: Ok(()),
            },
            Case {
                name: "but not an eleventh",
                instance: "trunk",
                awsvpc_running: 10,
                need: need().awsvpc(),
                want: Err("eni: 10 of 10 awsvpc task slots used (c5.large, ENI trunking on)"),
            },
            Case {
                name: "a bridge task needs no ENI",
                instance: "c5",
                awsvpc_running: 2,
                need: need(),
                want: Ok(()),
            },
        ];
        for c in cases {
            let (_, n) = node(c.instance);
            let vpc = need().awsvpc();
            let running: Vec<(u32, u32, &Demand)> =
                (0..c.awsvpc_running).map(|t| (t, 0, &vpc)).collect();
            let u = usage(c.instance, &running);
            let got = check(&n, &u, &c.need).map_err(|r| {
                assert_eq!(r.ecs_code(), "RESOURCE:ENI");
                r.to_string()
            });
            assert_eq!(got, c.want.map_err(str::to_string), "{}", c.name);
        }
    }
}
