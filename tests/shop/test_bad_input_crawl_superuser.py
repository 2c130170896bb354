"""The bad-input crawl (test_bad_input_crawl.py, whose docstring says what it does) as the superuser:
every URL, the whole Django admin included, with every right. In a module of its own because it
takes as long as every other role's crawl together: pytest-xdist runs a module on one worker, so
the two halves run side by side (tests/conftest.py starts the longest modules first)."""
import pytest

from tests.shop.test_bad_input_crawl import built_world, get_crawl, post_crawl, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_get_every_url_with_bad_paths_and_query_strings_as_the_superuser(world):  # noqa: F811 (the crawl's fixture)
    get_crawl("superuser", world)


def test_post_every_form_and_every_url_with_bad_input_as_the_superuser(world):  # noqa: F811
    post_crawl("superuser", world)
