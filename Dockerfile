FROM python:3.11-slim
WORKDIR /app
ENV PYTHONUNBUFFERED=1 DENGAR_VAR_DIR=/app/var
COPY pyproject.toml README.md ./
COPY listening ./listening
COPY dashboard ./dashboard
COPY workers ./workers
COPY manage.py ./
RUN pip install --no-cache-dir . && mkdir -p /app/var
EXPOSE 8000
