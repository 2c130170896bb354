"""Media served by the app itself (SERVE_MEDIA, on in development): a bad path is a 404, never a 500."""
import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["x" * 300, "a/" + "b" * 5000, "nul\x00byte.png"])
def test_an_impossible_media_path_is_not_found(client, settings, name):
    if not settings.SERVE_MEDIA:
        pytest.skip("media are served by the app only with SERVE_MEDIA")

    response = client.get(f"/media/{name}")

    assert response.status_code == 404
