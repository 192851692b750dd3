//! CloudFormation templates (JSON or YAML) to plan parts (the property-name mapping between
//! CloudFormation and the APIs is [`crate::schema::cloudformation`]).
//!
//! Imported resource types: `AWS::ECS::TaskDefinition`, `AWS::ECS::Service`,
//! `AWS::ECS::Cluster` (its name and default strategy), `AWS::ECS::CapacityProvider`,
//! `AWS::ECS::ClusterCapacityProviderAssociations`,
//! `AWS::ApplicationAutoScaling::ScalableTarget` and `::ScalingPolicy` (as the service's
//! `autoScaling`). Properties are converted generically, guided by the condensed AWS shapes:
//! PascalCase names to the API's names (with the exceptions in `schema::cloudformation::NAME_EXCEPTIONS`), numbers
//! to strings where the API takes strings (`Cpu: 256`) and back (`ContainerPort: "80"`).
//!
//! Intrinsic functions cannot be evaluated without a stack: a `!Ref` to a parameter with a
//! default takes the default; a `!Ref`/`!GetAtt` to a cluster, task definition, capacity
//! provider or service of the same template takes its name; `!Sub` and `!Join` are evaluated
//! when everything in them is known. Anything else becomes a placeholder string such as
//! `<!Ref ImageUri>` (or is left out where the API wants a number), with a note each.
//!
//! Evaluation is bounded ([`Budget`]): a `!Sub` variable may itself be a `!Sub` that uses its
//! own variable many times, so a template of a kilobyte can stand for more text than fits in
//! memory. Past [`MAX_STEPS`] evaluations, [`MAX_NESTING`] levels of functions within functions,
//! or [`MAX_TEXT`] of text for one value, the import stops with a `cfn-too-complex` error at the
//! value's place. Conditions are never evaluated and a `!Ref` to a resource reads its name
//! property as written, so references cannot loop.

use super::aws::kind;
use super::{fail_on_errors, parse_any, typed, Format, Imported, Result};
use crate::findings::{Finding, JsonPath};
use crate::plan::{
    CapacityProvider, CapacityProviderStrategyItem, Service, TaskDefinition, Written,
};
use crate::schema::cloudformation::{api_member, intrinsic};
use crate::schema::{Shape, Shapes};
use serde_json::{Map, Value};

/// Short text for an intrinsic: `<!Ref X>`, `<!GetAtt A.B>`, `<!If [...]>`.
fn placeholder(name: &str, arg: &Value) -> String {
    let short = name.strip_prefix("Fn::").unwrap_or(name);
    let arg = match (short, arg) {
        (_, Value::String(s)) => s.clone(),
        ("GetAtt", Value::Array(a)) if a.iter().all(Value::is_string) => a
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("."),
        (_, other) => short_json(other, 120),
    };
    let mut arg: String = arg.chars().take(120).collect();
    if arg.len() < 2 && arg.is_empty() {
        arg = "?".into();
    }
    format!("<!{short} {arg}>")
}

/// Evaluations of intrinsic functions in one template.
pub const MAX_STEPS: u32 = 100_000;
/// Functions within functions (`!Join` of a `!Sub` of a `!Join` ...).
pub const MAX_NESTING: u32 = 128;
/// Text one evaluated value may have: ECS takes task definitions of up to 64 KiB.
pub const MAX_TEXT: usize = 64 * 1024;

/// What evaluating intrinsics has cost so far, and the error once a limit is passed (then
/// every further evaluation gives up at once).
#[derive(Default)]
struct Budget {
    steps: u32,
    nesting: u32,
    exceeded: Option<Finding>,
}

/// The start of a value's JSON text, without writing out all of a big value.
fn short_json(v: &Value, max: usize) -> String {
    struct Capped(Vec<u8>, usize);
    impl std::io::Write for Capped {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            if self.0.len() >= self.1 {
                return Err(std::io::ErrorKind::WriteZero.into());
            }
            self.0.extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut w = Capped(Vec::new(), max);
    let _ = serde_json::to_writer(&mut w, v);
    String::from_utf8_lossy(&w.0).into_owned()
}

struct Ctx<'a> {
    shapes: &'a Shapes,
    params: Map<String, Value>,
    resources: Map<String, Value>,
    notes: Vec<Finding>,
    budget: Budget,
}

