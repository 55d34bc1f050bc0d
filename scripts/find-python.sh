#!/usr/bin/env bash
# Print the path of a Python >= 3.12 (3.13 preferred). Works with a system python3.13 and with
# pyenv, whose `python3.13` shim refuses to run unless that version is selected.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
for v in 3.13 3.12; do
  command -v "python$v" >/dev/null 2>&1 && candidates+=("$(command -v "python$v")")
  for d in ${PYTHON_SEARCH_DIRS-/usr/bin /usr/local/bin}; do
    [ -x "$d/python$v" ] && candidates+=("$d/python$v")
  done
  if command -v pyenv >/dev/null 2>&1; then
    root=$(pyenv root 2>/dev/null)
    for p in $(ls -d "$root"/versions/$v.*/bin/python3 2>/dev/null | sort -rV); do candidates+=("$p"); done
  fi
  for p in $(ls -d "$HOME"/.pyenv/versions/$v.*/bin/python3 2>/dev/null | sort -rV); do candidates+=("$p"); done
done
command -v python3 >/dev/null 2>&1 && candidates+=("$(command -v python3)")
for c in "${candidates[@]}"; do
  if ok "$c"; then echo "$c"; exit 0; fi
done
echo "Breakeven needs Python 3.12 or newer (3.13 recommended) and found none." >&2
echo "Install it (e.g. 'apt-get install python3.13 python3.13-venv' or 'pyenv install 3.13')," >&2
echo "or point PYTHON=/path/to/python3.13 at one." >&2
exit 1
