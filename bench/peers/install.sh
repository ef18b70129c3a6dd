#!/usr/bin/env bash
# Installs what the benchmarks' peers need, only when missing (Debian packages): wrk, the
# tutorials' Python stack (Flask, peewee, gunicorn, PyTorch) and R with ggplot2.
set -euo pipefail
need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v gunicorn >/dev/null 2>&1 || need+=(gunicorn)
/usr/bin/python3 -c 'import flask' 2>/dev/null || need+=(python3-flask)
/usr/bin/python3 -c 'import peewee' 2>/dev/null || need+=(python3-peewee)
/usr/bin/python3 -c 'import torch' 2>/dev/null || need+=(python3-torch)
/usr/bin/python3 -c 'import numpy' 2>/dev/null || need+=(python3-numpy)
Rscript -e 'library(ggplot2)' >/dev/null 2>&1 || need+=(r-cran-ggplot2)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
