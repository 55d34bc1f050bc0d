# Image for web, worker and beat (see docker-compose.yml).
FROM python:3.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml requirements.lock ./
COPY apps ./apps
COPY config ./config
RUN pip install --no-cache-dir -c requirements.lock .
COPY . .
RUN SECRET_KEY=build ALLOWED_HOSTS=* python manage.py collectstatic --noinput
RUN useradd --create-home breakeven && chown -R breakeven /app
USER breakeven
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
