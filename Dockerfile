# paperbot: a slim image that runs the Telegram bot as a non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PAPERBOT_DB=/data/paperbot.sqlite3

WORKDIR /app

# Same install steps as CI: a virtual environment and the pinned constraints.
COPY pyproject.toml constraints.txt README.md ./
COPY bot ./bot
# Installed into the package as bot/knowledge (pyproject.toml), where paperbot finds it.
COPY knowledge ./knowledge
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install -c constraints.txt . \
    && useradd --create-home --uid 10001 paperbot \
    && mkdir -p /data \
    && chown paperbot:paperbot /data

ENV PATH="/opt/venv/bin:${PATH}"
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8443

HEALTHCHECK --interval=60s --timeout=10s --start-period=20s --retries=3 \
    CMD ["paperbot", "check"]

ENTRYPOINT ["paperbot"]
CMD ["run"]
