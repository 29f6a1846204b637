# syntax=docker/dockerfile:1

# Build: a static binary, so the runtime image needs no libc.
FROM golang:1.26-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
# Only what the binary is built from; node_modules and tools stay out.
COPY crdt ./crdt
COPY server ./server
COPY cmd ./cmd
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/commonpad ./cmd/commonpad \
 && mkdir -p /out/data

# Run: distroless static, non-root (uid 65532), one volume for the bbolt file.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/commonpad /usr/local/bin/commonpad
COPY --from=build --chown=65532:65532 /out/data /data
ENV COMMONPAD_ADDR=:8080 \
    COMMONPAD_DATA=/data
EXPOSE 8080
VOLUME /data
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/commonpad"]
