#!/usr/bin/env bash
# Regenerate the committed runs, baselines (keeping every existing reason) and the
# compatibility matrices of moto (in-process and server) and ministack, for both scopes:
#     bash scripts/refresh_reports.sh            # both scopes
#     bash scripts/refresh_reports.sh current    # one scope
# seed: reports/latest/<target>, reports/baselines/<target>.json, reports/matrix/
# current: reports/latest/current/<target>, reports/baselines/current/<target>.json,
#          reports/matrix/current/
# New deviations get the reason "observed on <target> <version>: <what the case saw>":
# replace it with why (a link to the emulator's issue). Known ones that changed (another
# outcome, or another finding) get a TODO quoting the old reason. Each case entry records
# the finding(s) the case fails for.
set -euo pipefail
cd "$(dirname "$0")/.."
bc=${BATCH_CONFORMANCE:-batch-conformance}
scopes=("${@:-seed current}")
for scope in ${scopes[*]}; do
  sub=""
  [ "$scope" = "seed" ] || sub="$scope/"
  mkdir -p "reports/latest/$sub" "reports/baselines/$sub" "reports/matrix/$sub"
  for target in moto moto-server ministack; do
    rm -rf "reports/latest/$sub$target"
    status=0
    "$bc" run --scope "$scope" --target "$target" --report-dir "reports/latest/$sub$target" >/dev/null || status=$?
    if [ "$status" -gt 1 ]; then echo "run on $target ($scope) exited $status" >&2; exit "$status"; fi
    baseline="reports/baselines/$sub$target.json"
    existing=()
    [ -f "$baseline" ] && existing=(--existing "$baseline")
    "$bc" baseline "reports/latest/$sub$target/report.json" "${existing[@]}" --observed > "$baseline.new"
    mv "$baseline.new" "$baseline"
  done
  "$bc" compare "reports/latest/${sub}moto/report.json" "reports/latest/${sub}moto-server/report.json" \
    "reports/latest/${sub}ministack/report.json" --out-dir "reports/matrix/$sub"
done
