#!/usr/bin/env bash
# Prints each module's line and branch coverage from its JaCoCo report (modules/*/target/site/jacoco/jacoco.csv,
# written by ./mvnw verify) and the gate it is held to (coverage.lines.minimum: 0.80 for service modules).
# The HTML reports stay beside the CSVs (target/site/jacoco/index.html) as CI output.
set -euo pipefail
cd "$(dirname "$0")/.."
printf '%-12s %8s %10s  %s\n' module lines branches report
for csv in modules/*/target/site/jacoco/jacoco.csv; do
  [[ -f "$csv" ]] || continue
  module=$(echo "$csv" | cut -d/ -f2)
  awk -F, -v m="$module" -v r="${csv%jacoco.csv}index.html" 'NR > 1 { bm += $6; bc += $7; lm += $8; lc += $9 }
    END { printf "%-12s %7.1f%% %9s  %s\n", m, (lm + lc) ? 100 * lc / (lm + lc) : 0,
                 (bm + bc) ? sprintf("%.1f%%", 100 * bc / (bm + bc)) : "-", r }' "$csv"
done
