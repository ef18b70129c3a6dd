# syntax=docker/dockerfile:1
# Augur: the standalone server with the sample models.
#   docker build -t augur .
#   docker run -p 8080:8080 -v augur-data:/data augur
# Configure with PORT, AUGUR_PROBE_PORT (the health probes alone, default 8081), DATABASE_URL (postgres://user:pass@host:5432/db), AUGUR_API_KEY (or
# AUGUR_API_KEY_FILE, a mounted secret), AUGUR_MODELS.

# ---- build: the shaded server jar -----------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests -pl core,charts,persistence,server-adapter package

# ---- run: Java 25 with an AOT cache, non-root ----------------------------------------------
# The jar is built for Java 17 and runs on 17 and later; Java 25 is the recommended runtime for the
# image because of its ahead-of-time cache (JEP 483/514/515), trained below: see docs/deploy.md.
FROM eclipse-temurin:25-jre-jammy
RUN groupadd --system --gid 999 augur && useradd --system --uid 999 --gid augur --home-dir /data augur \
 && mkdir -p /data /opt/augur/djl /opt/augur/aot && chown augur:augur /data /opt/augur/djl /opt/augur/aot \
 && apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/server-adapter/target/augur-server.jar /opt/augur/augur-server.jar
COPY --from=build /src/samples/models /opt/augur/models
COPY --from=build /src/samples/data /opt/augur/data
ENV PORT=8080 \
    AUGUR_PROBE_PORT=8081 \
    AUGUR_MODELS=/opt/augur/models \
    AUGUR_DEFAULT_MODEL=titanic \
    AUGUR_DATA_DIR=/data \
    DJL_CACHE_DIR=/opt/augur/djl \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
USER augur
# The engines' natives (libtorch: 448 MB) are extracted now, into the image's DJL cache, not on the
# first start into the /data volume; loading every sample package also checks the image's models.
RUN java -jar /opt/augur/augur-server.jar validate
# The AOT cache's training run: the server loads every sample model and runs its warm-up (a scratch
# server on a loopback port and a scratch history in a temporary folder) until the JIT settles, at
# most 20 s, then exits without opening /data; the JVM writes the classes it loaded and linked and
# the method profiles it gathered to augur.aot. At start the server then gets to ready sooner and
# its warm-up compiles from the trained profiles. A JVM that cannot use the cache (other flags,
# another JDK) says so once and runs without it.
RUN java -XX:AOTCacheOutput=/opt/augur/aot/augur.aot -jar /opt/augur/augur-server.jar \
      --exit-after-warm-up --warm-up-seconds 20
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:G1PeriodicGCInterval=5000 -XX:TrimNativeHeapInterval=5000 -XX:AOTCache=/opt/augur/aot/augur.aot"
VOLUME /data
EXPOSE 8080 8081
# the probe port (AUGUR_PROBE_PORT) answers only the health probes, on threads of its own: a flood
# on 8080 does not make the health check time out (docs/deploy.md)
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${AUGUR_PROBE_PORT}/health/live" || exit 1
# exec form: the JVM is PID 1 and receives SIGTERM itself, so shutdown drains
ENTRYPOINT ["java", "-jar", "/opt/augur/augur-server.jar"]
