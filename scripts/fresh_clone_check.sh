#!/usr/bin/env bash
# What a newcomer does, on a fresh clone: `make run` serves the login page with working demo
# logins (checked here), and `make test` passes (pass --test to run it too; CI runs it anyway).
set -euo pipefail
src=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
dir=$(mktemp -d)
# Ctrl-C signals the whole foreground process group; do the same to make's group.
stop_run() { kill -INT -- -"$pid" 2>/dev/null || true; for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done; }
trap 'stop_run; rm -rf "$dir"' EXIT
git clone -q "$src" "$dir/app"
cd "$dir/app"
port=${PORT:-8765}
setsid env -u DATABASE_URL -u REDIS_URL PORT=$port make run >"$dir/run.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  if curl -fsS "http://127.0.0.1:$port/accounts/login/" >/dev/null 2>&1; then break; fi
  sleep 1
done
curl -fsS "http://127.0.0.1:$port/accounts/login/" | grep -q "Sign in"
jar="$dir/cookies"
token=$(curl -fsS -c "$jar" "http://127.0.0.1:$port/accounts/login/" | sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p')
code=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -b "$jar" -c "$jar" \
  -H "Referer: http://127.0.0.1:$port/accounts/login/" \
  --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "email=sales@demo.breakeven.test" \
  --data-urlencode "password=breakeven-demo-2026" "http://127.0.0.1:$port/accounts/login/")
echo "demo login: $code"
case "$code" in 302*dashboard*) echo "make run: OK";; *) echo "make run: FAILED"; tail -50 "$dir/run.log"; exit 1;; esac
stop_run
grep -q "Stopped." "$dir/run.log" && echo "Ctrl-C: everything stopped"
if [ "${1:-}" = "--test" ]; then
  stop_run
  make test
fi
