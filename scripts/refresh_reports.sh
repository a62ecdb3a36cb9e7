#!/usr/bin/env bash
# Regenerate the committed runs, baselines (keeping every existing reason) and the
# compatibility matrix of moto (in-process and server) and ministack:
#     bash scripts/refresh_reports.sh
# New deviations get the reason "TODO: explain this deviation": write a real one. So do
# known ones that changed (another outcome, or another finding); their TODO quotes the old
# reason. Each case entry records the finding(s) the case fails for.
set -euo pipefail
cd "$(dirname "$0")/.."
bc=${BATCH_CONFORMANCE:-batch-conformance}
for target in moto moto-server ministack; do
  rm -rf "reports/latest/$target"
  status=0
  "$bc" run --target "$target" --report-dir "reports/latest/$target" >/dev/null || status=$?
  if [ "$status" -gt 1 ]; then echo "run on $target exited $status" >&2; exit "$status"; fi
  existing=()
  [ -f "reports/baselines/$target.json" ] && existing=(--existing "reports/baselines/$target.json")
  "$bc" baseline "reports/latest/$target/report.json" "${existing[@]}" > "reports/baselines/$target.json.new"
  mv "reports/baselines/$target.json.new" "reports/baselines/$target.json"
done
"$bc" compare reports/latest/moto/report.json reports/latest/moto-server/report.json \
  reports/latest/ministack/report.json --out-dir reports/matrix
