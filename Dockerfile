FROM python:3.11-slim
WORKDIR /app
# Production unless told otherwise (listening/settings.py); DJANGO_SECRET_KEY comes at run time.
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DENGAR_ENV=production \
    DENGAR_VAR_DIR=/app/var \
    DJANGO_STATIC_ROOT=/app/static
COPY pyproject.toml README.md ./
COPY listening ./listening
COPY dashboard ./dashboard
COPY workers ./workers
COPY locale ./locale
COPY manage.py ./
# Static files are collected (hashed and compressed) into the image, read-only; whitenoise serves
# them. The settings need a secret key to load: a throwaway one, for this step only. An
# unprivileged user owns only var/ (SQLite when there is no DATABASE_URL, the embedded broker).
# The translations are compiled into .mo files with GNU gettext, which leaves the image afterwards.
RUN pip install --no-cache-dir . \
    && apt-get update -qq && apt-get install -y -qq --no-install-recommends gettext >/dev/null \
    && export DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    && python manage.py collectstatic --noinput \
    && python manage.py compilemessages \
    && apt-get purge -y -qq gettext >/dev/null && apt-get autoremove -y -qq >/dev/null \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home --home-dir /app dengar \
    && mkdir -p /app/var \
    && chown dengar /app/var
USER dengar
EXPOSE 8000
# The process is up; /readyz (database, migrations, broker) is what compose and load balancers
# wait on. Worker and beat containers override this (they serve no HTTP).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
# gunicorn, configured from the environment by listening/gunicorn_conf.py (why: see README).
CMD ["gunicorn", "--config", "python:listening.gunicorn_conf", "listening.wsgi:application"]
