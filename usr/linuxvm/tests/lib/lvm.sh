# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# /tests/lib/lvm.sh: helpers for the guest tests of the Linux test VMs,
# sourced by /tests/*. See scripts/linuxvm/init for how a test is run and
# Documentation/linux-vms.md for how to add one.

# lvm_fail REASON...: end the test as failed, with REASON as the verdict.
lvm_fail() {
	echo "$*" >"$LVM_REASON"
	echo "${0##*/}: FAIL: $*"
	exit 1
}

# lvm_pass REASON...: end the test as passed.
lvm_pass() {
	echo "$*" >"$LVM_REASON"
	echo "${0##*/}: PASS: $*"
	exit 0
}

# lvm_need VAR...: fail unless every named lvm.* variable is set.
lvm_need() {
	local v

	for v in "$@"; do
		eval "[ -n \"\${$v:-}\" ]" ||
			lvm_fail "needs lvm.$(echo "${v#LVM_}" | tr 'A-Z_' 'a-z.')="
	done
}

# lvm_wait_peer PEER SECONDS: until PEER answers ARP on lvm.dev (it may
# still be booting, or its NIC still without carrier). ARP, not ping, so that
# the peer's ICMP counters see only the test's own pings.
lvm_wait_peer() {
	local end="$(($(cut -d. -f1 /proc/uptime) + $2))"

	until arping -f -q -c 1 -w 1 -I "${LVM_DEV:-eth0}" "$1"; do
		[ "$(cut -d. -f1 /proc/uptime)" -ge $end ] && return 1
	done
	return 0
}

# lvm_icmp_in_echos: ICMP echo requests this node has received so far.
lvm_icmp_in_echos() {
	awk '$1 == "Icmp:" && !n { for (i = 2; i <= NF; i++) if ($i == "InEchos") c = i; n = 1; next }
	     $1 == "Icmp:" { print $c; exit }' /proc/net/snmp
}

# lvm_await_pings COUNT SECONDS: when the peer pings this node too, stay up
# until COUNT echo requests have arrived (and their replies had time to
# leave), so that this VM's exit does not cost the peer its last replies.
# Gives up after SECONDS: the peer is then failing on its own.
lvm_await_pings() {
	local end="$(($(cut -d. -f1 /proc/uptime) + $2))"

	until [ "$(lvm_icmp_in_echos)" -ge "$1" ]; do
		if [ "$(cut -d. -f1 /proc/uptime)" -ge $end ]; then
			echo "${0##*/}: the peer sent $(lvm_icmp_in_echos) of $1 pings in $2 s"
			return 1
		fi
		sleep 0.1
	done
	sleep 0.3
	return 0
}