impl Ctx<'_> {
    fn resource_type(&self, id: &str) -> Option<&str> {
        self.resources.get(id)?.get("Type")?.as_str()
    }

    fn property(&self, id: &str, p: &str) -> Option<&Value> {
        self.resources.get(id)?.get("Properties")?.get(p)
    }

    /// The name a `!Ref` (or `!GetAtt X.Name`) to a resource of this template stands for, as
    /// the planner uses it: a cluster's, capacity provider's or service's name, a task
    /// definition's family.
    fn resource_name(&self, id: &str) -> Option<String> {
        let prop = match self.resource_type(id)? {
            "AWS::ECS::Cluster" => "ClusterName",
            "AWS::ECS::TaskDefinition" => "Family",
            "AWS::ECS::CapacityProvider" => "Name",
            "AWS::ECS::Service" => "ServiceName",
            _ => return None,
        };
        Some(match self.property(id, prop) {
            Some(Value::String(s)) => s.clone(),
            _ => id.to_string(),
        })
    }

    /// A parameter's default, when it has one.
    fn param_default(&self, name: &str) -> Option<Value> {
        let d = self.params.get(name)?.get("Default")?;
        match d {
            Value::String(_) | Value::Number(_) | Value::Bool(_) => Some(d.clone()),
            _ => None,
        }
    }

    /// Stops evaluating: the first limit passed is the error the import reports.
    fn exceed(&mut self, path: &JsonPath, why: String) {
        if self.budget.exceeded.is_none() {
            self.budget.exceeded = Some(
                Finding::error(
                    "cfn-too-complex",
                    path.clone(),
                    format!("the intrinsic functions here {why}; the import stops"),
                )
                .with_fix("write the value out, or import the task definition as JSON (aws ecs describe-task-definition)"),
            );
        }
    }

    /// Text an evaluation made, or `None` (and the error) when it is longer than [`MAX_TEXT`].
    fn text_ok(&mut self, s: &str, path: &JsonPath) -> bool {
        if s.len() > MAX_TEXT {
            self.exceed(
                path,
                format!(
                    "expand to more than {} KiB of text (a !Sub variable used many times, nested?)",
                    MAX_TEXT >> 10
                ),
            );
            return false;
        }
        true
    }

    /// Evaluates an intrinsic to a scalar when it can be known from the template alone,
    /// within the [`Budget`].
    fn evaluate(&mut self, name: &str, arg: &Value, path: &JsonPath) -> Option<Value> {
        if self.budget.exceeded.is_some() {
            return None;
        }
        self.budget.steps += 1;
        if self.budget.steps > MAX_STEPS {
            self.exceed(
                path,
                format!("take more than {MAX_STEPS} evaluations (a !Sub variable used many times, nested?)"),
            );
            return None;
        }
        if self.budget.nesting >= MAX_NESTING {
            self.exceed(
                path,
                format!("are nested more than {MAX_NESTING} levels deep"),
            );
            return None;
        }
        self.budget.nesting += 1;
        let v = self.evaluate_within(name, arg, path);
        self.budget.nesting -= 1;
        v
    }

    fn evaluate_within(&mut self, name: &str, arg: &Value, path: &JsonPath) -> Option<Value> {
        match (name, arg) {
            ("Ref", Value::String(r)) => {
                if let Some(d) = self.param_default(r) {
                    self.notes.push(Finding::info(
                        "cfn-parameter-default",
                        path.clone(),
                        format!("`!Ref {r}` replaced by the parameter's default {d}"),
                    ));
                    return Some(d);
                }
                if let Some(n) = self.resource_name(r) {
                    return Some(Value::String(n));
                }
                None
            }
            ("Fn::GetAtt", Value::Array(a)) => {
                let (Some(id), Some(attr)) = (
                    a.first().and_then(Value::as_str),
                    a.get(1).and_then(Value::as_str),
                ) else {
                    return None;
                };
                match (self.resource_type(id), attr) {
                    (Some("AWS::ECS::Service"), "Name")
                    | (Some("AWS::ECS::CapacityProvider"), "Name") => {
                        self.resource_name(id).map(Value::String)
                    }
                    _ => None,
                }
            }
            ("Fn::Sub", _) => {
                let empty = Map::new();
                let (template, vars) = match arg {
                    Value::String(s) => (s.as_str(), &empty),
                    Value::Array(a) => (
                        a.first()?.as_str()?,
                        a.get(1).and_then(Value::as_object).unwrap_or(&empty),
                    ),
                    _ => return None,
                };
                let out = self.substitute(template, vars, path)?;
                Some(Value::String(out))
            }
            ("Fn::Join", Value::Array(a)) => {
                let delim = a.first()?.as_str()?;
                let items = a.get(1)?.as_array()?;
                let mut parts = Vec::new();
                for (i, x) in items.iter().enumerate() {
                    let v = match intrinsic(x) {
                        Some((n, y)) => self.evaluate(n, y, &path.index(i))?,
                        None => x.clone(),
                    };
                    parts.push(scalar_text(&v)?);
                    let len = parts.iter().map(|p| p.len() + delim.len()).sum::<usize>();
                    if len > MAX_TEXT {
                        self.text_ok(&" ".repeat(MAX_TEXT + 1), path);
                        return None;
                    }
                }
                Some(Value::String(parts.join(delim)))
            }
            _ => None,
        }
    }

    /// `${Name}` in a `!Sub` template, from its variables, parameter defaults and resource
    /// names; `None` when one is unknown.
    fn substitute(
        &mut self,
        template: &str,
        vars: &Map<String, Value>,
        path: &JsonPath,
    ) -> Option<String> {
        let mut out = String::new();
        let mut rest = template;
        while let Some(i) = rest.find("${") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            if let Some(lit) = after.strip_prefix('!') {
                // `${!Literal}` is the literal text `${Literal}`.
                out.push_str("${");
                rest = lit;
                continue;
            }
            let end = after.find('}')?;
            let var = &after[..end];
            let v = if let Some(v) = vars.get(var) {
                match intrinsic(v) {
                    Some((n, y)) => self.evaluate(n, y, path)?,
                    None => v.clone(),
                }
            } else if let Some((id, attr)) = var.split_once('.') {
                self.evaluate(
                    "Fn::GetAtt",
                    &Value::Array(vec![id.into(), attr.into()]),
                    path,
                )?
            } else {
                self.evaluate("Ref", &Value::String(var.to_string()), path)?
            };
            out.push_str(&scalar_text(&v)?);
            if !self.text_ok(&out, path) {
                return None;
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        self.text_ok(&out, path).then_some(out)
    }

    /// An intrinsic where a scalar is wanted: its value when known, else a placeholder string
    /// (`None` when `placeholder_ok` is false, e.g. for numbers), with a note.
    fn scalar(
        &mut self,
        name: &str,
        arg: &Value,
        path: &JsonPath,
        placeholder_ok: bool,
    ) -> Option<Value> {
        let before = self.notes.len();
        if let Some(v) = self.evaluate(name, arg, path) {
            if name != "Ref" && self.notes.len() == before {
                self.notes.push(Finding::info(
                    "cfn-intrinsic-evaluated",
                    path.clone(),
                    format!(
                        "{} evaluated to {}",
                        placeholder(name, arg),
                        short_json(&v, 200)
                    ),
                ));
            }
            return Some(v);
        }
        self.notes.truncate(before);
        let text = placeholder(name, arg);
        if placeholder_ok {
            self.notes.push(
                Finding::warning(
                    "cfn-intrinsic",
                    path.clone(),
                    format!("{text} cannot be evaluated outside CloudFormation; kept as the placeholder text \"{text}\""),
                )
                .with_fix("replace the placeholder with the real value"),
            );
            Some(Value::String(text))
        } else {
            self.notes.push(
                Finding::warning(
                    "cfn-intrinsic",
                    path.clone(),
                    format!("{text} cannot be evaluated outside CloudFormation; left out"),
                )
                .with_fix("set the value in the plan"),
            );
            None
        }
    }

    /// Converts a CloudFormation value to the API value of `shape` (`None`: left out, noted).
    fn convert(&mut self, v: &Value, shape: &str, path: &JsonPath) -> Option<Value> {
        let shapes = self.shapes;
        let def = shapes.get(shape)?;
        if let Some((name, arg)) = intrinsic(v) {
            return match def {
                Shape::String { .. } | Shape::Timestamp | Shape::Blob | Shape::Any => {
                    self.scalar(name, arg, path, true)
                }
                Shape::Integer { .. } | Shape::Number { .. } | Shape::Boolean => {
                    let x = self.scalar(name, arg, path, false)?;
                    self.convert(&x, shape, path)
                }
                Shape::List { member, .. } => {
                    let x = self.scalar(
                        name,
                        arg,
                        path,
                        matches!(shapes.get(member), Some(Shape::String { .. })),
                    )?;
                    match x {
                        Value::String(s) if !s.starts_with("<!") => {
                            let items: Vec<Value> = s
                                .split(',')
                                .map(|p| Value::String(p.trim().to_string()))
                                .collect();
                            self.convert(&Value::Array(items), shape, path)
                        }
                        other => Some(Value::Array(vec![other])),
                    }
                }
                _ => {
                    self.notes.push(Finding::warning(
                        "cfn-intrinsic",
                        path.clone(),
                        format!(
                            "{} cannot be evaluated outside CloudFormation; left out",
                            placeholder(name, arg)
                        ),
                    ));
                    None
                }
            };
        }
        let wrong = |ctx: &mut Self, expected: &str| {
            ctx.notes.push(Finding::warning(
                "not-converted",
                path.clone(),
                format!("expected {expected}, found {}; left out", kind(v)),
            ));
            None
        };
        match def {
            Shape::Structure { .. } => {
                let Value::Object(o) = v else {
                    return wrong(self, "an object");
                };
                let mut out = Map::new();
                let (members, _) = shapes.structure(shape)?;
                for (k, x) in o {
                    let p = path.key(k);
                    let Some(m) = api_member(shapes, shape, k) else {
                        self.notes.push(Finding::warning(
                            "not-converted",
                            p,
                            format!("CloudFormation property `{k}` has no counterpart in the API request; left out"),
                        ));
                        continue;
                    };
                    let mshape = members.get(m.as_str()).copied().unwrap_or("");
                    if let Some(c) = self.convert(x, mshape, &p) {
                        out.insert(m, c);
                    }
                }
                Some(Value::Object(out))
            }
            Shape::List { member, .. } => {
                let Value::Array(a) = v else {
                    return wrong(self, "a list");
                };
                Some(Value::Array(
                    a.iter()
                        .enumerate()
                        .filter_map(|(i, x)| self.convert(x, member, &path.index(i)))
                        .collect(),
                ))
            }
            Shape::Map { value, .. } => {
                let Value::Object(o) = v else {
                    return wrong(self, "an object (a map)");
                };
                let mut out = Map::new();
                for (k, x) in o {
                    if let Some(c) = self.convert(x, value, &path.key(k)) {
                        out.insert(k.clone(), c);
                    }
                }
                Some(Value::Object(out))
            }
            Shape::String { .. } | Shape::Timestamp | Shape::Blob => match v {
                Value::String(_) => Some(v.clone()),
                Value::Number(_) | Value::Bool(_) => Some(Value::String(scalar_text(v)?)),
                _ => wrong(self, "a string"),
            },
            Shape::Integer { .. } => match v {
                Value::Number(n) if n.is_i64() || n.is_u64() => Some(v.clone()),
                Value::Number(n)
                    if n.as_f64()
                        .is_some_and(|f| f.fract() == 0.0 && f.abs() < 9.0e15) =>
                {
                    Some(Value::from(n.as_f64().unwrap_or(0.0) as i64))
                }
                Value::String(s) if s.trim().parse::<i64>().is_ok() => {
                    Some(Value::from(s.trim().parse::<i64>().unwrap_or(0)))
                }
                _ => wrong(self, "a whole number"),
            },
            Shape::Number { .. } => match v {
                Value::Number(_) => Some(v.clone()),
                Value::String(s) => match s
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                {
                    Some(n) => Some(Value::Number(n)),
                    None => wrong(self, "a number"),
                },
                _ => wrong(self, "a number"),
            },
            Shape::Boolean => match v {
                Value::Bool(_) => Some(v.clone()),
                Value::String(s) if s.eq_ignore_ascii_case("true") => Some(Value::Bool(true)),
                Value::String(s) if s.eq_ignore_ascii_case("false") => Some(Value::Bool(false)),
                _ => wrong(self, "true or false"),
            },
            Shape::Any => Some(v.clone()),
        }
    }
}

