# syntax=docker/dockerfile:1
# Orientation CMQ: one image for the Rasa server, the action server, the demo page and the
# maintenance commands (entry points of bot/ops/container.py). Built with the Makefile's own
# targets, as on a developer's machine: there is no second way to install.
#   docker build -t orientation-cmq .
#   docker run --rm -p 5005:5005 orientation-cmq rasa        (see deploy/ and compose.yaml)

FROM python:3.10-slim AS build
RUN apt-get update \
    && apt-get install --yes --no-install-recommends make nodejs npm \
    && rm -rf /var/lib/apt/lists/*
# fr_core_news_sm (requirements.txt) is not on PyPI: pip finds it on spaCy's release page.
ENV PIP_FIND_LINKS=https://github.com/explosion/spacy-models/releases/expanded_assets/fr_core_news_sm-3.8.0 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    NPM_CONFIG_OMIT=dev
WORKDIR /app
COPY . .
# The runtime requirements only (requirements.txt), the knowledge base (SQLite, the embedded
# default), the trained model and the page's npm packages.
RUN make setup kb model widget

FROM python:3.10-slim
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /app cmq
WORKDIR /app
COPY --from=build --chown=cmq:cmq /app /app
USER 10001
ENV PATH=/app/.venv/bin:$PATH \
    VIRTUAL_ENV=/app/.venv \
    SANIC_HOST=0.0.0.0
EXPOSE 5005 5055 8000
ENTRYPOINT ["/app/.venv/bin/python", "-m", "bot.ops.container"]
CMD ["rasa"]
