# Shared shell helpers for the project's scripts. Source it: it defines functions and adds
# /usr/sbin to PATH, nothing else.

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
# modinfo, depmod (modules_install) and ip live in /usr/sbin, which a user's PATH lacks.
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/sbin:/sbin ;; esac
CACHE_ROOT=${CXXNP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cxx-netpoll}

die() { echo "error: $*" >&2; exit 1; }
note() { echo ">> $*" >&2; }

# Debian's installed 6.1 flavour, found from the packages (never from uname -r).
stock_kver() {
	local v
	v=$(dpkg-query -W -f='${Depends}\n' linux-headers-amd64 2>/dev/null |
		grep -o 'linux-headers-[0-9][^ ,]*-amd64' | head -n1 | sed 's/^linux-headers-//')
	[ -n "$v" ] || die "linux-headers-amd64 is not installed: run scripts/install-deps"
	echo "$v"
}
stock_kdir() { echo "/usr/src/linux-headers-$(stock_kver)"; }

# Test kernel: keyed by source package version + the config fragment's options (its comments
# change nothing) + the patches in scripts/test-kernel-patches/. Bump TEST_KERNEL_RECIPE when
# scripts/build-test-kernel changes what it produces.
TEST_KERNEL_RECIPE=2
test_kernel_key() {
	local srcver
	srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) ||
		die "linux-source-6.1 is not installed: run scripts/install-deps"
	echo "$srcver-$( (echo "recipe $TEST_KERNEL_RECIPE"
		grep -v -e '^#' -e '^[[:space:]]*$' "$TOP/scripts/test-kernel.config"
		cat "$TOP"/scripts/test-kernel-patches/*.patch) |
		sha256sum | cut -c1-12)"
}
test_kernel_dir() { echo "$CACHE_ROOT/test-kernel/$(test_kernel_key)"; }