/// Text of a scalar value (`None` for lists, objects and null).
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

const RES: &str = "Resources";

/// Imports a CloudFormation template.
pub fn cloudformation(text: &str) -> Result<Imported> {
    let src = parse_any(text)?;
    let r = convert_template(&src.value);
    super::aws::located(&src, r)
}

fn convert_template(v: &Value) -> Result<Imported> {
    let root = JsonPath::root();
    let Some(t) = v.as_object() else {
        return Err(vec![Finding::error(
            "wrong-type",
            root,
            format!(
                "expected a CloudFormation template (an object), found {}",
                kind(v)
            ),
        )]);
    };
    let Some(resources) = t.get(RES).and_then(Value::as_object) else {
        return Err(vec![Finding::error(
            "not-a-template",
            root.key(RES),
            "the template has no `Resources`",
        )
        .with_fix(
            "paste a CloudFormation template with an AWS::ECS::TaskDefinition resource",
        )]);
    };
    let mut ctx = Ctx {
        shapes: Shapes::builtin(),
        params: t
            .get("Parameters")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default(),
        resources: resources.clone(),
        notes: Vec::new(),
        budget: Budget::default(),
    };
    let mut out = Imported::new(Format::CloudFormation);
    if t.contains_key("Transform") {
        ctx.notes.push(Finding::warning(
            "cfn-transform",
            root.key("Transform"),
            "the template uses a transform (macro); resources it would generate are not imported",
        ));
    }
    // Services by logical id, to attach scaling to.
    let mut service_ids: Vec<(String, usize)> = Vec::new();
    let mut errors = Vec::new();
    let mut targets: Vec<(String, Map<String, Value>, JsonPath)> = Vec::new();
    let mut policies: Vec<(String, Map<String, Value>, JsonPath)> = Vec::new();
    for (id, r) in resources {
        let rp = root.key(RES).key(id);
        let ty = r.get("Type").and_then(Value::as_str).unwrap_or("");
        let props = r
            .get("Properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let pp = rp.key("Properties");
        if r.get("Condition").is_some() && ty.starts_with("AWS::ECS::") {
            ctx.notes.push(Finding::info(
                "cfn-condition",
                rp.key("Condition"),
                format!("{id} is created only under a condition; imported unconditionally"),
            ));
        }
        match ty {
            "AWS::ECS::TaskDefinition" => match task_definition(&mut ctx, id, props, &pp) {
                Ok(td) => out.task_definitions.push(td),
                Err(e) => errors.extend(e),
            },
            "AWS::ECS::Service" => match service(&mut ctx, id, props, &pp, &mut out) {
                Ok(s) => {
                    service_ids.push((id.clone(), out.services.len()));
                    out.services.push(s);
                }
                Err(e) => errors.extend(e),
            },
            "AWS::ECS::Cluster" => cluster(&mut ctx, id, &props, &pp, &mut out),
            "AWS::ECS::CapacityProvider" => match capacity_provider(&mut ctx, id, props, &pp) {
                Ok(cp) => out.capacity_providers.push(cp),
                Err(e) => errors.extend(e),
            },
            "AWS::ECS::ClusterCapacityProviderAssociations" => {
                if let Some(s) = props.get("DefaultCapacityProviderStrategy") {
                    out.default_capacity_provider_strategy =
                        strategy(&mut ctx, s, &pp.key("DefaultCapacityProviderStrategy"));
                }
            }
            "AWS::ApplicationAutoScaling::ScalableTarget" => targets.push((id.clone(), props, pp)),
            "AWS::ApplicationAutoScaling::ScalingPolicy" => policies.push((id.clone(), props, pp)),
            _ => ctx.notes.push(Finding::info(
                "not-imported",
                rp.key("Type"),
                format!(
                    "{id} ({}) is not part of a plan; not imported",
                    if ty.is_empty() { "no Type" } else { ty }
                ),
            )),
        }
    }
    scaling(&mut ctx, &service_ids, targets, policies, &mut out);
    if let Some(f) = ctx.budget.exceeded.take() {
        return Err(vec![f]);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if out.task_definitions.is_empty() && out.services.is_empty() {
        return Err(vec![Finding::error(
            "nothing-to-import",
            root.key(RES),
            "the template has no AWS::ECS::TaskDefinition or AWS::ECS::Service",
        )]);
    }
    out.notes.extend(ctx.notes);
    Ok(out)
}

fn convert_checked(
    ctx: &mut Ctx,
    props: &Map<String, Value>,
    shape: &str,
    path: &JsonPath,
) -> Result<Value> {
    let v = ctx
        .convert(&Value::Object(props.clone()), shape, path)
        .unwrap_or_else(|| Value::Object(Map::new()));
    Ok(v)
}

/// Schema check of a converted value; paths of findings are mapped back to the template by
/// converting API names to CloudFormation names where they differ.
fn check(ctx: &mut Ctx, v: &Value, shape: &str, path: &JsonPath) -> Result<()> {
    let mut f = Vec::new();
    crate::schema::check(v, shape, path, &mut f);
    ctx.notes.extend(fail_on_errors(f)?);
    Ok(())
}

fn task_definition(
    ctx: &mut Ctx,
    id: &str,
    mut props: Map<String, Value>,
    path: &JsonPath,
) -> Result<TaskDefinition> {
    props.remove("TaskDefinitionArn");
    let mut v = convert_checked(ctx, &props, "ecs:RegisterTaskDefinitionRequest", path)?;
    if let Value::Object(o) = &mut v {
        if !o.contains_key("family") {
            ctx.notes.push(Finding::info(
                "cfn-generated-name",
                path.clone(),
                format!("no Family: CloudFormation would generate one; the family is the logical id \"{id}\""),
            ));
            o.insert("family".into(), Value::String(id.to_string()));
        }
        o.entry("containerDefinitions")
            .or_insert_with(|| Value::Array(Vec::new()));
    }
    check(ctx, &v, "ecs:RegisterTaskDefinitionRequest", path)?;
    typed(v, path)
}

fn service(
    ctx: &mut Ctx,
    id: &str,
    mut props: Map<String, Value>,
    path: &JsonPath,
    out: &mut Imported,
) -> Result<Service> {
    for read_only in ["ServiceArn", "Name"] {
        props.remove(read_only);
    }
    if let Some(c) = props.remove("Cluster") {
        let name = match intrinsic(&c) {
            Some((n, a)) => ctx.scalar(n, a, &path.key("Cluster"), true),
            None => Some(c.clone()),
        };
        if let Some(Value::String(name)) = name {
            // A cluster ARN names the cluster after the last slash.
            let name = name
                .rsplit_once(":cluster/")
                .map(|(_, n)| n.to_string())
                .unwrap_or(name);
            if out.cluster_name.as_deref().is_some_and(|x| x != name) {
                ctx.notes.push(Finding::warning(
                    "cfn-several-clusters",
                    path.key("Cluster"),
                    format!("service {id} runs in cluster {name}, another service in {}; a plan has one cluster", out.cluster_name.as_deref().unwrap_or("")),
                ));
            } else {
                out.cluster_name = Some(name);
            }
        }
    }
    if let Some(f) = props.remove("ForceNewDeployment") {
        let _ = f;
        ctx.notes.push(Finding::info(
            "not-converted",
            path.key("ForceNewDeployment"),
            "ForceNewDeployment is a CloudFormation update setting, not part of CreateService; left out",
        ));
    }
    let mut v = convert_checked(ctx, &props, "ecs:CreateServiceRequest", path)?;
    if let Value::Object(o) = &mut v {
        if !o.contains_key("serviceName") {
            ctx.notes.push(Finding::info(
                "cfn-generated-name",
                path.clone(),
                format!("no ServiceName: CloudFormation would generate one; the service is named after the logical id \"{id}\""),
            ));
            o.insert("serviceName".into(), Value::String(id.to_string()));
        }
    }
    check(ctx, &v, "plan:Service", path)?;
    typed(v, path)
}

fn cluster(
    ctx: &mut Ctx,
    id: &str,
    props: &Map<String, Value>,
    path: &JsonPath,
    out: &mut Imported,
) {
    let name = ctx.resource_name(id).unwrap_or_else(|| id.to_string());
    if out.cluster_name.is_none() {
        out.cluster_name = Some(name);
    }
    for (k, v) in props {
        let p = path.key(k);
        match k.as_str() {
            "ClusterName" => {}
            "DefaultCapacityProviderStrategy" => {
                if out.default_capacity_provider_strategy.is_none() {
                    out.default_capacity_provider_strategy = strategy(ctx, v, &p);
                }
            }
            _ => ctx.notes.push(Finding::info(
                "not-imported",
                p,
                format!("cluster property {k} is not part of a plan; not imported"),
            )),
        }
    }
}

fn strategy(
    ctx: &mut Ctx,
    v: &Value,
    path: &JsonPath,
) -> Option<Vec<CapacityProviderStrategyItem>> {
    let c = ctx.convert(v, "ecs:CapacityProviderStrategy", path)?;
    serde_json::from_value(c).ok()
}

fn capacity_provider(
    ctx: &mut Ctx,
    id: &str,
    mut props: Map<String, Value>,
    path: &JsonPath,
) -> Result<CapacityProvider> {
    if !props.contains_key("Name") {
        props.insert("Name".into(), Value::String(id.to_string()));
        ctx.notes.push(Finding::info(
            "cfn-generated-name",
            path.clone(),
            format!("no Name: CloudFormation would generate one; the capacity provider is named after the logical id \"{id}\""),
        ));
    }
    let v = convert_checked(ctx, &props, "ecs:CreateCapacityProviderRequest", path)?;
    check(ctx, &v, "plan:CapacityProvider", path)?;
    typed(v, path)
}

/// The service a scaling resource's `ResourceId` (`service/CLUSTER/NAME`, a `!Join`/`!Sub`
/// with `!GetAtt Service.Name`, ...) points at: an index into `out.services`.
fn scaled_service(
    ctx: &Ctx,
    service_ids: &[(String, usize)],
    out: &Imported,
    resource_id: &Value,
) -> Option<usize> {
    // A reference to a service resource anywhere inside.
    let mut stack = vec![resource_id];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) => {
                for (id, i) in service_ids {
                    if s.contains(&format!("${{{id}.Name}}")) || s == id {
                        return Some(*i);
                    }
                }
                if let Some(rest) = s.strip_prefix("service/") {
                    if let Some((_, name)) = rest.split_once('/') {
                        if let Some(i) = out.services.iter().position(|x| x.service_name == name) {
                            return Some(i);
                        }
                    }
                }
            }
            Value::Array(a) => stack.extend(a.iter()),
            Value::Object(o) => stack.extend(o.values()),
            _ => {}
        }
    }
    let _ = ctx;
    None
}

