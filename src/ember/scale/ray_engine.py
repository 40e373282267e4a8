"""The analysis on Ray: the same stage function (``workers.analyse_group``) on the same
groups, run by Ray Data on a cluster, or on a local Ray that this process starts.

Groups go to Ray a window at a time (``ray.data.from_items``), each window mapped by
``map_batches`` over a pool of ``concurrency`` actors of a callable class that loads the
pipeline once; results come back in order (``preserve_order``) to the driver, the only
process that writes the store. Ray needs ``pip install 'ember[ray]'``, and ember
installed on every node of the cluster; the store is the driver's, so a cluster's
workers never open it (SQLite is fine; PostgreSQL when several drivers share a store)."""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError

if TYPE_CHECKING:
    from .pipeline import AnalysisInput
    from .workers import Result

__all__ = ["RAY_MISSING", "RayEngine", "ray_available"]

RAY_MISSING = "--engine ray needs Ray: pip install 'ember[ray]'"
# Groups sent to Ray in one dataset: each dataset starts its actors (each loads the
# pipeline), so a window is large; the driver holds one window's texts at a time.
WINDOW_GROUPS = 256


def ray_available() -> bool:
    from importlib.util import find_spec

    return find_spec("ray") is not None


class GroupAnalyser:
    """A Ray Data actor: loads the pipeline once, then analyses one group per row."""

    def __init__(self) -> None:
        from ..nlp.pipeline import load_pipeline

        load_pipeline()

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[bytes]]:
        from .workers import analyse_group

        return {
            "results": [
                pickle.dumps(analyse_group(pickle.loads(blob)), protocol=pickle.HIGHEST_PROTOCOL)
                for blob in batch["group"]
            ]
        }


class RayEngine:
    """``workers`` actors (default: every CPU of the cluster) on the Ray at ``address``
    (``ray://host:port``, ``auto``), or on a local Ray of ``workers`` CPUs started here
    and stopped on close."""

    def __init__(
        self, *, workers: int | None = None, address: str | None = None,
        window_groups: int = WINDOW_GROUPS,
    ) -> None:  # fmt: skip
        try:
            import ray
            import ray.data
        except ImportError as exc:
            raise ConfigError(RAY_MISSING) from exc
        self._ray = ray
        self._started = False
        if not ray.is_initialized():
            if address is None:
                ray.init(
                    num_cpus=workers, include_dashboard=False, log_to_driver=False,
                    configure_logging=False,
                )  # fmt: skip
            else:
                try:
                    ray.init(address=address, log_to_driver=False, configure_logging=False)
                except (ConnectionError, RuntimeError, ValueError) as exc:
                    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                    raise ConfigError(f"cannot reach Ray at {address}: {first}") from exc
            self._started = True
        resources = ray.cluster_resources()  # type: ignore[no-untyped-call,unused-ignore]
        cpus = int(resources.get("CPU", 1))
        self.workers = max(1, workers if workers is not None else cpus)
        self.window_groups = window_groups
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False

    def results(self, groups: Iterable[Sequence[AnalysisInput]]) -> Iterator[list[Result]]:
        import ray.data

        it = iter(groups)
        while window := list(islice(it, self.window_groups)):
            rows = [{"group": pickle.dumps(list(group))} for group in window]
            dataset = ray.data.from_items(rows, override_num_blocks=len(rows))
            mapped = dataset.map_batches(
                GroupAnalyser, batch_size=1, batch_format="numpy",
                concurrency=min(self.workers, len(rows)), num_cpus=1,
            )  # fmt: skip
            for row in mapped.iter_rows():
                results: list[Result] = pickle.loads(row["results"])
                yield results

    def close(self, *, abort: bool = False) -> None:
        if self._started:
            self._ray.shutdown()
            self._started = False
