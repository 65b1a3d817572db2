#!/usr/bin/env bash
# Packs the orleansml CLI (src/OrleansMl.Cli) into ./.tools/packages and restores the repository's local
# tool manifest (.config/dotnet-tools.json) from there. Afterwards, anywhere in the repository:
#   dotnet orleansml --help
#   dotnet orleansml server start
# Extra arguments go to `dotnet pack` (e.g. --artifacts-path /tmp/art).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

project=src/OrleansMl.Cli/OrleansMl.Cli.csproj
packages=.tools/packages
version=$(dotnet msbuild "$project" -getProperty:Version)
manifest=$(grep -A1 '"orleansml.cli"' .config/dotnet-tools.json | grep -o '"version": *"[^"]*"' | grep -o '[0-9][^"]*' || true)
if [ "$version" != "$manifest" ]; then
  echo "install-cli: $project is version $version but .config/dotnet-tools.json asks for '$manifest'; make them the same." >&2
  exit 1
fi

mkdir -p "$packages"
rm -f "$packages"/OrleansMl.Cli.*.nupkg
dotnet pack "$project" -c Release -o "$packages" --nologo -v quiet "$@"

# A package of the same version already in the NuGet cache would win over the new one.
rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/orleansml.cli/$version"
dotnet tool restore --add-source "$packages"
echo "install-cli: orleansml $version installed; run it with: dotnet orleansml --help"