fn scaling(
    ctx: &mut Ctx,
    service_ids: &[(String, usize)],
    targets: Vec<(String, Map<String, Value>, JsonPath)>,
    policies: Vec<(String, Map<String, Value>, JsonPath)>,
    out: &mut Imported,
) {
    let mut target_service: Vec<(String, usize)> = Vec::new();
    for (id, props, path) in targets {
        let svc = props
            .get("ResourceId")
            .and_then(|r| scaled_service(ctx, service_ids, out, r));
        let Some(si) = svc else {
            ctx.notes.push(Finding::warning(
                "not-imported",
                path.key("ResourceId"),
                format!("scalable target {id} does not point at a service of this template; not imported"),
            ));
            continue;
        };
        target_service.push((id.clone(), si));
        let mut a = Map::new();
        for (k, v) in &props {
            let p = path.key(k);
            match k.as_str() {
                "MinCapacity" | "MaxCapacity" => {
                    if let Some(x) = ctx.convert(v, "plan:Capacity", &p) {
                        a.insert(
                            if k == "MinCapacity" {
                                "minCapacity"
                            } else {
                                "maxCapacity"
                            }
                            .into(),
                            x,
                        );
                    }
                }
                "SuspendedState" => {
                    if let Some(x) = ctx.convert(v, "aas:SuspendedState", &p) {
                        a.insert("suspendedState".into(), x);
                    }
                }
                "ScheduledActions" => {
                    if let Some(x) = ctx.convert(v, "plan:ScheduledActions", &p) {
                        a.insert("scheduledActions".into(), x);
                    }
                }
                "ServiceNamespace" | "ScalableDimension" | "ResourceId" => {}
                _ => ctx.notes.push(Finding::info(
                    "not-imported",
                    p,
                    format!("{k} of the scalable target is not kept in the plan"),
                )),
            }
        }
        let s = &mut out.services[si];
        let mut merged = taken_auto_scaling(s);
        for (k, v) in a {
            merged.insert(k, v);
        }
        set_auto_scaling(ctx, s, merged, &path);
    }
    for (id, mut props, path) in policies {
        let by_target = props.get("ScalingTargetId").and_then(|t| {
            let id = match intrinsic(t) {
                Some(("Ref", Value::String(r))) => r.clone(),
                _ => return None,
            };
            target_service
                .iter()
                .find(|(t, _)| *t == id)
                .map(|(_, i)| *i)
        });
        let svc = by_target.or_else(|| {
            props
                .get("ResourceId")
                .and_then(|r| scaled_service(ctx, service_ids, out, r))
        });
        let Some(si) = svc else {
            ctx.notes.push(Finding::warning(
                "not-imported",
                path.clone(),
                format!("scaling policy {id} does not point at a scalable target of this template; not imported"),
            ));
            continue;
        };
        for k in [
            "ScalingTargetId",
            "ServiceNamespace",
            "ScalableDimension",
            "ResourceId",
        ] {
            props.remove(k);
        }
        if !props.contains_key("PolicyName") {
            props.insert("PolicyName".into(), Value::String(id.clone()));
        }
        let Some(policy) = ctx.convert(&Value::Object(props), "plan:ScalingPolicy", &path) else {
            continue;
        };
        let s = &mut out.services[si];
        let mut a = taken_auto_scaling(s);
        match a
            .entry("policies")
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            Value::Array(list) => list.push(policy),
            other => *other = Value::Array(vec![policy]),
        }
        set_auto_scaling(ctx, s, a, &path);
    }
}

/// The service's `autoScaling` as JSON (taken out of it, to be set again).
fn taken_auto_scaling(s: &mut Service) -> Map<String, Value> {
    match s.auto_scaling.take().map(|a| a.json().clone()) {
        Some(Value::Object(o)) => o,
        _ => Map::new(),
    }
}

/// Sets the service's `autoScaling` from JSON (a value the plan's types refuse is a note).
fn set_auto_scaling(ctx: &mut Ctx, s: &mut Service, a: Map<String, Value>, path: &JsonPath) {
    match Written::from_value(Value::Object(a)) {
        Ok(a) => s.auto_scaling = Some(a),
        Err(e) => ctx.notes.push(Finding::warning(
            "not-imported",
            path.clone(),
            format!(
                "the auto scaling of service {} is not kept in the plan: {e}",
                s.service_name
            ),
        )),
    }
}
