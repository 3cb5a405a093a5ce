#!/usr/bin/env bash
# Installs vtlab's build dependencies when missing: fast (no apt at all) when all present.
set -euo pipefail

packages=(clang-19 libclang-rt-19-dev lld-19 llvm-19 librapidcheck-dev libgtest-dev
          libbenchmark-dev relacy-dev cmake ninja-build)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "bootstrap: installing ${missing[*]}" >&2
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "bootstrap: done" >&2
