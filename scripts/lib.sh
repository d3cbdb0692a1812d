# shellcheck shell=bash
# Common settings for the workspace scripts. Sourced, not run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
TREE=${TREE:-$BUILD/linux}        # kernel git tree: base + series
KOBJ=${KOBJ:-$BUILD/kernel}       # out-of-tree build of the test kernel
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/iommufd-lu
LOGS=${LOGS:-$BUILD/logs}
# This run's results: one TAP file per step and the list of steps
# (scripts/summarise reads them; nothing else makes a closing line).
RESULTS=${RESULTS:-$LOGS/results}
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

# TAP for a step that checks things itself: result() prints one case,
# tap_plan the plan after the last one. Details go out as "#" lines.
tap_n=0 tap_failed=0
result() { # ok|fail|skip name [details-file | skip reason]
	tap_n=$((tap_n + 1))
	case $1 in
	ok) echo "ok $tap_n - $2" ;;
	skip) echo "ok $tap_n - $2 # SKIP ${3:-}" ;;
	*) tap_failed=$((tap_failed + 1)); echo "not ok $tap_n - $2"
	   [ -z "${3:-}" ] || sed 's/^/#   /' "$3" | head -60 ;;
	esac
}
tap_plan() { echo "1..$tap_n"; }

# The steps of a run: results_start empties $RESULTS and names every step
# the run means to take (a step that then writes nothing is a failure);
# run_step runs one, its stdout (TAP) saved as $RESULTS/NAME.tap and shown,
# its exit status as NAME.rc.
results_start() { # step...
	rm -rf "$RESULTS"; mkdir -p "$RESULTS"
	printf '%s\n' "$@" >"$RESULTS/steps"
}
results_add() { printf '%s\n' "$@" >>"$RESULTS/steps"; }
run_step() { # name command...
	local name=$1; shift
	{
		rc=0
		"$@" || rc=$?
		echo "$rc" >"$RESULTS/$name.rc"
	} | tee "$RESULTS/$name.tap.part"
	mv "$RESULTS/$name.tap.part" "$RESULTS/$name.tap"
	return "$(cat "$RESULTS/$name.rc")"
}
# A step that is one command: one case, ok if the command succeeds.
one_case() { # name description command...
	local name=$1 what=$2 rc=0; shift 2
	"$@" || rc=$?
	if [ "$rc" = 0 ]; then printf '1..1\nok 1 - %s\n' "$what"
	else printf '1..1\nnot ok 1 - %s (exit %s)\n' "$what" "$rc"; fi >"$RESULTS/$name.tap"
	return "$rc"
}

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

# Die if $1 (what is about to happen, e.g. "make tree") would lose work in
# the kernel tree that patches/ does not hold: uncommitted changes, commits
# not exported, a branch with commits the series branch lacks, or
# uncommitted changes in one of its worktrees. FORCE=1 skips the check.
refuse_unexported_work() {
	local what=$1 wt branches
	[ -d "$TREE/.git" ] && [ "${FORCE:-0}" != 1 ] || return 0
	[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ] ||
		die "$TREE has uncommitted changes. Commit and 'make export' them, or rerun $what with FORCE=1 to discard."
	"$TOP/scripts/export" --check >/dev/null 2>&1 ||
		die "$TREE holds commits that patches/ does not. Run 'make export' first, or rerun $what with FORCE=1 to discard them."
	branches=$(git -C "$TREE" branch --format='%(refname:short)' --no-merged series | tr '\n' ' ')
	[ -z "$branches" ] ||
		die "$TREE has branches with commits the series lacks: $branches(rerun $what with FORCE=1 to discard them)"
	while read -r wt; do
		[ "$wt" = "$TREE" ] || [ ! -d "$wt" ] ||
			[ -z "$(git -C "$wt" status --porcelain --untracked-files=no)" ] ||
			die "the worktree $wt has uncommitted changes (rerun $what with FORCE=1 to discard them)"
	done < <(git -C "$TREE" worktree list --porcelain | sed -n 's/^worktree //p')
}

kmake() {
	make -C "$TREE" O="$KOBJ" -j"$JOBS" CC="ccache gcc" HOSTCC="ccache gcc" "$@"
}

# The Debian archive the machine's own apt sources name: the first deb822
# "URIs:" or one-line "deb URI" entry whose path ends in /debian (not the
# security archive, not a third party). BASE_MIRROR=URI overrides it.
debian_mirror() {
	local f m
	m=${BASE_MIRROR:-$(
		for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
			[ -f "$f" ] || continue
			sed -n -e 's/^URIs:[[:space:]]*//p' \
				-e 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\{0,1\}\([^[:space:]]*\).*/\2/p' "$f"
		done | tr ' ' '\n' | grep -E '^(https?|file)://.*/debian/?$' | head -1
	)}
	[ -n "$m" ] || die "no Debian archive in the machine's apt sources (/etc/apt): set BASE_MIRROR=URI"
	printf '%s\n' "${m%/}"
}

# Debian packages: install those of "$@" that are not installed (sudo when
# not root). Quiet when they all are.
apt_install() { # package...
	local p missing=() sudo=
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ "${#missing[@]}" = 0 ] && return 0
	say "Installing: ${missing[*]}"
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -q
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# A private apt state in DIR that reads only the one sources line given (the
# machine's apt state and lists stay untouched; no root needed): sets the
# array apt_opts for apt-get/apt-cache and reads the index.
apt_private() { # dir sources-line
	mkdir -p "$1"/{lists/partial,archives/partial,etc}
	printf '%s\n' "$2" >"$1/etc/sources.list"
	apt_opts=(
		-o "Dir::Etc::sourcelist=$1/etc/sources.list"
		-o "Dir::Etc::sourceparts=/nonexistent"
		-o "Dir::State=$1" -o "Dir::State::Lists=$1/lists"
		-o "Dir::State::status=/var/lib/dpkg/status"
		-o "Dir::Cache=$1" -o "Dir::Cache::Archives=$1/archives"
		-o "Debug::NoLocking=1" -o "APT::Sandbox::User=root"
	)
	apt-get "${apt_opts[@]}" -q update >&2
}

# A detached worktree of the kernel tree at DIR, checked out at REV; one
# left there by an earlier run is removed first. worktree_drop removes it.
worktree_at() { # dir rev
	worktree_drop "$1"
	mkdir -p "$(dirname "$1")"
	git -C "$TREE" worktree add -q --detach "$1" "$2"
}
worktree_drop() { # dir
	git -C "$TREE" worktree remove --force "$1" 2>/dev/null || rm -rf "$1"
	git -C "$TREE" worktree prune
}

# Base versus the tip: one case, failed by every line of TIP (sorted
# warnings of the tip) that BASE (those of the base) lacks, and passed
# with the message OK when there is none.
no_new_lines() { # base-file tip-file case-name ok-message
	local new
	new=$(mktemp)
	comm -13 "$1" "$2" >"$new"
	if [ -s "$new" ]; then result fail "$3" "$new"
	else result ok "$4"; fi
	rm -f "$new"
}
