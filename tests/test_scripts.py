"""The shell scripts' logic on tiny cases, without the network: run.sh/test.sh install only when
pyproject.toml or the lock changed and remake a venv made by another Python; wheelhouse.sh fills a
folder with exactly the locked, hash-checked wheels and the build backend; ensure_postgres.sh never
opens a
server it did not install (outside CI)."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def executable(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def clean_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PGI_", "PYTHON", "CI"))}
    return {**env, **extra}


def project(tmp_path: Path) -> Path:
    work = tmp_path / "project"
    (work / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "venv.sh", work / "scripts" / "venv.sh")
    (work / "pyproject.toml").write_text('[project]\nname = "tiny"\nversion = "1"\n')
    (work / "requirements.lock").write_text("tiny-dep==1.0 --hash=sha256:" + "0" * 64 + "\n")
    return work


def fake_venv(work: Path, real: str = sys.executable) -> Path:
    """A venv whose python logs each `-m pip` call and runs everything else with the real one."""
    log = work / "pip.log"
    executable(
        work / ".venv" / "bin" / "python",
        '#!/bin/sh\nif [ "$1" = "-m" ] && [ "$2" = "pip" ]; then\n'
        f'  shift 2; echo "$*" >> {log}; exit 0\nfi\n'
        f'exec {real} "$@"\n',
    )
    return log


def ensure(work: Path, extras: str = "", **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-c", f'. scripts/venv.sh && ensure_venv "{extras}"'],
        cwd=work,
        env=clean_env(PYTHON=sys.executable, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_install_runs_only_when_pyproject_or_the_lock_changed(tmp_path):
    work = project(tmp_path)
    log = fake_venv(work)
    assert ensure(work).returncode == 0
    calls = log.read_text().splitlines()
    assert len(calls) == 2
    assert "--require-hashes -r requirements.lock" in calls[0] and calls[1].endswith(" -e .")
    assert ensure(work).returncode == 0
    assert log.read_text().splitlines() == calls  # nothing changed: nothing installed
    (work / "requirements.lock").write_text(
        (work / "requirements.lock").read_text() + "# changed\n"
    )
    assert ensure(work).returncode == 0
    assert len(log.read_text().splitlines()) == 4
    assert ensure(work, "test").returncode == 0  # other extras: installed again, with them
    assert log.read_text().splitlines()[-1].endswith("-e .[test]")
    calls = log.read_text().splitlines()
    assert (
        ensure(work).returncode == 0
    )  # the bot alone after the test tools: nothing more to install
    assert log.read_text().splitlines() == calls
    assert ensure(work, "test", PGI_WHEELHOUSE="/srv/wheels").returncode == 0
    assert all(
        "--no-index --find-links /srv/wheels" in c for c in log.read_text().splitlines()[-2:]
    )


def test_a_venv_made_by_another_python_is_made_again(tmp_path):
    work = project(tmp_path)
    executable(
        work / ".venv" / "bin" / "python", "#!/bin/sh\necho 3.9.0\n"
    )  # answers like another Python
    done = ensure(
        work, PGI_WHEELHOUSE=str(tmp_path / "empty")
    )  # offline: the tiny lock cannot install
    assert "made by another Python" in done.stderr
    version = subprocess.run(
        [
            str(work / ".venv" / "bin" / "python"),
            "-c",
            "import sys; print(sys.version.split()[0])",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert version == sys.version.split()[0]


def test_an_unsuitable_python_is_named(tmp_path):
    work = project(tmp_path)
    fake = executable(tmp_path / "python2", "#!/bin/sh\nexit 1\n")
    done = subprocess.run(
        ["bash", "-c", '. scripts/venv.sh && ensure_venv ""'],
        cwd=work,
        env=clean_env(PYTHON=str(fake)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "is not a Python 3.11 to 3.13" in done.stderr


def wheel(folder: Path, name: str, version: str) -> Path:
    """A minimal pure-Python wheel."""
    path = folder / f"{name}-{version}-py3-none-any.whl"
    info = f"{name}-{version}.dist-info"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(f"{name}/__init__.py", "")
        z.writestr(
            f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        )
        z.writestr(
            f"{info}/WHEEL",
            "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
        z.writestr(f"{info}/RECORD", "")
    return path


def wheelhouse(work: Path, out: Path, source: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "scripts/wheelhouse.sh", str(out), "--no-index", "--find-links", str(source)],
        cwd=work,
        env=clean_env(PYTHON=sys.executable, PIP_CONFIG_FILE=os.devnull, PIP_FIND_LINKS=""),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_wheelhouse_holds_the_locked_wheels_and_the_build_backend(tmp_path):
    source = tmp_path / "index"
    source.mkdir()
    dep = wheel(source, "tinydep", "1.0")
    wheel(source, "tinydep", "2.0")
    wheel(source, "tinybuild", "3.0")
    work = tmp_path / "project"
    (work / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "wheelhouse.sh", work / "scripts")
    (work / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["tinybuild>=3"]\n\n[project]\nname = "x"\n'
    )
    digest = hashlib.sha256(dep.read_bytes()).hexdigest()
    (work / "requirements.lock").write_text(f"tinydep==1.0 \\\n    --hash=sha256:{digest}\n")
    out = tmp_path / "wheels"
    done = wheelhouse(work, out, source)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "tinybuild-3.0-py3-none-any.whl",
        "tinydep-1.0-py3-none-any.whl",
    ]
    assert "2 wheels" in done.stdout

    (work / "requirements.lock").write_text(
        "tinydep==1.0 \\\n    --hash=sha256:" + "0" * 64 + "\n"
    )
    tampered = wheelhouse(work, tmp_path / "other", source)
    assert tampered.returncode != 0 and "hash" in tampered.stderr.lower()
    usage = subprocess.run(
        ["bash", "scripts/wheelhouse.sh"], cwd=work, capture_output=True, text=True
    )
    assert usage.returncode == 2 and "usage" in usage.stderr


def fake_postgres(tmp_path: Path) -> tuple[dict, Path]:
    """pg_isready answers once pg_ctlcluster ran; sudo, psql and the cluster are stand-ins."""
    bin_ = tmp_path / "bin"
    started = tmp_path / "started"
    executable(bin_ / "pg_isready", f"#!/bin/sh\n[ -e {started} ]\n")
    executable(bin_ / "pg_ctlcluster", f"#!/bin/sh\ntouch {started}\n")
    executable(bin_ / "psql", "#!/bin/sh\necho 1\n")
    executable(bin_ / "sudo", '#!/bin/sh\nexec "$@"\n')
    hba = tmp_path / "etc" / "15" / "main" / "pg_hba.conf"
    hba.parent.mkdir(parents=True)
    hba.write_text(
        "local all all peer\nhost all all 127.0.0.1/32 scram-sha-256\n"
        "host all all ::1/128 scram-sha-256\n"
    )
    env = clean_env(
        PATH=f"{bin_}:{os.environ['PATH']}",
        PGI_PG_ETC=str(tmp_path / "etc"),
        PGI_PG_MARK=str(tmp_path / "mark"),
    )
    return env, hba


def postgres(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "ensure_postgres.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_ensure_postgres_leaves_a_server_it_did_not_install_alone(tmp_path):
    env, hba = fake_postgres(tmp_path)
    before = hba.read_text()
    done = postgres(env)
    assert done.returncode == 1
    assert "PGI_TEST_POSTGRES_URL=postgresql+psycopg://" in done.stderr
    assert hba.read_text() == before and not (tmp_path / "started").exists()


def test_ensure_postgres_sets_trust_on_ci_or_where_it_installed_the_server(tmp_path):
    env, hba = fake_postgres(tmp_path)
    assert postgres({**env, "CI": "true"}).returncode == 0
    assert "host all all 127.0.0.1/32 trust" in hba.read_text()
    env, hba = fake_postgres(tmp_path / "second")
    (tmp_path / "second" / "mark").touch()  # installed by this script earlier
    assert postgres(env).returncode == 0
    assert "host all all 127.0.0.1/32 trust" in hba.read_text()


def test_ensure_postgres_does_nothing_when_the_tests_have_their_own_server(tmp_path):
    env, hba = fake_postgres(tmp_path)
    done = postgres(
        {**env, "PGI_TEST_POSTGRES_URL": "postgresql+psycopg://pgi:pw@db.internal:5432/pgi_test"}
    )
    assert done.returncode == 0 and not (tmp_path / "started").exists()
