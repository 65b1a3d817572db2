#!/usr/bin/env bash
# Compiles and lints every template under infra/ with the Bicep CLI. The CLI comes from NuGet
# (Azure.Bicep.CommandLine.linux-x64), restored through a throwaway project (the only network use),
# and its path is cached in .tools/bicep/. Fails on any warning as well as any error: Bicep only
# *warns* about an unknown property (BCP037) or an API version it has no types for (BCP081), and
# either would ship a broken template. Also fails on a parameter without @description.
# Analyzer levels live in infra/bicepconfig.json.
#   bash scripts/lint-bicep.sh            # ends with "bicep: N files, 0 warnings"
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

version=0.49.2
package=azure.bicep.commandline.linux-x64
cache=.tools/bicep/bicep-$version

bicep_path() {
  local root=${NUGET_PACKAGES:-$HOME/.nuget/packages}
  local found
  found=$(find "$root/$package/$version" -type f -name bicep 2>/dev/null | head -n 1)
  [ -n "$found" ] && echo "$found"
}

restore_bicep() {
  local project
  project=$(mktemp -d)
  cat >"$project/bicep.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Azure.Bicep.CommandLine.linux-x64" Version="[$version]" />
  </ItemGroup>
</Project>
EOF
  # Outside the repository, so its Directory.*.props (central package management) stay out of it.
  dotnet restore "$project/bicep.csproj" --nologo -v quiet >&2
  rm -rf "$project"
}

if [ ! -x "$cache" ] || ! "$cache" --version 2>/dev/null | grep -qF "$version"; then
  exe=$(bicep_path || true)
  if [ -z "$exe" ]; then
    restore_bicep
    exe=$(bicep_path || true)
  fi
  if [ -z "$exe" ]; then
    echo "lint-bicep: no bicep executable in the $package $version package after restore." >&2
    exit 1
  fi
  chmod +x "$exe" # NuGet does not keep the executable bit
  mkdir -p "$(dirname "$cache")"
  ln -sfn "$exe" "$cache"
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
log=$out/diagnostics.txt
: >"$log"
failed=0

files=$(find infra -name '*.bicep' -o -name '*.bicepparam' | wc -l)
if [ "$files" -eq 0 ]; then
  echo "lint-bicep: no .bicep or .bicepparam files under infra/." >&2
  exit 1
fi

# One CLI start per step (--pattern), offline (--no-restore). The compiled JSON goes to a temporary
# folder, never to stdout, so that template text (a description) cannot pass for a diagnostic.
"$cache" build --pattern 'infra/**/*.bicep' --outdir "$out/json" --no-restore >>"$log" 2>&1 || failed=1
"$cache" lint --pattern 'infra/**/*.bicep' --no-restore >>"$log" 2>&1 || failed=1
"$cache" build-params --pattern 'infra/**/*.bicepparam' --outdir "$out/params" --no-restore >>"$log" 2>&1 || failed=1

# Every parameter documents itself: a @description decorator among those right above it.
find infra -name '*.bicep' | sort | while IFS= read -r file; do
  awk -v file="$file" '
    /^[[:space:]]*@description\(/ { described = 1 }
    /^[[:space:]]*param[[:space:]]/ {
      if (!described) printf "%s(%d) : Error missing-description: parameter %s has no @description.\n", file, NR, $2
      described = 0
    }
    /^[[:space:]]*$/ || /^(resource|module|var|output|type|func|import|metadata|targetScope)[[:space:]]/ { described = 0 }
  ' "$file"
done >>"$log"

# build and lint report the same diagnostic once each; count it once.
sort -u "$log" -o "$log"
warnings=$(grep -cE '\b(Warning|Error)\b' "$log" || true)
if [ -s "$log" ]; then
  cat "$log"
fi

echo "bicep: $files files, $warnings warnings"
if [ "$warnings" -ne 0 ] || [ "$failed" -ne 0 ]; then
  exit 1
fi
