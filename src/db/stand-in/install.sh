#!/usr/bin/env bash
# Fetches the MongoDB stand-in's jars from Maven Central into .stand-in/lib and compiles the
# launcher into .stand-in/classes (a compiled class starts in ~0.25 s, the single-file source
# launcher in ~0.75 s). Does nothing when .stand-in/stamp matches pom.xml + MongoStandIn.java;
# src/db/local-database.ts computes the same stamp to decide whether to call this script.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
out="$repo/.stand-in"

stamp="$(cat "$here/pom.xml" "$here/MongoStandIn.java" | sha256sum | cut -d' ' -f1)"
if [[ -f "$out/stamp" && "$(cat "$out/stamp")" == "$stamp" ]]; then
  exit 0
fi

for tool in mvn javac; do
  command -v "$tool" >/dev/null || { echo "stand-in install: '$tool' not found (needs Java 17+ and Maven)" >&2; exit 1; }
done

# Start from scratch so jars of an older version never linger on the classpath.
rm -rf "$out/lib" "$out/classes" "$out/stamp"
mkdir -p "$out"
# Maven 3.8 prints stray colour codes even with -q -B, so its output is shown only on failure.
if ! mvn_output="$(mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$out/lib" 2>&1)"; then
  echo "$mvn_output" >&2
  exit 1
fi
javac -nowarn -cp "$out/lib/*" -d "$out/classes" "$here/MongoStandIn.java"
echo "$stamp" > "$out/stamp"
