"""``--workers N`` and ``--scheduler ADDRESS``: the executor a research command runs on."""

import argparse
import contextlib
import importlib
from collections.abc import Iterator
from concurrent.futures import Executor
from typing import Any

from itstrat_engine.cli._arguments import positive_int
from itstrat_engine.errors import ItstratError, MissingExtraError, Problem


class ClusterError(ItstratError, ConnectionError):
    """The dask scheduler could not be reached or the local cluster did not start."""

    def __init__(self, problem: Problem) -> None:
        """Carry the one problem."""
        self.problems = (problem,)
        super().__init__(str(problem))


def add_cluster_options(parser: argparse.ArgumentParser) -> None:
    """The mutually exclusive ``--workers`` and ``--scheduler`` options."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--workers",
        type=positive_int,
        metavar="N",
        help="start a local dask cluster of N worker processes, one thread each "
        "(needs the dask extra); default: run here, one plan after the other",
    )
    where.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="join a running dask scheduler (tcp://host:8786); needs the dask extra",
    )


@contextlib.contextmanager
def executor_for(args: argparse.Namespace) -> Iterator[Executor | None]:
    """The executor the options ask for (None: serial), closed on the way out."""
    if args.workers is None and args.scheduler is None:
        yield None
        return
    try:  # the dask extra, untyped: used through Any
        distributed: Any = importlib.import_module("dask.distributed")
    except ImportError:
        raise MissingExtraError("--workers and --scheduler", "dask") from None
    cluster: Any = None
    try:
        if args.workers is not None:
            cluster = distributed.LocalCluster(
                n_workers=args.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            client = distributed.Client(cluster)
        else:
            client = distributed.Client(args.scheduler, timeout="5s")
    except (OSError, TimeoutError, ValueError) as error:
        if cluster is not None:
            cluster.close()
        where = f"scheduler {args.scheduler}" if args.scheduler else "local cluster"
        raise ClusterError(
            Problem(
                code="no-cluster",
                path="--scheduler" if args.scheduler else "--workers",
                message=f"cannot reach the dask {where}",
                value=str(error) or type(error).__name__,
                suggestion="check the address and that the scheduler runs"
                if args.scheduler
                else "try fewer workers, or run without --workers",
            )
        ) from None
    try:
        yield client.get_executor()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
