//! The engine's public API: everything the page (`app/`) and the command line (`cli/`) use, and
//! nothing else of the engine is public. It is grouped as the engine is layered
//! (`docs/architecture.md`): the plan and its model, then what is computed from a plan, then
//! the analysis that ties them together (loading, edits, quick fixes, share links).
//!
//! Every computation is a pure function of a plan and options:
//! [`load`](plan::load) → [`Plan`](plan::Plan) → [`place`](placement::place) /
//! [`deploy`](sim::deploy) / [`simulate`](sim::simulate) / [`export`](export::export) /
//! [`board`](board::board), and a named [`Edit`](edit::Edit) makes the next plan.

/// Problems found in a plan: code, severity, JSON path, message, fix, AWS page.
pub mod findings {
    pub use crate::findings::{Finding, JsonPath, PathSeg, Severity};
}

/// The plan document (typed views of the AWS request shapes it holds) and its loading.
pub mod plan {
    pub use crate::load::{load, load_value};
    pub use crate::plan::{
        autoscaling, deployment, schedule, span, units, workload, AutoScalingGroup,
        CapacityProvider, CapacityProviderStrategyItem, Cluster, ContainerDefinition,
        ContainerInstance, DeploymentConfiguration, InstanceStatus, LaunchType, Loaded, Named,
        NetworkMode, Number, PlacementConstraint, PlacementConstraintType, PlacementStrategy,
        PlacementStrategyType, Plan, PortMapping, Protocol, RecordedTask, RunTask,
        SchedulingStrategy, Service, ServiceAutoScaling, TaskDefRef, TaskDefinition, Workload,
        Written, FARGATE_PROVIDERS, SCHEMA_VERSION,
    };
}

/// The EC2 instance catalog: what each type registers with ECS.
pub mod catalog {
    pub use crate::catalog::{
        estimate_memtotal_mib, import_describe_instance_types, Architecture, Catalog, ImportError,
        InstanceType,
    };
}

/// The cluster as registered: container instances resolved against the catalog.
pub mod cluster {
    pub use crate::cluster::{ClusterModel, Node};
}

/// The Fargate task sizes.
pub mod fargate {
    pub use crate::fargate::*;
}

/// The cluster query language of `memberOf` constraints.
pub mod cql {
    pub use crate::cql::{
        parse, Arg, Expr, InstanceFacts, Op, ParseError, Pattern, Subject, Term, Value,
        BUILTIN_ATTRIBUTES,
    };
}

/// The AWS request shapes and the generic structural check.
pub mod schema {
    pub use crate::schema::cloudformation::{api_member, cfn_property, NOT_IN_CLOUDFORMATION};
    pub use crate::schema::{
        botocore, check, did_you_mean, Shape, Shapes, AWS_SHAPES_JSON,
        READ_ONLY_TASK_DEFINITION_MEMBERS,
    };
}

/// Validation rules for task definitions, services, RunTasks and capacity providers.
pub mod rules {
    pub use crate::rules::{
        check_plan, check_run_task, check_service, check_task_definition,
        check_task_definition_document, check_task_definition_in, is_task_definition_document,
        rule, Context, Rule, CAPACITY_PROVIDERS_PER_CLUSTER, INSTANCES_PER_CLUSTER, QUOTAS, RULES,
        SERVICES_PER_CLUSTER, TASKS_PER_SERVICE,
    };
    /// Limits of the AWS APIs that the rules check and the editors respect.
    pub use crate::rules::{MAX_CONTAINERS, MAX_RUN_TASK_COUNT, MAX_STRATEGIES};
}

/// Task placement, explanations, what-if questions, the diff between two placements, and the
/// report `ecsplan place --json` prints.
pub mod placement {
    pub use crate::placement::filter::Constraint;
    pub use crate::placement::{
        diff, explain, place, place_afresh, place_keeping, report, starts_from_recorded, whatif,
        Explanation, InstanceIx, Launch, Outcome, PlaceOptions, PlacedTask, Placement,
        PlacementReport, Source, Task, TaskIx, UnplacedTask,
    };
}

/// The board the page draws: lanes, instance cards, task chips.
pub mod board {
    pub use crate::board::{
        board, board_after, board_updated, Board, InstanceCard, Meter, ServiceRow, TaskChip,
        TaskDefinitionRow, Updated,
    };
}

/// Time: deployments, service auto scaling and capacity providers, simulated.
pub mod sim {
    pub use crate::sim::cost::CostKind;
    pub use crate::sim::moment::{
        CardKey, ChipKey, InstanceAt, InstanceMoment, Outline, ServiceAt, TaskAt, ZoneOutline,
    };
    /// A run as the engine worker sends it to the page.
    pub use crate::sim::wire::{Deployed, Ran, COST_EVERY};
    pub use crate::sim::{
        deploy, deploy_from, duration_label, simulate, Cost, CostPoint, DeployError, DeployOutcome,
        DeployRequest, DeployResult, EventKind, MinuteSample, MinuteSamples, Moment, MomentIndex,
        Name, Progressive, ProviderMinute, ServiceMinute, ServiceSample, ServiceSeries, SimEvent,
        TaskLife, TaskState, Timeline,
    };
}

