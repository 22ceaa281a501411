# streamkit in a container: the static tools (make static) and their man
# pages on an empty image, nothing else (no shell, no libc).
#
#   docker build -t streamkit .
#   docker run --rm -i streamkit stream-agg -i clf -g status count < access.log
#   docker run --rm -v "$PWD:/data" streamkit stream-filter 'status >= 500' /data/hits.csv

FROM debian:12 AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      gcc make libc6-dev musl-tools gnulib libcsv-dev libpcre2-dev \
      libxxhash-dev zlib1g-dev libzstd-dev libbz2-dev liblzma-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make static \
 && mkdir -p /out/usr/bin /out/usr/share/man/man1 /out/usr/share/man/man7 \
 && cp build-static/bin/stream-* /out/usr/bin/ \
 && cp build-static/man/*.1 /out/usr/share/man/man1/ \
 && cp build-static/man/*.7 /out/usr/share/man/man7/

FROM scratch
COPY --from=build /out/ /
ENV PATH=/usr/bin
CMD ["stream-agg", "--help"]
