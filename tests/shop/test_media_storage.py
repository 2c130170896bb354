"""Product photos on shared storage: an S3 bucket when AWS_STORAGE_BUCKET_NAME is set (every web and
worker replica sees the same files), local disk otherwise. Proved against moto's S3 server on
127.0.0.1 (no network): a photo saved through Oscar's model, its sorl thumbnail, both read back
through the URLs the shop would print."""
from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from oscar.core.loading import get_model
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
MOTO_PORTS = range(8650, 8656)
BUCKET = "ocop-media-test"


def storage_selected(**env) -> dict:
    """STORAGES["default"] as shop/settings.py builds it from this environment."""
    code = "import json, django; django.setup(); from django.conf import settings; " \
           "print(json.dumps(settings.STORAGES['default']))"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**clean, "DJANGO_SETTINGS_MODULE": "shop.settings", "DEBUG": "1", **env})
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_a_bucket_media_stays_on_local_disk():
    assert storage_selected() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_a_bucket_selects_s3_with_its_endpoint_region_domain_and_signing():
    selected = storage_selected(AWS_STORAGE_BUCKET_NAME="ocop-media", AWS_S3_ENDPOINT_URL="http://minio:9000",
                                AWS_S3_REGION_NAME="ap-southeast-1", AWS_S3_CUSTOM_DOMAIN="media.ocop.example",
                                AWS_QUERYSTRING_AUTH="0", AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
                                AWS_SECRET_ACCESS_KEY="not-in-settings")
    assert selected == {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": "ocop-media", "endpoint_url": "http://minio:9000", "region_name": "ap-southeast-1",
        "custom_domain": "media.ocop.example", "querystring_auth": False, "file_overwrite": False}}
    assert "not-in-settings" not in json.dumps(selected)  # boto3 reads the secret from the environment


def _free_port() -> int:
    for port in MOTO_PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port for moto")


@pytest.fixture
def s3_bucket(settings, monkeypatch):
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    import boto3

    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": BUCKET, "endpoint_url": endpoint, "region_name": "us-east-1", "custom_domain": None,
        "querystring_auth": True, "file_overwrite": False}}}
    from django.utils.functional import empty
    from sorl.thumbnail import default as sorl_default

    sorl_default.storage._wrapped = empty  # sorl resolved its storage once; the new default from here
    yield boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    sorl_default.storage._wrapped = empty
    server.stop()


def jpeg(colour=(180, 40, 40), size=(640, 640)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (moto on 127.0.0.1)
        assert response.status == 200
        return response.read()


@pytest.mark.django_db
def test_a_product_photo_and_its_thumbnail_are_stored_in_the_bucket_and_served_from_it(s3_bucket):
    from storefront.images import picture

    assert default_storage.__class__.__name__ == "S3Storage"  # the lazy default follows STORAGES
    product = Product.objects.filter(is_public=True).first()
    photo = jpeg()
    image = ProductImage(product=product, display_order=9)
    image.original.save("ca-phe-s3.jpg", ContentFile(photo), save=False)
    image.save()

    keys = [item["Key"] for item in s3_bucket.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert image.original.name in keys
    assert image.original.url.startswith("http://127.0.0.1:") and "Signature" in image.original.url
    assert fetch(image.original.url) == photo

    card = picture(image, "card")  # what a product card's <img srcset> shows
    thumbnail_keys = [key for key in (item["Key"] for item in s3_bucket.list_objects_v2(Bucket=BUCKET)["Contents"])
                      if key.startswith("cache/")]
    assert thumbnail_keys, "sorl wrote no thumbnail to the bucket"
    assert not card.placeholder and card.src.startswith("http://127.0.0.1:")
    thumb = Image.open(io.BytesIO(fetch(card.src)))
    assert thumb.size[0] < 640 and thumb.size[0] == thumb.size[1]
