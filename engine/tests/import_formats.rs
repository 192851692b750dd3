//! The importers on realistic inputs: docker-compose files, CloudFormation YAML with short
//! tags and JSON, describe output, and merging into a plan.

use engine::api::findings::Severity;
use engine::api::import::{self, Format, Options};
use engine::api::plan::Plan;
use serde_json::{json, Value};

const COMPOSE: &str = r#"
name: shop
x-logging: &logging
  driver: awslogs
  options:
    awslogs-group: /ecs/shop
services:
  web:
    image: ${REGISTRY:-docker.io/library}/nginx:${TAG:-1.27}
    ports:
      - "8080:80"
      - "443"
      - 9000-9001:9000-9001/udp
      - target: 3000
        published: 3001
        protocol: tcp
        app_protocol: http
        name: api
    environment:
      - MODE=prod
      - FROM_SHELL
    command: nginx -g "daemon off;"
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost"]
      interval: 1m30s
      timeout: 10s
      retries: 3
      start_period: 40s
    depends_on:
      db:
        condition: service_healthy
      migrate:
        condition: service_completed_successfully
    volumes:
      - static:/usr/share/nginx/html:ro
      - /var/log/nginx:/var/log/nginx
      - ./conf:/etc/nginx/conf.d
    deploy:
      resources:
        limits:
          cpus: "0.5"
          memory: 512M
        reservations:
          memory: 256m
    logging: *logging
    build: ./web
    networks: [front]
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: example
      PGPORT: 5432
    mem_limit: 1g
    cpus: 1.5
    healthcheck:
      test: pg_isready -U postgres
      interval: 2s
    volumes:
      - type: volume
        source: data
        target: /var/lib/postgresql/data
    secrets: [db_password]
    ulimits:
      nofile:
        soft: 20000
        hard: 40000
  migrate:
    build: ./migrations
    entrypoint: ["/bin/migrate", "up"]
    depends_on: [db]
volumes:
  static: {}
  data:
    driver: local
networks:
  front: {}
secrets:
  db_password:
    file: ./db_password.txt
"#;

fn note_paths(i: &import::Imported) -> Vec<String> {
    i.notes
        .iter()
        .map(|n| format!("{} {}", n.code, n.path))
        .collect()
}

