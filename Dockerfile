# The OrleansMl image: one image for every role (silo, gateway, or both), chosen by OrleansMl__Role.
# Build:  docker build -t orleansml:0.1.0 .        (or in Azure: az acr build -r REGISTRY -t orleansml:0.1.0 .)
# Why a Dockerfile and not the SDK's PublishContainer: LightGBM's native library needs libgomp1, which the
# ASP.NET base image lacks and the SDK's container support cannot add (docs/deploy.md).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Not global.json: it pins this repository's SDK feature band, which the sdk image need not have.
COPY Directory.Build.props Directory.Build.targets Directory.Packages.props ./
# build/LibTorch.targets: LibTorch for the torch trainer, and the fix that lets its bridge load on older libstdc++.
COPY build/ build/
COPY src/ src/
RUN dotnet publish src/OrleansMl.Silo/OrleansMl.Silo.csproj -c Release -o /app --nologo -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir /data && chown "$APP_UID" /data
WORKDIR /app
COPY --from=build /app .
# The base image sets DOTNET_RUNNING_IN_CONTAINER=true and ASPNETCORE_HTTP_PORTS=8080: the process then
# listens on every interface at 8080, logs JSON lines to stdout and advertises its own address to the other
# silos. Everything else comes from the deployment's environment (OrleansMl__Role, OrleansMl__Storage__…);
# no setting here is a secret.
ENV OrleansMl__DataDirectory=/data
# HTTP (API, UI, health probes), silo-to-silo, Orleans clients (the gateway role).
EXPOSE 8080 11111 30000
VOLUME /data
# Non-root: the base image's "app" user. The root file system can be read-only; /data and /tmp must be writable.
USER $APP_UID
ENTRYPOINT ["dotnet", "OrleansMl.Silo.dll"]
