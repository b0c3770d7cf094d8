"""The Ray engine: batches run as Ray tasks on a local instance or an existing cluster."""

from __future__ import annotations

import importlib.util
import os
import socket
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..errors import BackendError
from .base import Engine

#: seconds to wait for a TCP connection to a cluster address before calling it unreachable
CONNECT_TIMEOUT_S = 3.0


def _host_port(address: str) -> tuple[str, int] | None:
    """``(host, port)`` of ``HOST:PORT`` or ``ray://HOST:PORT``; None for ``auto``,
    ``local`` or anything else Ray resolves itself."""
    rest = address.strip()
    if "://" in rest:
        scheme, _, rest = rest.partition("://")
        if scheme.lower() != "ray":
            return None
    host, sep, port = rest.rstrip("/").rpartition(":")
    if not sep or not host or not port.isdigit():
        return None
    return host.strip("[]"), int(port)


def check_reachable(address: str, timeout: float = CONNECT_TIMEOUT_S) -> None:
    """A :class:`BackendError` naming ``address`` when nothing accepts a TCP connection
    there within ``timeout`` seconds (Ray itself would keep retrying for minutes)."""
    hp = _host_port(address)
    if hp is None:
        return
    try:
        with socket.create_connection(hp, timeout=timeout):
            pass
    except OSError as exc:
        reason = "timed out" if isinstance(exc, TimeoutError) else (
            exc.strerror or type(exc).__name__)
        raise BackendError(f"Ray: cannot connect to {address} ({reason}); start a cluster "
                           "there (`ray start --head`) or leave out --ray-address and "
                           "$RAY_ADDRESS for a local instance") from None


def _call(fn: Callable[..., Any], shared: Any, *args: Any) -> Any:
    return fn(shared, *args)


class RayEngine(Engine):
    """Batches as Ray tasks (``max_retries`` each: a task on a worker that dies is run
    again, and its result is the same since batches are pure functions of their inputs).

    ``address``: a running cluster (``ray start --head`` prints it); default
    ``$RAY_ADDRESS``, else a local instance with ``num_cpus`` CPUs (all by default).
    ``in_flight``: tasks submitted ahead (default twice the cluster's CPUs), so the driver
    never holds more than that many batch results.
    """

    name = "ray"

    def __init__(self, address: str | None = None, *, num_cpus: int | None = None,
                 in_flight: int | None = None, max_retries: int = 3):
        self.address = address
        self.num_cpus = num_cpus
        self.in_flight = in_flight
        self.max_retries = max_retries
        self._started = False
        self._remote = None

    def _address(self) -> str | None:
        return self.address or os.environ.get("RAY_ADDRESS") or None

    def check(self) -> None:
        """Ray installed, and the cluster address (when one is given) reachable."""
        if importlib.util.find_spec("ray") is None:
            raise BackendError("--engine ray needs Ray: pip install 'wordlens[ray]'")
        address = self._address()
        if address is not None:
            check_reachable(address)

    def _ray(self):
        try:
            import ray
        except ImportError:
            raise BackendError("--engine ray needs Ray: pip install 'wordlens[ray]'") from None
        if not ray.is_initialized():
            address = self._address()
            if address is not None:
                check_reachable(address)
            kwargs: dict[str, Any] = {"log_to_driver": False, "include_dashboard": False}
            if address is None and self.num_cpus is not None:
                kwargs["num_cpus"] = self.num_cpus
                address = "local"  # a new instance of that size, not a running cluster
            try:
                ray.init(address=address, **kwargs)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise BackendError(f"Ray: cannot connect to {address or 'a local instance'}"
                                   f" ({exc})") from None
            self._started = True
        if self._remote is None:
            self._remote = ray.remote(_call).options(max_retries=self.max_retries)
        return ray

    def share(self, obj: Any) -> Any:
        return self._ray().put(obj)

    def map(self, fn: Callable[..., Any], shared: Any,
            tasks: Iterable[tuple]) -> Iterator[Any]:
        ray = self._ray()
        window = self.in_flight or max(2, 2 * int(ray.cluster_resources().get("CPU", 1)))
        pending: deque = deque()
        for task in tasks:
            pending.append(self._remote.remote(fn, shared, *task))
            if len(pending) >= window:
                yield ray.get(pending.popleft())
        while pending:
            yield ray.get(pending.popleft())

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name}
        try:
            import ray

            if ray.is_initialized():
                res = ray.cluster_resources()
                out |= {"cpus": int(res.get("CPU", 0)), "nodes": len(ray.nodes())}
        except ImportError:  # pragma: no cover
            pass
        return out

    def close(self) -> None:
        if self._started:
            import ray

            ray.shutdown()
            self._started = False
