#!/usr/bin/env bash
# Writes digits.csv (1797 handwritten digits, 8 x 8 grey levels 0..16, one image and its label per
# line; the UCI optical digits test set) to the directory given (default: here), from the Debian
# package python3-sklearn: the installed copy if there is one, else the package file fetched with
# `apt-get download` and unpacked locally (no installation, no root, no Python needed).
set -euo pipefail
out="${1:-.}"
inside=usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz
if [ -f "/$inside" ]; then
  gzip -dc "/$inside" > "$out/digits.csv"
  exit 0
fi
work="$(mktemp -d)"
chmod a+rwx "$work"  # apt-get download runs as _apt when started as root
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -qq python3-sklearn >/dev/null && dpkg-deb -x python3-sklearn_*.deb root)
gzip -dc "$work/root/$inside" > "$out/digits.csv"
