# copydesk service image. Build: docker build -t copydesk .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

RUN useradd --create-home --uid 10001 copydesk
WORKDIR /app

COPY pyproject.toml README.md ./
COPY models ./models
COPY eval ./eval
COPY service ./service
COPY seeds ./seeds
RUN pip install --no-compile . && rm -rf /root/.cache

USER copydesk
ENTRYPOINT ["copydesk"]
# Until the HTTP service lands, the image repairs standard input:
#   docker run -i --rm copydesk < article.txt
CMD ["repair", "-"]
