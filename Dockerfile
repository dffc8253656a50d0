# syntax=docker/dockerfile:1
# Meridian container image: the fat jar built by Maven, run by a JRE as a non-root user.
#
#   docker build -t meridian .
#   docker run -p 5432:5432 -p 9187:9187 \
#     -v "$PWD/meridian.yaml:/etc/meridian/meridian.yaml:ro" meridian
#   docker run -v "$PWD/meridian.yaml:/etc/meridian/meridian.yaml:ro" meridian check
#
# The configuration is read from /etc/meridian/meridian.yaml ($MERIDIAN_CONFIG); mount it (and
# any users_file, TLS key and certificate it names) there. `fly.toml` and `docker-compose.yml`
# do exactly that.

FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml ./
COPY protocol/ protocol/
COPY proxy/ proxy/
# The parent pom lists the benchmarks module: Maven reads every module's pom even when it builds
# only some, so it is copied too (it is not built: -pl proxy -am).
COPY bench/jmh/ bench/jmh/
# -DskipTests, not -Dmaven.test.skip=true: the proxy's tests depend on the protocol module's
# test-jar, which must still be packaged for the reactor to resolve it. The cache mount keeps
# downloaded dependencies between builds without putting them in a layer. The command is run,
# offline, on exactly these sources by DockerBuildIntegrationTests.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -pl proxy -am -DskipTests package

FROM eclipse-temurin:21-jre
RUN groupadd --system --gid 10001 meridian \
 && useradd --system --uid 10001 --gid meridian --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin meridian \
 && mkdir -p /etc/meridian
COPY --from=build /src/proxy/target/meridian.jar /opt/meridian/meridian.jar

ENV MERIDIAN_CONFIG=/etc/meridian/meridian.yaml
# Heap at most half the container's memory: Netty's direct buffers, where relayed bytes live,
# may take as much again (their limit defaults to the heap's). An OutOfMemoryError exits the
# process so that the orchestrator restarts it, instead of leaving a half-working proxy.
ENV JAVA_TOOL_OPTIONS="-XX:+UseContainerSupport -XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"

USER meridian
WORKDIR /opt/meridian
# 5432: PostgreSQL clients (listen.port); 9187: admin HTTP /health /ready /metrics (admin.port).
EXPOSE 5432 9187

# The JRE image has no curl; bash's /dev/tcp speaks just enough HTTP to ask the admin port.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9187 && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

# SIGTERM (docker stop, Fly.io's kill_signal) stops the proxy.
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-jar", "/opt/meridian/meridian.jar"]
CMD ["run"]
