#!/usr/bin/env bash
# Builds the binaries of the test control plane (kine, kube-apiserver,
# kube-controller-manager) from the Go module proxy and caches them outside the
# work tree. Prints the directory holding bin/ on stdout (the only stdout line).
#
#   test/control-plane/build.sh                 build if missing, print the dir
#   test/control-plane/build.sh --print-dir     print the dir, build nothing
#   test/control-plane/build.sh --regenerate 1.36.3
#                                               rewrite wrapper/go.mod for another
#                                               Kubernetes version and tidy it
#
# Environment: KHARDEN_CACHE (default $HOME/.cache/kharden). Go's own caches
# (GOMODCACHE, GOCACHE) are used as configured.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
wrapper="$here/wrapper"

# kine is not part of the wrapper module: it is installed at an exact version
# with its own go.mod/go.sum, as `go install pkg@version` does.
KINE_VERSION="v0.17.5"
# k3s stamps its build of Kubernetes as vX.Y.Z+k3sN; kube-bench and kharden
# detect k3s from that suffix.
K3S_SUFFIX="+k3s1"

log() { printf '[control-plane] %s\n' "$*" >&2; }

# Non-login shells (CI) may lack Go's directory on PATH.
if ! command -v go >/dev/null && [[ -x /usr/local/go/bin/go ]]; then
  PATH="/usr/local/go/bin:$PATH"
fi

k8s_version() {
  # `go mod tidy` moves the require into the block and marks it indirect.
  sed -n 's/^\(require \|\t\)k8s.io\/kubernetes \(v[0-9.]*\).*$/\2/p' "$wrapper/go.mod"
}

regenerate() {
  local v="${1#v}"
  [[ "$v" =~ ^1\.([0-9]+)\.([0-9]+)$ ]] || { log "usage: --regenerate 1.Y.Z"; exit 2; }
  local staging="0.${v#1.}"
  local gomod
  gomod="$(cd /tmp && go mod download -json "k8s.io/kubernetes@v$v" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  [[ -f "$gomod" ]] || { log "k8s.io/kubernetes@v$v: no go.mod from the module proxy"; exit 1; }
  local godirective godebug
  godirective="$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$gomod")"
  godebug="$(sed -n 's/^godebug \(.*\)$/\1/p' "$gomod")"
  {
    printf '%s\n' \
      "// Wrapper module that builds kube-apiserver and kube-controller-manager from" \
      "// the published k8s.io/kubernetes module. k8s.io/kubernetes requires its staging" \
      "// modules at the placeholder v0.0.0 and points them at ./staging/src, which only" \
      "// works when it is the main module; here each staging module is replaced with its" \
      "// published v0.Y.Z release instead. Regenerate with ../build.sh --regenerate." \
      "module kharden.local/control-plane" "" "go $godirective" ""
    [[ -n "$godebug" ]] && printf 'godebug %s\n\n' "$godebug"
    printf '%s\n' "tool (" \
      "	k8s.io/kubernetes/cmd/kube-apiserver" \
      "	k8s.io/kubernetes/cmd/kube-controller-manager" ")" "" \
      "require k8s.io/kubernetes v$v" "" "replace ("
    # The staging list differs between minor versions: take it from the tag itself.
    sed -n 's|^\s*\(k8s.io/[^ ]*\) => ./staging/src/.*|\1|p' "$gomod" |
      while read -r m; do printf '\t%s => %s v%s\n' "$m" "$m" "$staging"; done
    printf ')\n'
  } >"$wrapper/go.mod"
  rm -f "$wrapper/go.sum"
  (cd "$wrapper" && go mod tidy)
  log "wrapper now builds Kubernetes v$v"
}

if [[ "${1:-}" == "--regenerate" ]]; then
  regenerate "${2:-}"
  exit 0
fi

K8S_VERSION="$(k8s_version)"
[[ -n "$K8S_VERSION" ]] || { log "cannot read the k8s.io/kubernetes version from $wrapper/go.mod"; exit 1; }
GIT_VERSION="${K8S_VERSION}${K3S_SUFFIX}"

