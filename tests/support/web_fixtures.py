"""The web console's fixtures, for a test module to import (``from tests.support.web_fixtures
import clock, services, client``): a console on a temporary SQLite database at 30/11/2026 09:00,
and a test client that signs in through it. They replace the shared ``services`` fixture of
conftest in the modules that import them."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.support.clock import Clock
from tests.support.web import TZ, client_for, make_services


@pytest.fixture
def clock():
    return Clock(datetime(2026, 11, 30, 9, 0, tzinfo=TZ))


@pytest.fixture
def services(tmp_path, kb_dir, clock):
    s = make_services(tmp_path, kb_dir, clock)
    yield s
    s.close()


@pytest.fixture
def client(services):
    with client_for(services) as c:
        yield c
