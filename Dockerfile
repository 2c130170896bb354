# OCOP Market: one image for web (gunicorn), worker and beat (celery). See docker-compose.yml.
FROM python:3.11-slim

# WEB_CONCURRENCY: gunicorn's worker count (gunicorn reads it itself); compose passes its own.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    WEB_CONCURRENCY=3 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# gettext: compilemessages; DejaVu: Vietnamese glyphs for generated demo pictures.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files are collected into the image and served by whitenoise (hashed, compressed).
# The build needs no real secret or database: settings read only what collectstatic uses.
RUN DEBUG=0 SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput -v 0

RUN useradd --create-home --uid 1000 app \
 && mkdir -p /app/media /app/var \
 && chown -R app:app /app/media /app/var
USER app

EXPOSE 8000
CMD ["gunicorn", "shop.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
