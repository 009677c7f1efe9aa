"""Fetching a file a chat platform points to (a Zalo photo URL), without letting that URL reach
into the server's own network.

Only ``https`` URLs on the default port; the host is resolved once and every address it resolves to
must be public (not loopback, private, link-local, multicast, reserved or unspecified, IPv4-mapped
forms included); the connection goes to the address that was checked (the name is kept for TLS and
the Host header, so a second DNS answer cannot swap in another address). Redirects are followed by
hand, each one checked the same way, at most MAX_REDIRECTS. Size and time are bounded.

``allow_loopback`` is for the tests' fake servers on 127.0.0.1 only (plain http to a loopback
address): it is off by default and comes from no environment variable.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

MAX_REDIRECTS = 3
TIMEOUT = 20.0  # seconds for the whole fetch, redirects included


class FetchRefused(Exception):
    """The URL was not fetched; the message says why (for the log, never shown with the URL)."""


@dataclass(frozen=True)
class Fetched:
    content: bytes
    content_type: str | None
    too_large: bool = False
    size: int = 0


def public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or (isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local)
    )


async def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchRefused(f"the host does not resolve ({exc.__class__.__name__})") from exc
    return sorted({str(info[4][0]) for info in infos})


async def _target(url: str, allow_loopback: bool) -> tuple[str, str, str]:
    """(URL to connect to, host name, Host header), once the scheme, port and addresses pass."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host or parts.username or parts.password:
        raise FetchRefused("no host, or credentials in the URL")
    try:
        port = parts.port
    except ValueError as exc:
        raise FetchRefused("a bad port") from exc
    loopback_test = allow_loopback and parts.scheme in ("http", "https")
    if not loopback_test and (parts.scheme != "https" or port not in (None, 443)):
        raise FetchRefused("only https on port 443")
    port = port or (443 if parts.scheme == "https" else 80)
    addresses = await _resolve(host, port)
    if loopback_test and all(ipaddress.ip_address(a).is_loopback for a in addresses):
        return url, host, parts.netloc
    if not addresses or not all(public(a) for a in addresses):
        raise FetchRefused("the host is not a public address")
    address = addresses[0]
    shown = f"[{address}]" if ":" in address else address
    path = parts.path or "/"
    direct = f"{parts.scheme}://{shown}:{port}{path}" + (f"?{parts.query}" if parts.query else "")
    return direct, host, parts.netloc


async def _get(
    client: httpx.AsyncClient, url: str, max_bytes: int, allow_loopback: bool
) -> Fetched:
    for _ in range(MAX_REDIRECTS + 1):
        direct, host, netloc = await _target(url, allow_loopback)
        request = client.build_request(
            "GET", direct, headers={"Host": netloc}, extensions={"sni_hostname": host}
        )
        response = await client.send(request, stream=True, follow_redirects=False)
        try:
            if response.is_redirect and "location" in response.headers:
                url = urljoin(url, response.headers["location"])
                continue
            response.raise_for_status()
            chunks, size = [], 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    return Fetched(
                        b"", response.headers.get("content-type"), too_large=True, size=size
                    )
                chunks.append(chunk)
            return Fetched(b"".join(chunks), response.headers.get("content-type"), size=size)
        finally:
            await response.aclose()
    raise FetchRefused("too many redirects")


async def fetch(
    url: str,
    *,
    max_bytes: int,
    client: httpx.AsyncClient | None = None,
    allow_loopback: bool = False,
    timeout: float = TIMEOUT,
) -> Fetched:
    """The body at ``url`` (see the module's rules); raises FetchRefused, or httpx.HTTPError."""
    own = client is None
    client = client or httpx.AsyncClient(timeout=timeout)
    try:
        return await asyncio.wait_for(_get(client, url, max_bytes, allow_loopback), timeout)
    except TimeoutError as exc:
        raise FetchRefused(f"no answer within {timeout:g} s") from exc
    finally:
        if own:
            await client.aclose()
