#!/bin/sh
# A separate virtual environment with Fides (ethyca-fides), for bench_fides_peer.py.
# It lives outside the repository (default ~/.cache/ropa-fides-peer/venv, or $FIDES_PEER_VENV);
# nothing of Fides is installed into ropa's environment or committed.
set -eu
VENV="${FIDES_PEER_VENV:-$HOME/.cache/ropa-fides-peer/venv}"
PYTHON="${PYTHON:-python3}"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --upgrade pip
# The version measured for the figures in README.md; pip's resolver takes several minutes.
"$VENV/bin/pip" install "ethyca-fides==${FIDES_VERSION:-2.78.2}"
"$VENV/bin/python" -c "import fides; print('fides', fides.__version__, 'in', '$VENV')"