# The key covers everything that changes the binaries: the wrapper module, the
# kine version and this script (flags, stamping).
key="$(cat "$wrapper/go.mod" "$wrapper/go.sum" "$here/build.sh" | sha256sum | cut -c1-12)"
cache_root="${KHARDEN_CACHE:-${HOME:-/root}/.cache/kharden}/control-plane"
out="$cache_root/${GIT_VERSION}-${key}"

if [[ "${1:-}" == "--print-dir" ]]; then
  printf '%s\n' "$out"
  exit 0
fi
[[ $# -eq 0 ]] || { log "unknown argument: $1"; exit 2; }

# manifest.json is written last: its presence means a complete build.
if [[ -f "$out/manifest.json" ]]; then
  printf '%s\n' "$out"
  exit 0
fi

mkdir -p "$cache_root"
# Two test runs (or two engineers) may start a cold build at once: one builds,
# the other waits and reuses it.
exec 9>"$cache_root/.build.lock"
if ! flock -n 9; then
  log "another build is running; waiting for it"
  flock 9
fi
if [[ -f "$out/manifest.json" ]]; then
  printf '%s\n' "$out"
  exit 0
fi

command -v go >/dev/null || { log "go is not on PATH (the build needs Go >= 1.25)"; exit 1; }

tmp="$(mktemp -d "$cache_root/.build-XXXXXX")"
buildlog="$cache_root/build-${GIT_VERSION}-${key}.log"
: >"$buildlog"
ticker=""
cleanup() {
  [[ -n "$ticker" ]] && kill "$ticker" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

started=$(date +%s)
tty=false
[[ -t 2 ]] && tty=true

step() {
  local name="$1"
  shift
  local t0 rc=0
  t0=$(date +%s)
  if $tty; then
    (while sleep 1; do
      printf '\r[control-plane] %s … %ds ' "$name" $(($(date +%s) - t0)) >&2
    done) &
    ticker=$!
  fi
  { echo "== $name"; } >>"$buildlog"
  "$@" >>"$buildlog" 2>&1 || rc=$?
  if [[ -n "$ticker" ]]; then
    kill "$ticker" 2>/dev/null || true
    wait "$ticker" 2>/dev/null || true
    ticker=""
    printf '\r\033[K' >&2
  fi
  if [[ $rc -ne 0 ]]; then
    log "FAILED: $name (exit $rc). Last lines of $buildlog:"
    tail -n 30 "$buildlog" >&2
    exit 1
  fi
  if $tty; then log "$name: done in $(($(date +%s) - t0))s"; fi
  echo "== $name: done in $(($(date +%s) - t0))s" >>"$buildlog"
}

minor="${K8S_VERSION#v1.}"
minor="${minor%%.*}"
build_date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$GIT_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$build_date"
done

log "building kine $KINE_VERSION and Kubernetes $GIT_VERSION (cold: about 5-10 min on 2 cores); log: $buildlog"

export CGO_ENABLED=0
mkdir -p "$tmp/bin"
step "download modules" bash -c "cd '$wrapper' && go mod download"
step "build kube-apiserver + kube-controller-manager" bash -c \
  "cd '$wrapper' && go build -trimpath -ldflags '$ldflags' -o '$tmp/bin/' \
     k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager"
# Without cgo kine uses the pure-Go SQLite driver (modernc.org/sqlite).
step "build kine" bash -c "cd /tmp && GOBIN='$tmp/bin' go install -trimpath \
  -ldflags '-s -w -X github.com/k3s-io/kine/pkg/version.Version=$KINE_VERSION' \
  github.com/k3s-io/kine@$KINE_VERSION"

"$tmp/bin/kube-apiserver" --version >>"$buildlog" 2>&1
seconds=$(($(date +%s) - started))
size() { stat -c %s "$tmp/bin/$1"; }
cat >"$tmp/manifest.json" <<EOF
{
  "kubernetes": "$K8S_VERSION",
  "gitVersion": "$GIT_VERSION",
  "kine": "$KINE_VERSION",
  "go": "$(go env GOVERSION)",
  "key": "$key",
  "builtAt": "$build_date",
  "buildSeconds": $seconds,
  "bytes": {
    "kine": $(size kine),
    "kube-apiserver": $(size kube-apiserver),
    "kube-controller-manager": $(size kube-controller-manager)
  }
}
EOF
rm -rf "$out"
mv "$tmp" "$out"
log "built in ${seconds}s: $out"
printf '%s\n' "$out"
