# Shared by the project's scripts: paths and small helpers. Source it; do not run it.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
RUN_DIR="$LOCAL/run"
LOG_DIR="$LOCAL/logs"
SERVICES=(applications ceu-verification petitions payments audits gateway)
declare -A SERVICE_PORT=([gateway]=3000 [applications]=3001 [ceu-verification]=3002 [petitions]=3003 [payments]=3004 [audits]=3005)
mkdir -p "$RUN_DIR" "$LOG_DIR"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
now_s() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now_s)" 'BEGIN { printf "%.1f", b - a }'; }