#[test]
fn compose_services_become_containers_of_one_task_definition() {
    assert_eq!(import::detect(COMPOSE), Format::Compose);
    let i = import::compose(COMPOSE, None).unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(i.task_definitions.len(), 1);
    let td = serde_json::to_value(&i.task_definitions[0]).unwrap();
    assert_eq!(td["family"], "shop");
    assert_eq!(td["networkMode"], "bridge");
    let c = |n: &str| {
        td["containerDefinitions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == n)
            .unwrap()
            .clone()
    };
    let web = c("web");
    assert_eq!(web["image"], "docker.io/library/nginx:1.27");
    assert_eq!(
        web["portMappings"],
        json!([
            {"containerPort": 80, "hostPort": 8080, "protocol": "tcp"},
            {"containerPort": 443, "protocol": "tcp"},
            {"containerPort": 9000, "hostPort": 9000, "protocol": "udp"},
            {"containerPort": 9001, "hostPort": 9001, "protocol": "udp"},
            {"containerPort": 3000, "hostPort": 3001, "protocol": "tcp", "name": "api", "appProtocol": "http"}
        ])
    );
    assert_eq!(
        web["environment"],
        json!([{"name": "MODE", "value": "prod"}])
    );
    assert_eq!(web["command"], json!(["nginx", "-g", "daemon off;"]));
    assert_eq!(
        web["healthCheck"],
        json!({"command": ["CMD", "curl", "-f", "http://localhost"], "interval": 90, "timeout": 10, "retries": 3, "startPeriod": 40})
    );
    assert_eq!(
        web["dependsOn"],
        json!([{"containerName": "db", "condition": "HEALTHY"}, {"containerName": "migrate", "condition": "SUCCESS"}])
    );
    assert_eq!(web["cpu"], 512);
    assert_eq!(web["memory"], 512);
    assert_eq!(web["memoryReservation"], 256);
    assert_eq!(
        web["logConfiguration"],
        json!({"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/shop"}})
    );
    assert_eq!(web["essential"], true);
    let mounts = web["mountPoints"].as_array().unwrap();
    assert_eq!(
        mounts[0],
        json!({"sourceVolume": "static", "containerPath": "/usr/share/nginx/html", "readOnly": true})
    );
    assert_eq!(mounts[1]["containerPath"], "/var/log/nginx");
    let db = c("db");
    assert_eq!(db["memory"], 1024);
    assert_eq!(db["cpu"], 1536);
    assert_eq!(
        db["environment"],
        json!([{"name": "POSTGRES_PASSWORD", "value": "example"}, {"name": "PGPORT", "value": "5432"}])
    );
    assert_eq!(
        db["healthCheck"]["command"],
        json!(["CMD-SHELL", "pg_isready -U postgres"])
    );
    assert_eq!(
        db["healthCheck"]["interval"], 5,
        "2s is clamped to the ECS minimum"
    );
    assert_eq!(
        db["ulimits"],
        json!([{"name": "nofile", "softLimit": 20000, "hardLimit": 40000}])
    );
    let migrate = c("migrate");
    assert_eq!(migrate["essential"], false, "waited for with SUCCESS");
    assert_eq!(migrate["entryPoint"], json!(["/bin/migrate", "up"]));
    assert_eq!(
        migrate["dependsOn"],
        json!([{"containerName": "db", "condition": "START"}])
    );
    let vols: Vec<&str> = td["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert!(
        vols.contains(&"static") && vols.contains(&"data"),
        "{vols:?}"
    );
    assert!(td["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["host"]["sourcePath"] == "/var/log/nginx"));

    let notes = note_paths(&i);
    for want in [
        "compose-variable services.web.environment[1]",
        "not-converted services.web.networks",
        "not-converted services.db.secrets",
        "not-converted networks",
        "not-converted secrets",
        "no-image services.migrate.build",
        "clamped services.db.healthcheck.interval",
        "not-converted services.web.volumes[2]",
        "compose-variable-default services.web.image",
    ] {
        assert!(
            notes.iter().any(|n| n == want),
            "missing note {want}: {notes:#?}"
        );
    }
    // Notes say where in the file.
    let n = i
        .notes
        .iter()
        .find(|n| n.path.to_string() == "services.db.secrets")
        .unwrap();
    assert_eq!(
        n.line,
        Some(
            COMPOSE
                .lines()
                .position(|l| l.contains("secrets: [db_password]"))
                .unwrap() as u32
                + 1
        )
    );
    assert!(i.notes.iter().all(|n| n.severity != Severity::Error));
    // The container without memory is pointed out (EC2 needs memory or a reservation).
    assert!(
        notes.iter().any(|n| n == "no-memory services.migrate"),
        "{notes:#?}"
    );
    // And the result is a structurally valid plan part.
    let plan = import::into_plan(&Plan::empty("c"), &i);
    let mut f = Vec::new();
    engine::api::schema::check(
        &serde_json::to_value(&plan).unwrap(),
        "plan:Plan",
        &engine::api::findings::JsonPath::root(),
        &mut f,
    );
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn compose_family_parameter_and_units() {
    let text = "services:\n  a:\n    image: busybox\n    mem_reservation: 1.5g\n    deploy:\n      resources:\n        limits:\n          cpus: '0.25'\n          memory: 2048k\n    stop_grace_period: 1m30s\n";
    let i = import::compose(text, Some("my-family")).unwrap();
    let td = serde_json::to_value(&i.task_definitions[0]).unwrap();
    assert_eq!(td["family"], "my-family");
    let a = &td["containerDefinitions"][0];
    assert_eq!(a["memoryReservation"], 1536);
    assert_eq!(a["memory"], 6, "2 MiB is raised to Docker's minimum of 6");
    assert_eq!(a["cpu"], 256);
    assert_eq!(a["stopTimeout"], 90);
}

#[test]
fn compose_without_services_is_an_error() {
    let e = import::compose("version: '3'\n", None).unwrap_err();
    assert_eq!(e[0].code, "not-a-compose-file");
}

const TEMPLATE: &str = r#"
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  ImageUri:
    Type: String
    Default: public.ecr.aws/nginx/nginx:1.27
  Subnets:
    Type: List<AWS::EC2::Subnet::Id>
  ContainerPort:
    Type: Number
    Default: 80
Resources:
  Cluster:
    Type: AWS::ECS::Cluster
    Properties:
      ClusterName: prod
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
  TaskDef:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: web
      Cpu: 256
      Memory: 512
      NetworkMode: awsvpc
      RequiresCompatibilities: [FARGATE]
      ExecutionRoleArn: !GetAtt Role.Arn
      ContainerDefinitions:
        - Name: web
          Image: !Ref ImageUri
          Essential: "true"
          PortMappings:
            - ContainerPort: !Ref ContainerPort
              Protocol: tcp
          LogConfiguration:
            LogDriver: awslogs
            Options:
              awslogs-group: !Sub "/ecs/${AWS::StackName}"
              awslogs-region: !Ref AWS::Region
          DockerLabels:
            com.example.Team: shop
      Volumes:
        - Name: data
          EFSVolumeConfiguration:
            FilesystemId: fs-12345678
            TransitEncryption: ENABLED
            AuthorizationConfig:
              IAM: ENABLED
      ProxyConfiguration:
        ContainerName: envoy
        Type: APPMESH
        ProxyConfigurationProperties:
          - Name: IgnoredUID
            Value: "1337"
      Tags:
        - Key: team
          Value: shop
  Service:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      TaskDefinition: !Ref TaskDef
      DesiredCount: 2
      LaunchType: FARGATE
      PlacementStrategies:
        - Type: spread
          Field: attribute:ecs.availability-zone
      NetworkConfiguration:
        AwsvpcConfiguration:
          Subnets: !Ref Subnets
          AssignPublicIp: DISABLED
      ForceNewDeployment:
        EnableForceNewDeployment: true
"#;

#[test]
fn cloudformation_yaml_with_short_tags() {
    assert_eq!(import::detect(TEMPLATE), Format::CloudFormation);
    let i = import::cloudformation(TEMPLATE).unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(i.cluster_name.as_deref(), Some("prod"));
    let td = serde_json::to_value(&i.task_definitions[0]).unwrap();
    assert_eq!(
        td["cpu"], "256",
        "numbers become strings where the API takes strings"
    );
    assert_eq!(td["memory"], "512");
    assert_eq!(td["executionRoleArn"], "<!GetAtt Role.Arn>");
    let c = &td["containerDefinitions"][0];
    assert_eq!(
        c["image"], "public.ecr.aws/nginx/nginx:1.27",
        "the parameter's default"
    );
    assert_eq!(c["essential"], true);
    assert_eq!(c["portMappings"][0]["containerPort"], 80);
    assert_eq!(
        c["logConfiguration"]["options"]["awslogs-group"],
        "<!Sub /ecs/${AWS::StackName}>"
    );
    assert_eq!(
        c["dockerLabels"],
        json!({"com.example.Team": "shop"}),
        "map keys are kept as they are"
    );
    assert_eq!(
        td["volumes"][0],
        json!({"name": "data", "efsVolumeConfiguration": {"fileSystemId": "fs-12345678", "transitEncryption": "ENABLED", "authorizationConfig": {"iam": "ENABLED"}}})
    );
    assert_eq!(
        td["proxyConfiguration"]["properties"],
        json!([{"name": "IgnoredUID", "value": "1337"}])
    );
    assert_eq!(td["tags"], json!([{"key": "team", "value": "shop"}]));
    let s = serde_json::to_value(&i.services[0]).unwrap();
    assert_eq!(s["serviceName"], "Service");
    assert_eq!(s["taskDefinition"], "web");
    assert_eq!(
        s["placementStrategy"],
        json!([{"type": "spread", "field": "attribute:ecs.availability-zone"}])
    );
    assert_eq!(
        s["networkConfiguration"]["awsvpcConfiguration"]["subnets"],
        json!(["<!Ref Subnets>"])
    );
    let notes = note_paths(&i);
    for want in [
        "cfn-intrinsic Resources.TaskDef.Properties.ExecutionRoleArn",
        "cfn-parameter-default Resources.TaskDef.Properties.ContainerDefinitions[0].Image",
        "not-imported Resources.Role.Type",
        "not-converted Resources.Service.Properties.ForceNewDeployment",
        "cfn-generated-name Resources.Service.Properties",
    ] {
        assert!(
            notes.iter().any(|n| n == want),
            "missing note {want}: {notes:#?}"
        );
    }
    let n = i
        .notes
        .iter()
        .find(|n| n.path.to_string() == "Resources.TaskDef.Properties.ExecutionRoleArn")
        .unwrap();
    assert_eq!(
        n.line,
        Some(
            TEMPLATE
                .lines()
                .position(|l| l.contains("ExecutionRoleArn"))
                .unwrap() as u32
                + 1
        )
    );
}

#[test]
fn cloudformation_json_long_form() {
    let t = json!({
        "Resources": {
            "T": {"Type": "AWS::ECS::TaskDefinition", "Properties": {
                "ContainerDefinitions": [{"Name": "a", "Image": {"Fn::Join": ["", ["repo/", "a", ":1"]]}, "Memory": "128",
                    "Environment": [{"Name": "X", "Value": {"Fn::If": ["Cond", "a", "b"]}}]}]
            }}
        }
    });
    let i = import::cloudformation(&t.to_string()).unwrap();
    let td = serde_json::to_value(&i.task_definitions[0]).unwrap();
    assert_eq!(td["family"], "T");
    assert_eq!(td["containerDefinitions"][0]["image"], "repo/a:1");
    assert_eq!(td["containerDefinitions"][0]["memory"], 128);
    assert!(td["containerDefinitions"][0]["environment"][0]["value"]
        .as_str()
        .unwrap()
        .starts_with("<!If"));
}

#[test]
fn a_template_without_ecs_resources_is_an_error() {
    let e = import::cloudformation("Resources:\n  B:\n    Type: AWS::S3::Bucket\n").unwrap_err();
    assert_eq!(e[0].code, "nothing-to-import");
}

#[test]
fn wrong_types_in_a_request_are_errors_with_paths_and_lines() {
    let text = "{\n  \"family\": \"x\",\n  \"containerDefinitions\": [\n    {\"name\": \"a\", \"image\": \"b\", \"memory\": \"lots\"}\n  ]\n}";
    let e = import::register_task_definition(text).unwrap_err();
    assert_eq!(e[0].code, "wrong-type");
    assert_eq!(e[0].path.to_string(), "containerDefinitions[0].memory");
    assert_eq!(e[0].line, Some(4));
    let e = import::register_task_definition("[1, 2]").unwrap_err();
    assert_eq!(e[0].code, "wrong-type");
    let e = import::create_service(r#"{"serviceName": 5}"#).unwrap_err();
    assert_eq!(e[0].path.to_string(), "serviceName");
}

#[test]
fn into_plan_adds_revisions_and_replaces_services() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../public/plans/two-az-web.json"
    ))
    .unwrap();
    let base = engine::api::plan::load(&text).plan.unwrap();
    let td = engine::api::export::export(&base, engine::api::export::Format::CliJson)[0]
        .content
        .clone();
    let i = import::import(&td, &Options::default()).unwrap();
    let plan = import::into_plan(&base, &i);
    assert_eq!(plan.task_definitions.len(), base.task_definitions.len() + 1);
    assert_eq!(
        plan.resolve_task_definition("web"),
        Some((2, 2)),
        "the import is revision 2 of web"
    );
    let svc = r#"{"serviceName": "web", "taskDefinition": "web:2", "desiredCount": 1, "cluster": "other"}"#;
    let i = import::import(svc, &Options::default()).unwrap();
    assert_eq!(i.cluster_name.as_deref(), Some("other"));
    let plan2 = import::into_plan(&plan, &i);
    assert_eq!(plan2.services.len(), base.services.len());
    assert_eq!(plan2.services[0].desired_count, Some(1));
    assert_eq!(
        plan2.cluster.cluster_name, "shop-prod",
        "the plan keeps its cluster"
    );
    assert!(!engine::api::plan::load(&plan2.to_json()).has_errors());
    let v: Value = serde_json::from_str(
        &engine::api::export::export(&plan2, engine::api::export::Format::CreateService)[0].content,
    )
    .unwrap();
    assert_eq!(v["cluster"], "shop-prod");
    assert_eq!(v["taskDefinition"], "web:2");
}

#[test]
fn a_whole_plan_imports_its_definitions() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../public/plans/fargate-spot.json"
    ))
    .unwrap();
    assert_eq!(import::detect(&text), Format::Plan);
    let i = import::import(&text, &Options::default()).unwrap();
    assert_eq!(i.format, Format::Plan);
    assert_eq!(i.task_definitions.len(), 1);
    assert_eq!(i.services.len(), 1);
    assert_eq!(i.cluster_name.as_deref(), Some("api-serverless"));
}
