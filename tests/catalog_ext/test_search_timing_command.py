"""`manage.py search_timing` (the benchmark behind the README's search figures) times the search
page itself: the rate limit on search, which its many requests from one address pass, is off."""
import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_search_timing_times_the_search_page_past_the_rate_limit(settings):
    settings.RATELIMIT_SEARCH = "1/m"
    out = io.StringIO()
    call_command("search_timing", "--queries", "3", "-q", "ca phe son la", "-q", "q=mat ong&stars=4", stdout=out)
    lines = out.getvalue().splitlines()
    assert "browsable products" in lines[0]
    assert [line.split()[0] for line in lines[1:]] == ["'ca", "'q=mat"]
    assert all("found" in line and "page median" in line for line in lines[1:])
