#!/usr/bin/env bash
# Bundles the JavaScript the self-contained report inlines, from npm (never a CDN):
# Cytoscape.js (MIT). Run it to update; the files are committed, so installing
# redthread needs no npm.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-3.35.0}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "cytoscape@$version" >/dev/null && tar xzf cytoscape-*.tgz)
cp "$tmp/package/dist/cytoscape.min.js" src/redthread/report/static/cytoscape.min.js
cp "$tmp/package/LICENSE" src/redthread/report/static/cytoscape-LICENSE.txt
echo "cytoscape $version bundled into src/redthread/report/static/"
