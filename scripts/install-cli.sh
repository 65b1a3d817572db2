#!/usr/bin/env bash
# Packs the two dotnet tools into ./.tools/packages and restores the repository's local tool manifest
# (.config/dotnet-tools.json) from there. Afterwards, anywhere in the repository:
#   dotnet orleansml --help           the client (src/OrleansMl.Cli): a few MB, no server inside
#   dotnet orleansml-server start     the platform in one process (src/OrleansMl.Server)
# Extra arguments go to `dotnet pack` (e.g. --artifacts-path /tmp/art).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

packages=.tools/packages
version=$(dotnet msbuild src/OrleansMl.Cli/OrleansMl.Cli.csproj -getProperty:Version)
for tool in orleansml.cli orleansml.server; do
  manifest=$(grep -A1 "\"$tool\"" .config/dotnet-tools.json | grep -o '"version": *"[^"]*"' | grep -o '[0-9][^"]*' || true)
  if [ "$version" != "$manifest" ]; then
    echo "install-cli: the version is $version (Directory.Build.props) but .config/dotnet-tools.json asks for $tool '$manifest'; make them the same." >&2
    exit 1
  fi
done

mkdir -p "$packages"
rm -f "$packages"/OrleansMl.Cli.*.nupkg "$packages"/OrleansMl.Server.*.nupkg
for project in src/OrleansMl.Cli/OrleansMl.Cli.csproj src/OrleansMl.Server/OrleansMl.Server.csproj; do
  dotnet pack "$project" -c Release -o "$packages" --nologo -v quiet "$@"
done

# A package of the same version already in the NuGet cache would win over the new one.
rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/orleansml.cli/$version" "${NUGET_PACKAGES:-$HOME/.nuget/packages}/orleansml.server/$version"
dotnet tool restore --add-source "$packages"
echo "install-cli: orleansml and orleansml-server $version installed; run them with: dotnet orleansml --help, dotnet orleansml-server start"
