# The office's image: one image for web (gunicorn), worker and beat (celery) and the migrate job.
#   docker build -t bureau-opinion-office .      (or: docker compose build)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/var/media

# gettext: msgfmt, to compile the Chinese catalogue from its .po source at build time.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 bureau \
    && useradd --system --uid 10001 --gid bureau --home-dir /app --no-create-home --shell /usr/sbin/nologin bureau

WORKDIR /app

# Runtime requirements only: everything above requirements.txt's "# Tests and tooling" section
# (pytest, Playwright and ruff stay out of the production image). Installed before the code is
# copied, so a code change does not reinstall them.
COPY requirements.txt ./
RUN awk '/^# Tests and tooling/ {exit} {print}' requirements.txt > /tmp/requirements-runtime.txt \
    && pip install -r /tmp/requirements-runtime.txt \
    && rm /tmp/requirements-runtime.txt

COPY . .

# Translations and static files are built into the image, as production will run them
# (DEBUG=0: whitenoise's compressed, hashed manifest). The SECRET_KEY here exists only for these
# two commands; it is not stored in the image, and the containers get the real one at run time.
RUN DEBUG=0 SECRET_KEY=build-only-key-used-for-compilemessages-and-collectstatic \
        python manage.py compilemessages --ignore=.venv --verbosity 0 \
    && DEBUG=0 SECRET_KEY=build-only-key-used-for-compilemessages-and-collectstatic \
        python manage.py collectstatic --noinput --verbosity 0 \
    && python -m compileall -q -x '/(tests|locale|static|staticfiles)/' /app \
    && rm -rf /app/var \
    && mkdir -p /app/var/media \
    && chown -R bureau:bureau /app/var

# The code stays root's and read-only to the app; only var/ (uploads) is the app's to write.
USER bureau

EXPOSE 8000
CMD ["gunicorn", "bureau.wsgi", "--config", "gunicorn.conf.py"]
