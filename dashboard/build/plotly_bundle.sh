#!/usr/bin/env bash
# Rebuild dashboard/vendor/plotly-map.min.{js,css}: plotly.js with only the traces this app draws
# (scattermap, choroplethmap). The full plotly.min.js is 4.8 MB (1.47 MB gzipped); this
# bundle is about 3.0 MB (0.9 MB gzipped), which keeps the first load under 1.5 MB gzipped.
# Needs npm and the npm registry; the app itself never does this, it serves the committed files.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
# plotly.js must match the plotly.js version the Python plotly package ships (plotly 7.1 -> 4.1.1)
npm install --no-audit --no-fund --ignore-scripts plotly.js@4.1.1 esbuild@0.25.12 >/dev/null
cp "$here/plotly_entry.js" entry.js
./node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --global-name=Plotly \
  --define:global=window --outfile=out/plotly-map.min.js --log-level=warning
mkdir -p "$root/dashboard/vendor"
cp out/plotly-map.min.js out/plotly-map.min.css "$root/dashboard/vendor/"
echo "wrote dashboard/vendor/plotly-map.min.js ($(wc -c < out/plotly-map.min.js) bytes)"
