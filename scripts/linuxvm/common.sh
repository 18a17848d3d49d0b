# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034,SC2154
#
# scripts/linuxvm/common.sh: sourced by fetch-kernel and mkinitramfs. Holds
# the paths of build/linuxvm/ and the one list of Debian packages the Linux
# test VMs need on the host, and installs what is missing.
#
# The REQUIREMENTS lines use the format of scripts/setup-deps, so that they
# can be copied there as they are.

LVM_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LVM_BUILD=$LVM_REPO/build/linuxvm
LVM_KROOT=$LVM_BUILD/kroot
LVM_VMLINUX=$LVM_BUILD/vmlinux
LVM_VERSION_FILE=$LVM_BUILD/version

# depmod and modprobe live in /usr/sbin, which is not on a user's PATH.
PATH=$PATH:/usr/sbin:/sbin

REQUIREMENTS=(
	"cmd:apt-get apt"
	"cmd:dpkg-deb dpkg"
	"cmd:readelf binutils"
	"cmd:busybox busybox-static"
	"cmd:cpio cpio"
	"cmd:gzip gzip"
	"cmd:depmod kmod"
	"cmd:modprobe kmod"
	"cmd:xz xz-utils"
	"cmd:zstd zstd"
	"cmd:musl-gcc musl-tools"
	"cmd:make make"
)

lvm_die() {
	echo "$prog: error: $*" >&2
	exit 1
}

lvm_log() {
	echo "$prog: $*" >&2
}

# lvm_missing_packages: the packages of unmet REQUIREMENTS, each once.
lvm_missing_packages() {
	local req spec pkg what
	local -A seen=()

	for req in "${REQUIREMENTS[@]}"; do
		spec=${req%% *}
		pkg=${req#* }
		what=${spec#cmd:}
		command -v "$what" >/dev/null 2>&1 && continue
		[ -n "${seen[$pkg]:-}" ] && continue
		seen[$pkg]=1
		echo "$pkg"
	done
}

# lvm_apt_install PKG...: install as root; refresh the package lists and
# retry once if the first attempt fails (lists missing or stale).
lvm_apt_install() {
	local cmd=(apt-get install -y -q --no-install-recommends "$@")

	if [ "$(id -u)" -ne 0 ]; then
		lvm_die "missing packages: $*; install them as root with:" \
			"apt-get update && ${cmd[*]}"
	fi
	lvm_log "installing $*"
	if ! DEBIAN_FRONTEND=noninteractive "${cmd[@]}" >&2; then
		apt-get update -q >&2
		DEBIAN_FRONTEND=noninteractive "${cmd[@]}" >&2 ||
			lvm_die "apt-get install $* failed"
	fi
}

# lvm_ensure_deps: install whatever REQUIREMENTS lacks.
lvm_ensure_deps() {
	local missing

	mapfile -t missing < <(lvm_missing_packages)
	[ ${#missing[@]} -eq 0 ] && return 0
	lvm_apt_install "${missing[@]}"
	mapfile -t missing < <(lvm_missing_packages)
	[ ${#missing[@]} -eq 0 ] ||
		lvm_die "still missing after apt-get install: ${missing[*]}"
}

# lvm_kernel_release: the release fetch-kernel unpacked (uname -r of the
# guest), or nothing.
lvm_kernel_release() {
	[ -f "$LVM_VERSION_FILE" ] && head -n1 "$LVM_VERSION_FILE"
}
