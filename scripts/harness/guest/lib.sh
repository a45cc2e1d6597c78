# Guest-side helpers for scenario scripts (busybox sh).
VM_FAILED=

# Debian's busybox runs its own applets before $PATH ("standalone shell"): call the real
# iproute2 by path, since busybox `ip` ignores bond options.
ip() { /usr/sbin/ip "$@"; }

vm_log() { echo "VMTEST: $*"; }
vm_fail() { echo "VMTEST-FAIL: $*"; VM_FAILED=1; }

# The verdict goes out through isa-debug-exit (port 0xf4): QEMU exits (value << 1) | 1.
vm_exit() {
	printf "\\$(printf %o "$1")" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
	sleep 5
	echo "VMTEST: isa-debug-exit did not stop the VM"
	poweroff -f
}

# Interfaces in PCI order, i.e. the order of the scenario's links.
vm_nics() {
	for d in /sys/class/net/*; do
		# the full device path holds the PCI address (virtio NICs sit below theirs)
		[ -e "$d/device" ] && echo "$(readlink -f "$d/device") ${d##*/}"
	done | sort | cut -d' ' -f2
}
vm_nic() { vm_nics | sed -n "$(($1 + 1))p"; }

# Wait up to $1 seconds for the command in $2.. to succeed (a line every 10 s keeps the
# harness's idle timeout from firing while the guest waits).
vm_wait() {
	local t=$1 n=0
	shift
	while [ "$n" -lt "$t" ]; do
		"$@" && return 0
		sleep 1
		n=$((n + 1))
		[ $((n % 10)) = 0 ] && vm_log "waiting for '$*' (${n}s)"
	done
	return 1
}

vm_insmod() {
	local m=$1
	shift
	insmod "/lib/cxx/$m.ko" "$@" || { vm_fail "insmod $m $*"; return 1; }
}
vm_rmmod() { rmmod "$1" || vm_fail "rmmod $1"; }

# End of scenario: leak scan, taint, lockdep state, result line, exit code.
vm_finish() {
	if [ -e /sys/kernel/debug/kmemleak ]; then
		# An object is reported once two scans found it unreferenced and unchanged, and
		# only if it was 5 s old when the second began: a first scan, the rest of those 5 s
		# (a scan under KASAN takes longer than that), the second.
		local t0 t1
		t0=$(cut -d. -f1 /proc/uptime)
		echo scan > /sys/kernel/debug/kmemleak || vm_fail "kmemleak scan refused"
		t1=$(cut -d. -f1 /proc/uptime)
		[ $((t1 - t0)) -lt 6 ] && sleep $((6 - (t1 - t0)))
		echo scan > /sys/kernel/debug/kmemleak
		dmesg | grep -q "Kernel memory leak detector disabled" && vm_fail "kmemleak disabled itself"
		leaks=$(cat /sys/kernel/debug/kmemleak)
		[ -n "$leaks" ] && { echo "VMTEST-KMEMLEAK-BEGIN"; echo "$leaks"; echo "VMTEST-KMEMLEAK-END"; }
	fi
	echo "VMTEST-TAINT $(cat /proc/sys/kernel/tainted)"
	[ -e /proc/lockdep_stats ] &&
		echo "VMTEST-DEBUG-LOCKS $(sed -n 's/^ *debug_locks: *//p' /proc/lockdep_stats)"
	if [ -n "$VM_FAILED" ]; then
		echo "VMTEST-RESULT FAIL"
		vm_exit 17
	fi
	echo "VMTEST-RESULT PASS"
	vm_exit 16
}
