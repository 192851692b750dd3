//! The fixed list of container instances the table tests of the filter stages and strategies
//! ask about (Nomad's
//! `mock.Node()`, Kubernetes' `MakeNode()`): each case names one of them, so a table reads as
//! "this task, on this instance, with these tasks already there → this verdict".
//!
//! What they register, from the catalog (`docs/catalog.md`): m5.large 2048 CPU units and
//! 7866 MiB, t3.small 2048 / 1914 MiB, g4dn.xlarge 4096 / 15802 MiB and one GPU, c5.large
//! 2048 / 3898 MiB and two awsvpc task slots (ten with ENI trunking).

use crate::cluster::{self, ClusterModel, InstanceIx, Node};
use crate::load::load_value;
use crate::placement::demand::Demand;
use crate::placement::state::{State, Usage};
use crate::placement::TaskIx;
use crate::plan::{NetworkMode, Protocol};
use serde_json::json;

/// The instances, in this order: `m5`, `t3`, `gpu`, `c5`, `trunk`, `draining`,
/// `disconnected`, `draining-disconnected`, `in-cp`, `gold`, `two-ports`, `udp-reserved`.
pub fn cluster() -> ClusterModel {
    let plan = load_value(json!({
        "schemaVersion": 1,
        "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b"], "containerInstances": [
            {"id": "m5", "instanceType": "m5.large", "availabilityZone": "us-east-1a"},
            {"id": "t3", "instanceType": "t3.small", "availabilityZone": "us-east-1b"},
            {"id": "gpu", "instanceType": "g4dn.xlarge", "availabilityZone": "us-east-1a",
                "attributes": {"accelerator": "t4"}},
            {"id": "c5", "instanceType": "c5.large", "availabilityZone": "us-east-1b"},
            {"id": "trunk", "instanceType": "c5.large", "availabilityZone": "us-east-1a",
                "eniTrunking": true},
            {"id": "draining", "instanceType": "m5.large", "availabilityZone": "us-east-1a",
                "status": "DRAINING"},
            {"id": "disconnected", "instanceType": "m5.large", "availabilityZone": "us-east-1a",
                "agentConnected": false},
            {"id": "draining-disconnected", "instanceType": "m5.large",
                "availabilityZone": "us-east-1b", "status": "DRAINING", "agentConnected": false},
            {"id": "in-cp", "instanceType": "m5.large", "availabilityZone": "us-east-1b",
                "capacityProvider": "cp"},
            {"id": "gold", "instanceType": "m5.large", "availabilityZone": "us-east-1b",
                "attributes": {"tier": "gold"}},
            {"id": "two-ports", "instanceType": "m5.large", "availabilityZone": "us-east-1a",
                "dynamicHostPortRange": "50000-50001"},
            {"id": "udp-reserved", "instanceType": "m5.large", "availabilityZone": "us-east-1a",
                "reservedPortsUdp": [53]}
        ],
        "capacityProviders": [{"name": "cp", "autoScalingGroupProvider": {
            "autoScalingGroupArn": "arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:uuid:autoScalingGroupName/asg"},
            "autoScalingGroup": {"InstanceTypes": ["m5.large"], "MinSize": 0, "MaxSize": 2}}]}
    }));
    let plan = plan
        .plan
        .unwrap_or_else(|| panic!("the fixture plan loads: {:#?}", plan.findings));
    cluster::resolve(&plan, crate::catalog::Catalog::builtin()).0
}

/// One instance of [`cluster`] by id, with its index.
pub fn node(id: &str) -> (InstanceIx, Node) {
    let c = cluster();
    let i = c
        .find(id)
        .unwrap_or_else(|| panic!("no fixture instance {id}"));
    (i, c.nodes[i].clone())
}

/// A task's needs, built field by field: `need().cpu(256).memory(512).port(80)`.
pub fn need() -> Demand {
    Demand {
        cpu: 0,
        memory: 0,
        gpus: 0,
        network_mode: NetworkMode::Bridge,
        static_ports: Vec::new(),
        dynamic_ports: 0,
        needs_eni: false,
    }
}

impl Demand {
    pub fn cpu(mut self, units: u32) -> Demand {
        self.cpu = units;
        self
    }
    pub fn memory(mut self, mib: u32) -> Demand {
        self.memory = mib;
        self
    }
    pub fn gpus(mut self, n: u32) -> Demand {
        self.gpus = n;
        self
    }
    /// A static host port (TCP).
    pub fn port(mut self, port: u16) -> Demand {
        self.static_ports.push((port, Protocol::Tcp));
        self
    }
    pub fn udp_port(mut self, port: u16) -> Demand {
        self.static_ports.push((port, Protocol::Udp));
        self
    }
    pub fn dynamic_ports(mut self, n: u32) -> Demand {
        self.dynamic_ports = n;
        self
    }
    /// `awsvpc` on EC2: an ENI of its own.
    pub fn awsvpc(mut self) -> Demand {
        self.network_mode = NetworkMode::Awsvpc;
        self.needs_eni = true;
        self
    }
}

/// What instance `id` has in use once `running` tasks landed on it: (task index, group,
/// needs). Task `t` is called [`name`]`(t)`, group 0 is `service:web`, group 1 `service:api`.
pub fn usage(id: &str, running: &[(u32, u32, &Demand)]) -> Usage {
    let c = cluster();
    let (i, _) = node(id);
    let mut s = State::new(&c);
    for (t, g, d) in running {
        s.add(i, TaskIx(*t), *g, d);
    }
    s.usage.swap_remove(i.at())
}

/// The id of task `t` in the tables: `web-1`, `web-2`, ...
pub fn name(t: TaskIx) -> String {
    format!("web-{}", t.0 + 1)
}

/// The task groups of the tables: `service:web` is 0, `service:api` 1.
pub fn groups() -> crate::placement::state::Groups {
    let mut g = crate::placement::state::Groups::default();
    g.id("service:web");
    g.id("service:api");
    g
}
