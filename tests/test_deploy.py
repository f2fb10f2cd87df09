"""deploy/: the env example, the systemd unit and the container file say what the code does."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path, PurePosixPath

import pytest

from bot.__main__ import EXIT_CONFIG, EXIT_TOKEN_REJECTED
from bot.config import ENV_VARS, load_settings, read_env_file

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
UNIT = DEPLOY / "keepcut.service"
CONTAINERFILE = DEPLOY / "Containerfile"
ENV_EXAMPLE = DEPLOY / "env.example"

SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
needs_systemd_analyze = pytest.mark.skipif(
    SYSTEMD_ANALYZE is None,
    reason="systemd-analyze is not installed (Debian: apt-get install systemd), "
    "so deploy/keepcut.service is not verified or rated here",
)
# Where distributions keep the system's own units (sysinit.target and the rest).
SYSTEM_UNIT_DIRS = (Path("/usr/lib/systemd/system"), Path("/lib/systemd/system"))

# A setting line of env.example: `NAME=…`, or commented out, `# NAME=…`.
_SETTING_RE = re.compile(r"^(#\s*)?([A-Z][A-Z0-9_]*)=")


def env_example_settings() -> list[tuple[str, bool]]:
    """(name, commented out) for every setting line of deploy/env.example, in order."""
    found = []
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if match := _SETTING_RE.match(line):
            found.append((match[2], match[1] is not None))
    return found


def unit_settings() -> dict[str, list[str]]:
    """Every Key=value of the unit (all sections), each key's values in order."""
    settings: dict[str, list[str]] = {}
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", ";", "[")):
            key, value = line.split("=", 1)
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def final_stage_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Containerfile's last stage, continuations joined."""
    text = CONTAINERFILE.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    instructions = [
        (word.upper(), rest.strip())
        for word, _, rest in (line.strip().partition(" ") for line in joined.splitlines())
        if word
    ]
    last_from = max(i for i, (word, _) in enumerate(instructions) if word == "FROM")
    return instructions[last_from:]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run a command and capture its output as text."""
    return subprocess.run(args, capture_output=True, text=True, encoding="utf-8", timeout=120)


# -- env.example ----------------------------------------------------------------------------


def test_env_example_lists_every_variable_the_code_reads_in_order() -> None:
    assert [name for name, _ in env_example_settings()] == list(ENV_VARS)


def test_env_example_sets_only_the_token() -> None:
    # Anything else uncommented would override the unit's or the image's own value (a
    # KEEPCUT_DB=keepcut.db once sent the container's database to an unwritable folder).
    uncommented = [name for name, commented in env_example_settings() if not commented]
    assert uncommented == ["TELEGRAM_BOT_TOKEN"]
    assert read_env_file(ENV_EXAMPLE) == {"TELEGRAM_BOT_TOKEN": ""}


# -- the systemd unit -----------------------------------------------------------------------


def test_unit_does_not_restart_on_exit_codes_a_restart_cannot_mend() -> None:
    settings = unit_settings()
    assert settings["Restart"] == ["on-failure"]
    prevented = {int(code) for code in " ".join(settings["RestartPreventExitStatus"]).split()}
    assert prevented == {EXIT_CONFIG, EXIT_TOKEN_REJECTED}
    # Every other failure is retried only so often, then left "failed" for a person.
    assert settings["StartLimitBurst"] and settings["StartLimitIntervalSec"]


def test_unit_makes_its_own_data_folder_and_keeps_the_database_in_it() -> None:
    settings = unit_settings()
    assert "keepcut" in settings["StateDirectory"][0].split()
    environment = " ".join(settings["Environment"]).split()
    assert "KEEPCUT_DB=/var/lib/keepcut/keepcut.db" in environment
    assert "PTB_TIMEDELTA=1" in environment
    assert settings["UMask"] == ["0077"]


@needs_systemd_analyze
def test_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    # verify insists that ExecStart's program exists, and /opt/keepcut/venv exists only once
    # an operator made it. So the unit is verified unchanged inside a scratch root (--root)
    # that holds it, a copy of this system's own units (sysinit.target, …, which --root
    # looks up inside the root too) and an empty stand-in program at ExecStart's path.
    assert SYSTEMD_ANALYZE
    system_units = next((d for d in SYSTEM_UNIT_DIRS if (d / "sysinit.target").exists()), None)
    if system_units is None:
        pytest.skip("no system unit folder with sysinit.target to verify against")
    root = tmp_path / "root"
    shutil.copytree(system_units, root / "usr/lib/systemd/system", symlinks=True)
    (root / "etc/systemd/system").mkdir(parents=True)
    shutil.copy(UNIT, root / "etc/systemd/system" / UNIT.name)
    program = PurePosixPath(unit_settings()["ExecStart"][0].split()[0])
    stand_in = root / program.relative_to("/")
    stand_in.parent.mkdir(parents=True)
    stand_in.write_text("#!/bin/sh\n")
    stand_in.chmod(0o755)

    result = run(SYSTEMD_ANALYZE, "verify", f"--root={root}", UNIT.name)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert output == "", "systemd-analyze verify should have nothing to say"


@needs_systemd_analyze
def test_unit_is_rated_ok_by_systemd_analyze_security() -> None:
    assert SYSTEMD_ANALYZE
    result = run(SYSTEMD_ANALYZE, "security", "--offline=true", str(UNIT))
    if result.returncode != 0 and "offline" in result.stderr:
        pytest.skip(f"this systemd-analyze cannot rate a unit file offline: {result.stderr}")
    assert result.returncode == 0, result.stderr
    overall = r"Overall exposure level for keepcut\.service: ([\d.]+) (\w+)"
    match = re.search(overall, result.stdout)
    assert match, result.stdout
    exposure, verdict = float(match[1]), match[2]
    exposed = [line for line in result.stdout.splitlines() if line.startswith(("✗", "→"))]
    assert exposure < 2.0 and verdict == "OK", "\n".join(exposed)


# -- the container file ---------------------------------------------------------------------


def test_container_runs_the_bot_as_a_non_root_user() -> None:
    users = [args for word, args in final_stage_instructions() if word == "USER"]
    assert users, "the image would run as root"
    assert users[-1].split(":")[0] not in ("root", "0")


def test_container_keeps_the_database_on_the_data_volume() -> None:
    instructions = final_stage_instructions()
    volumes = " ".join(args for word, args in instructions if word == "VOLUME")
    assert "/data" in volumes
    env = " ".join(args for word, args in instructions if word == "ENV")
    assert "KEEPCUT_DB=/data/keepcut.db" in env.split()


def test_container_exposes_the_webhook_port_and_checks_its_health() -> None:
    instructions = dict(final_stage_instructions())
    default = load_settings({"TELEGRAM_BOT_TOKEN": "123456:TEST-TOKEN"}, env_file=None)
    assert instructions["EXPOSE"].split() == [str(default.webhook_port)]
    assert instructions["HEALTHCHECK"].endswith('CMD ["python", "-m", "bot", "health"]')


def test_container_starts_the_bot_with_python_m_bot() -> None:
    cmds = [args for word, args in final_stage_instructions() if word == "CMD"]
    assert cmds[-1] == '["python", "-m", "bot"]'
