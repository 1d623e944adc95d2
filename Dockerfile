# The production image: gunicorn serves the site, whitenoise its static files.
# docker-compose.yml runs the same image as web, worker and scheduler.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=cms.settings.production

# WeasyPrint (the evidence pack PDF, records/) lays out text with Pango; ffprobe checks
# and measures uploaded patient video and audio, ffmpeg takes the poster frame
# (stories/media_checks.py). Not pinned: Debian's stable security updates are wanted.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core ffmpeg \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --create-home --uid 10001 app
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Hashed, compressed static files are part of the image. The key only lets the
# settings load; the container gets its real one from the environment.
RUN SECRET_KEY=collectstatic-only-not-a-secret python manage.py collectstatic --no-input -v0 \
    && mkdir -p var/media var/private \
    && chown -R app:app var

USER 10001
EXPOSE 8000
CMD ["gunicorn", "cms.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
