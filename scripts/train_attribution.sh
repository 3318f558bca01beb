#!/usr/bin/env bash
# Retrain the shipped attribution decision (claimx/weights/attribution.npz) from PolNeAR train,
# then score it on PolNeAR dev. This is the exact command that produced the committed weights.
#
#   pip install -e ".[train]" && scripts/train_attribution.sh [CORPORA_DIR]
#
# CORPORA_DIR holds polnear-train/ and polnear-dev/ (default: ../shared/corpora beside the clone).
# The corpora are research-use only and are never copied into this repository.
set -euo pipefail
cd "$(dirname "$0")/.."
corpora="${1:-../shared/corpora}"
claimx train "$corpora/polnear-train/gold.jsonl" \
    -o claimx/weights/attribution.npz \
    --dev "$corpora/polnear-dev/gold.jsonl" \
    --regularisation 0.5 --claim-regularisation 0.1 --speaker-regularisation 0.3 --cue-threshold 0.05
