# bond-failover: guest side (sourced after /etc/lib.sh; the harness calls scenario).
# cxx_netconsole on a bond (DRV=cxx: cxx_bonding, intree: in-tree bonding; MODE, miimon 100)
# of both NICs, in the extended format if EXT=1 (NC=intree: in-tree netconsole instead, a
# comparison); N flood lines; the host cuts link 0 a quarter of the way in. The guest reports
# the bond's messages and the target's counters; the host counts lines lost and repeated.
scenario() {
	bond_load "$DRV" || return
	bond_make "$MODE" 10.0.0.2 || return
	plus=
	[ "$EXT" = 1 ] && plus=+
	nc="${plus}6666@10.0.0.2/bond0,6666@10.0.0.1/$HOST_MAC0"
	if [ "$NC" = intree ]; then
		insmod /lib/intree/netconsole.ko netconsole="$nc" || { vm_fail "netconsole"; return; }
	else
		vm_insmod cxx_netconsole netconsole="$nc" resend_ms="$RESEND_MS" || return
	fi
	echo "<5>nc-fo-begin" > /dev/kmsg
	vm_wait 30 drained || vm_fail "the boot log did not drain"
	downs=/sys/class/net/$(vm_nic 0)/carrier_down_count
	d0=$(cat "$downs")
	vm_log "ready-for-cut"
	markers fo "$N"
	echo "<5>nc-fo-end" > /dev/kmsg
	# how often link 0's carrier went down as the guest saw it (a flap can be over before
	# virtio-net reads the link state: then the guest never knew)
	echo "VMTEST-CARRIER link0 downs $(($(cat "$downs") - d0))"
	# the resend (a work item) and whatever was deferred
	sleep 2
	[ "$NC" = intree ] || nc_stats
	dmesg | grep -e 'link status definitely' -e 'making interface' -e 'active interface' |
		sed 's/^/VMTEST-BONDMSG /'
	vm_log "fo-done"
}