/// What AWS tools accept: cli-json, CreateService, CloudFormation, Terraform.
pub mod export {
    pub use crate::export::yaml::to_yaml;
    pub use crate::export::{
        export, pretty, register_task_definition, revision_of, ExportFile, Format,
    };
}

/// Task definitions and services from describe output, CloudFormation and docker-compose.
pub mod import {
    /// The YAML reader of CloudFormation and docker-compose files.
    pub use crate::import::yaml;
    /// A whole cluster from the AWS CLI's describe output or `terraform show -json`.
    pub use crate::import::{
        aws_snapshot, terraform, ClusterImport, ClusterOptions, ClusterResult, ClusterSource,
        InputFile, InstanceState, RunningTask, SourceNote,
    };
    pub use crate::import::{
        classify, cloudformation, compose, create_service, describe_task_definition, detect,
        import, import_as, into_plan, register_task_definition, run_task, Format, Imported,
        Options,
    };
}

/// Named, validated edits of a plan (every change the page makes) and the time view's scaling
/// policy cards.
pub mod edit {
    pub use crate::edit::cards::{
        attached, Attached, AttachedKind, CardKind, ServiceScaling, CARDS,
    };
    pub use crate::edit::undo::PlanDelta;
    pub use crate::edit::{
        apply, launching_capacity_provider, BreakerSetting, DeploymentPercent, Edit,
    };
}

/// Quick fixes: the edit that fixes a finding, when the fix is mechanical.
pub mod fix {
    pub use crate::fix::{
        fix_value, quick_fix, set_value_at, value_at, QuickFix, PLAN_SHAPE, TASK_DEFINITION_SHAPE,
    };
}

/// Learn mode: scenarios whose answers the engine computes, graded and checked.
pub mod learn {
    pub use crate::learn::check::{check, check_folder, FolderFile, Located};
    /// Practice exams: questions drawn across topics from a seed, scored per topic.
    pub mod exam {
        pub use crate::learn::exam::{draw, score, Question, Score, Tally, QUESTIONS, SECONDS};
    }
    /// The learner's progress and its spaced-repetition (Leitner) schedule.
    pub mod progress {
        pub use crate::learn::progress::{
            interval, parse, read, ExamRecord, Progress, Record, Status, TopicStanding, INTERVALS,
            PROGRESS_KIND, PROGRESS_VERSION,
        };
    }
    pub use crate::learn::scenario::SCENARIO_VERSION;
    pub use crate::learn::{
        apply_steps, controls, parse_index, parse_topics, Answer, AnswerKey, Choice, ChoiceLabel,
        ChoiceOutcome, Condition, Control, ControlView, Doc, GoalCheck, Grade, Index, IndexEntry,
        Input, Kind, LearnError, Link, Measure, Measured, Misconception, MisconceptionView, Op,
        Operand, Played, Probe, Scenario, Step, Topic, Topics, Val, Variant, View,
    };
}

/// Architecture reviews: one report composed from validation, placement, what-if,
/// deployments, simulation and cost, with the plan's gates; its renderers; comparison.
pub mod review {
    pub use crate::review::capacity::{
        Capacity, InstanceUse, MinInstances, ServiceUse, Use, ZoneUse,
    };
    pub use crate::review::deployments::{Deployments, ServiceDeployment};
    pub use crate::review::findings::{FindingsSection, ReviewFinding, Topic};
    pub use crate::review::gates::{GateResult, GATES};
    pub use crate::review::resilience::{Loss, Resilience, ServiceLoss};
    pub use crate::review::sarif::SARIF_SCHEMA;
    pub use crate::review::scaling::{
        CostSection, Monthly, ProviderScaling, Scaling, ServiceScaling,
    };
    pub use crate::review::{
        compare, locate, render, render_html, render_html_body, render_junit, render_markdown,
        render_sarif, review, review_text, Assumptions, Check, Comparison, Delta, PlanFacts,
        Report, ReviewOptions, Summary, FORMATS, NOT_CHECKED, REPORT_VERSION,
    };
}

/// Stable sorts compiled once for every element type (the page's wasm size).
pub mod sort {
    pub use crate::sort::{sort, sort_by, sort_by_key};
}

/// User text made safe for HTML and XML, and for terminals and Markdown.
pub mod text {
    pub use crate::text::{escape_controls, escape_html};
}

/// Share links: the plan in the URL fragment.
pub mod share {
    pub use crate::share::{decode, encode, pack, unpack};
}
