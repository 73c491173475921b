# Stridewise: one image for the web app (`stridewise serve`), the mail worker
# (`stridewise worker`) and migrations (`stridewise migrate`). See compose.yaml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install . \
    && useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin stridewise \
    && mkdir -p /app/var \
    && chown stridewise:stridewise /app/var

# Never run as root: the app needs to write only its data directory (SQLite, if used).
USER stridewise
ENV STRIDEWISE_DATA_DIR=/app/var
EXPOSE 8000
CMD ["stridewise", "serve", "--host", "0.0.0.0", "--port", "8000"]
