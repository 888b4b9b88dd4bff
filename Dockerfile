# syntax=docker/dockerfile:1
# One image per Plaza service:  docker build --build-arg SERVICE=chat -t plaza-chat:0.1.0 .
# (scripts/dockerfile-smoke.sh runs the same build commands and entrypoint on the host, since CI has no Docker engine.)

ARG SERVICE=auth

# --- poms: only the build descriptors, so the dependency layer below is reused until a pom changes
FROM maven:3.9.9-eclipse-temurin-21 AS poms
WORKDIR /src
COPY . .
RUN find . -type f ! -name pom.xml -delete && find . -type d -empty -delete

# --- build: dependencies first (cached), then the sources of the selected service and what it needs
FROM maven:3.9.9-eclipse-temurin-21 AS build
ARG SERVICE
WORKDIR /build
COPY --from=poms /src/ ./
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -pl "modules/${SERVICE}" -am org.apache.maven.plugins:maven-dependency-plugin:3.8.1:go-offline -DexcludeReactor=true
COPY modules/ modules/
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -pl "modules/${SERVICE}" -am package -DskipTests \
 && mkdir -p /app \
 && cp -r "modules/${SERVICE}/target/libs" /app/libs \
 && cp "modules/${SERVICE}/target/plaza-${SERVICE}.jar" /app/app.jar

# --- runtime: JRE only, thin jar + libs/ (libs change less often: their own layer), numeric non-root user
FROM eclipse-temurin:21.0.8_9-jre-noble AS runtime
ARG SERVICE
LABEL org.opencontainers.image.title="plaza-${SERVICE}" \
      org.opencontainers.image.source="https://example.invalid/plaza"
WORKDIR /app
COPY --from=build --chown=0:0 /app/libs/ /app/libs/
COPY --from=build --chown=0:0 /app/app.jar /app/app.jar
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" \
    PORT=8080 \
    PLAZA_OBSERVE_PORT=8081
USER 10001:10001
EXPOSE 8080 8081
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
