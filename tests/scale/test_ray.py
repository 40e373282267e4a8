"""The analysis on a local Ray that the command starts: the same records as the local
engine, nothing written to the home folder, and a document that kills its Ray worker
marked failed while the others are stored (a stand-in analysis, no spaCy)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from ember.geo.gazetteer import cache_dir
from ember.scale.pipeline import AnalysisInput

pytest.importorskip("ray.data", reason="needs the ray extra: pip install -e '.[ray]'")

pytestmark = [pytest.mark.ray, pytest.mark.slow]

CORPUS = Path(str(resources.files("ember") / "samples" / "corpus"))
REPO = Path(__file__).resolve().parents[2]
KINDS = ("documents", "events", "claims", "entities")


def ember(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ember", *args], env=env, cwd=cwd, text=True,
        capture_output=True, timeout=600, check=False,
    )  # fmt: skip


def exported(db: str, *, env: dict[str, str], cwd: Path) -> dict[str, str]:
    records = {}
    for kind in KINDS:
        out = cwd / f"{kind}.jsonl"
        done = ember("export", kind, "--format", "jsonl", "--db", db, "--out", str(out),
                     env=env, cwd=cwd)  # fmt: skip
        assert done.returncode == 0, done.stderr
        records[kind] = out.read_text(encoding="utf-8")
    return records


def test_a_local_ray_stores_the_same_records_as_the_local_engine(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # Six reports, two of which tell the same happening, so corroboration clusters too.
    for path in sorted(CORPUS.glob("*.txt")):
        shutil.copy(path, corpus / path.name)
    home = tmp_path / "home"
    home.mkdir()
    # A home of its own shows what Ray writes there; ember's gazetteer cache stays where
    # it was (built once, shared by the tests).
    env = {**os.environ, "HOME": str(home), "EMBER_CACHE_DIR": str(cache_dir())}
    for name in ("RAY_ADDRESS", "RAY_TMPDIR", "RAY_AUTH_MODE", "RAY_AUTH_TOKEN"):
        env.pop(name, None)
    stores = {}
    for engine, workers in (("local", "1"), ("ray", "2")):
        folder = tmp_path / engine
        folder.mkdir()
        db = f"sqlite:///{folder / 'ember.db'}"
        done = ember("ingest", "corpus", "--db", db, "-q", "--engine", engine,
                     "--workers", workers, env=env, cwd=tmp_path)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "analysed 6 documents" in done.stdout
        assert "Traceback" not in done.stderr
        stores[engine] = exported(db, env=env, cwd=folder)
    assert '"corroborated_by": ["' in stores["local"]["events"]
    for kind in KINDS:
        assert stores["ray"][kind] == stores["local"][kind], kind
    # Ray's session folder was a temporary one; its token never went to ~/.ray.
    assert not list(home.iterdir())


def test_a_document_that_kills_its_ray_worker_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ember.scale.ray_engine import RayEngine

    from .fake_worker import DIE, fake_group, no_start

    # Ray's workers import the stand-in from the driver's working folder.
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("HOME", str(tmp_path))
    texts = ["a", "b", "c", DIE, "e", "f", "g"]
    items = [AnalysisInput(f"d{i}", text) for i, text in enumerate(texts)]
    groups = [items[at : at + 2] for at in range(0, len(items), 2)]
    engine = RayEngine(workers=2, task=fake_group, start=no_start)
    try:
        results = [result for group in engine.results(groups) for result in group]
    finally:
        engine.close()
    assert [doc_id for doc_id, _ in results] == [f"d{i}" for i in range(len(texts))]
    outcomes = dict(results)
    assert "died" in str(outcomes.pop("d3"))
    assert set(outcomes.values()) == {"ok"}
    assert "RAY_AUTH_TOKEN" not in os.environ


@pytest.mark.parametrize("address", ["ray://127.0.0.1:10001", "refused"])
def test_a_cluster_ember_cannot_use_is_one_line_and_exit_2(tmp_path: Path, address: str) -> None:
    from click.testing import CliRunner

    from ember.cli import cli

    if address == "refused":  # a loopback port nothing listens on
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            address = f"127.0.0.1:{probe.getsockname()[1]}"
    db = f"sqlite:///{tmp_path / 'ember.db'}"
    result = CliRunner().invoke(
        cli, ["analyze", "--db", db, "--engine", "ray", "--address", address]
    )
    assert result.exit_code == 2
    error = result.output.strip().splitlines()[-1]
    assert error.startswith("Error: ") and ("Ray Client" in error or "cannot reach Ray" in error)
    assert "Traceback" not in result.output
