"""HTTP for the chat backend with a deadline per call that holds whatever the server does.

A client's timeouts bound each read, not the whole answer: a server that sends a byte
every few seconds, or headers and then nothing, keeps a call open for as long as it
likes. Here a call runs inside `running(call)`, and every socket operation it makes
(connect, each read and write, the TLS handshake) waits no longer than what is left of
its `Call`'s deadline, so every byte streamed counts against the one budget. A call can
also be stopped from another thread: its sockets are shut down, which wakes a blocked
read at once, and whatever it tries next fails without touching the network. So a call
that its caller gave up on ends within moments, instead of when the server lets it.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Iterator

import httpcore
import httpx

_local = threading.local()


class CallOver(Exception):
    """The call was stopped or its deadline passed. Not an httpx error on purpose: a
    client's retry loop does not retry it (no backoff sleeps past the deadline)."""


class Call:
    """One call's budget: the `time.monotonic()` instant it must end by, and whether it
    was stopped (and why)."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.stopped: str | None = None
        self._streams: set[_Stream] = set()
        self._lock = threading.Lock()

    def stop(self, why: str) -> None:
        """End the call from any thread: its open sockets are shut down."""
        with self._lock:
            self.stopped = self.stopped or why
            streams = [s for s in self._streams if s.owner is self]
            self._streams.clear()
        for stream in streams:
            stream.shut()

    def budget(self, timeout: float | None) -> float:
        """``timeout`` or what is left, the lesser; `CallOver` if nothing is left."""
        self.check()
        left = self.deadline - time.monotonic()
        return left if timeout is None else min(timeout, left)

    def check(self) -> None:
        """`CallOver` if the call was stopped or its deadline passed."""
        if self.stopped:
            raise CallOver(self.stopped)
        if time.monotonic() >= self.deadline:
            raise CallOver("the call's deadline passed")

    def _use(self, stream: _Stream) -> None:
        with self._lock:
            stream.owner = self
            if not self.stopped:
                self._streams.add(stream)


@contextlib.contextmanager
def running(call: Call) -> Iterator[Call]:
    """The HTTP this thread makes meanwhile keeps to ``call``."""
    before = getattr(_local, "call", None)
    _local.call = call
    try:
        yield call
    finally:
        _local.call = before


def _current() -> Call | None:
    return getattr(_local, "call", None)


@contextlib.contextmanager
def _kept(stream: _Stream | None = None) -> Iterator[Call | None]:
    """Within the current call (if any): the stream becomes its own, and a socket error
    once the call is over says so (`CallOver`), so that nothing retries it."""
    call = _current()
    if call is not None and stream is not None:
        call._use(stream)
    try:
        yield call
    except (httpcore.TimeoutException, httpcore.NetworkError):
        if call is not None:
            call.check()  # raises CallOver, with the socket's error as its context
        raise


def _budget(call: Call | None, timeout: float | None) -> float | None:
    return timeout if call is None else call.budget(timeout)


class _Stream(httpcore.NetworkStream):
    """A socket whose every operation keeps to the current call's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner
        self.owner: Call | None = None

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        with _kept(self) as call:
            return self._inner.read(max_bytes, _budget(call, timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        with _kept(self) as call:
            self._inner.write(buffer, _budget(call, timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        with _kept(self) as call:
            inner = self._inner.start_tls(ssl_context, server_hostname, _budget(call, timeout))
        return _Stream(inner)

    def get_extra_info(self, info: str) -> object:
        return self._inner.get_extra_info(info)

    def shut(self) -> None:
        """Wake a read blocked on this socket in another thread: it sees the end."""
        sock = self._inner.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _Backend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable | None = None,
    ) -> httpcore.NetworkStream:
        with _kept() as call:
            inner = self._inner.connect_tcp(
                host, port, _budget(call, timeout), local_address, socket_options
            )
        stream = _Stream(inner)
        if call is not None:
            call._use(stream)
        return stream

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable | None = None
    ) -> httpcore.NetworkStream:
        with _kept() as call:
            inner = self._inner.connect_unix_socket(path, _budget(call, timeout), socket_options)
        return _Stream(inner)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


# httpcore's errors as httpx's, which the openai client knows (timeouts it retries).
_ERRORS: dict[type[Exception], type[httpx.TransportError]] = {
    httpcore.ConnectTimeout: httpx.ConnectTimeout,
    httpcore.ReadTimeout: httpx.ReadTimeout,
    httpcore.WriteTimeout: httpx.WriteTimeout,
    httpcore.PoolTimeout: httpx.PoolTimeout,
    httpcore.ConnectError: httpx.ConnectError,
    httpcore.ReadError: httpx.ReadError,
    httpcore.WriteError: httpx.WriteError,
    httpcore.RemoteProtocolError: httpx.RemoteProtocolError,
    httpcore.LocalProtocolError: httpx.LocalProtocolError,
    httpcore.ProxyError: httpx.ProxyError,
    httpcore.UnsupportedProtocol: httpx.UnsupportedProtocol,
}


@contextlib.contextmanager
def _mapped() -> Iterator[None]:
    try:
        yield
    except tuple(_ERRORS) as exc:
        raise _ERRORS[type(exc)](str(exc)) from exc
    except httpcore.TimeoutException as exc:
        raise httpx.TimeoutException(str(exc)) from exc
    except httpcore.NetworkError as exc:
        raise httpx.NetworkError(str(exc)) from exc


class _Body(httpx.SyncByteStream):
    def __init__(self, inner: Iterable[bytes]) -> None:
        self._inner = inner

    def __iter__(self) -> Iterator[bytes]:
        with _mapped():
            yield from self._inner

    def close(self) -> None:
        close = getattr(self._inner, "close", None)
        if close is not None:
            close()


class DeadlineTransport(httpx.BaseTransport):
    """An httpx transport whose requests keep to the current thread's `Call`, if any."""

    def __init__(
        self, *, proxy: str | None = None, max_connections: int = 100, keepalive: int = 20
    ) -> None:
        """``proxy``: an ``http://`` or ``https://`` proxy's URL (credentials in it), or None."""
        limits = dict(
            ssl_context=httpx.create_ssl_context(),
            max_connections=max_connections,
            max_keepalive_connections=keepalive,
            keepalive_expiry=5.0,
            network_backend=_Backend(),
        )
        if proxy is None:
            self._pool: httpcore.ConnectionPool = httpcore.ConnectionPool(**limits)
            return
        via = httpx.Proxy(proxy)
        if via.url.scheme not in ("http", "https"):
            raise ValueError(f"only http and https proxies are supported, not {proxy!r}")
        self._pool = httpcore.HTTPProxy(
            proxy_url=httpcore.URL(
                scheme=via.url.raw_scheme,
                host=via.url.raw_host,
                port=via.url.port,
                target=via.url.raw_path,
            ),
            proxy_auth=via.raw_auth,
            proxy_headers=via.headers.raw,
            **limits,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        extensions = dict(request.extensions)
        call = _current()
        if call is not None:  # waiting for a free connection counts too
            timeouts = dict(extensions.get("timeout", {}))
            timeouts["pool"] = call.budget(timeouts.get("pool"))
            extensions["timeout"] = timeouts
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=extensions,
        )
        with _mapped():
            response = self._pool.handle_request(core)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_Body(response.stream),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


def environment_proxy(url: str) -> str | None:
    """The proxy the environment (``HTTPS_PROXY``, ``HTTP_PROXY``, ``ALL_PROXY``,
    ``NO_PROXY``) sets for ``url``, as httpx would use it; None for none."""
    import urllib.request

    target = httpx.URL(url)
    if urllib.request.proxy_bypass(target.host):
        return None
    proxies = urllib.request.getproxies()
    return proxies.get(target.scheme) or proxies.get("all")
