# shellcheck shell=bash
# Common settings for the workspace scripts. Sourced, not run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
TREE=${TREE:-$BUILD/linux}        # kernel git tree: base + series
KOBJ=${KOBJ:-$BUILD/kernel}       # out-of-tree build of the test kernel
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/iommufd-lu
LOGS=$BUILD/logs
JOBS=${JOBS:-$(nproc)}

# The neutral identity every patch is authored and signed off with.
GIT_IDENT_NAME="iommufd-lu project"
GIT_IDENT_EMAIL="iommufd-lu@invalid"
# Fixed dates make tree -> export byte for byte reproducible.
BASE_DATE="2026-01-01T00:00:00Z"

export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
# Let ccache hit across trees that live at different paths.
export CCACHE_BASEDIR=$BUILD
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-time_macros,include_file_mtime,include_file_ctime}
# Reproducible kernel build stamps, so ccache can hit on init/version.c & co.
export KBUILD_BUILD_TIMESTAMP="2026-01-01"
export KBUILD_BUILD_USER=iommufd-lu
export KBUILD_BUILD_HOST=builder

say()  { printf '==> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die()  { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

base_field() { sed -n "s/^$1=//p" "$TOP/BASE"; }

# Patches of the series, in order, without the cover letter.
series_patches() {
	local f
	for f in "$TOP"/patches/[0-9][0-9][0-9][0-9]-*.patch; do
		[ -e "$f" ] || continue
		case "$f" in */0000-cover-letter.patch) continue ;; esac
		printf '%s\n' "$f"
	done
}

kmake() {
	make -C "$TREE" O="$KOBJ" -j"$JOBS" CC="ccache gcc" HOSTCC="ccache gcc" "$@"
}
