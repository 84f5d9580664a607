# One image for the web process (gunicorn) and the Celery workers.
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=lublin2030.settings.production

# WeasyPrint needs Pango and HarfBuzz; curl serves the container healthcheck.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 app
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=app:app . .
# Static files and translations are built into the image; collectstatic needs only placeholders.
RUN export SECRET_KEY=build-only ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.sqlite3 \
 && python manage.py collectstatic --noinput \
 && python manage.py build_translations \
 && python manage.py build_search_lexicon \
 && mkdir -p /app/private /app/media && chown -R app:app /app/private /app/media /app/staticfiles

USER app
EXPOSE 8000
# gunicorn.conf.py (in /app) sets the address, worker class, workers, threads, timeout and the request-line
# limit; bench/yardstick.py measures with the same file (see docs/performance.md for why these).
CMD ["gunicorn", "lublin2030.wsgi:application"]
