# bond-panic: guest side (sourced after /etc/lib.sh; the harness calls scenario).
# cxx_netconsole on an active-backup bond of cxx_bonding (DEV=bond) or of in-tree bonding
# (DEV=intree), or on a NIC (DEV=nic); a printk flood is still being sent when the kernel
# panics: TRIGGER=trigger (echo c > /proc/sysrq-trigger), keyboard (the host presses
# alt+sysrq+c: a panic in the keyboard's hard IRQ) or nmi (the host injects an NMI,
# kernel.unknown_nmi_panic=1). The guest never
# reports a verdict: it panics, and the host compares what the serial console printed with
# what arrived.
scenario() {
	e0=$(vm_nic 0)
	if [ "$DEV" != nic ]; then
		drv=intree
		[ "$DEV" = bond ] && drv=cxx
		bond_load "$drv" || return
		bond_make active-backup 10.0.0.2 || return
		dev=bond0
	else
		vm_insmod cxx_netpoll || return
		nic_up 0 10.0.0.2
		dev=$e0
	fi
	vm_insmod cxx_netconsole netconsole="6666@10.0.0.2/$dev,6666@10.0.0.1/$HOST_MAC0" || return
	echo 1 > /proc/sys/kernel/sysrq
	echo 1 > /proc/sys/kernel/unknown_nmi_panic
	echo "<5>nc-panic-begin" > /dev/kmsg
	vm_wait 30 drained || vm_fail "the boot log did not drain"
	markers flood "$N" &
	# nc-panic-armed: the panic comes after it (the host compares up to it strictly)
	case $TRIGGER in
	trigger)
		sleep 1
		echo "<5>nc-panic-armed" > /dev/kmsg
		echo c > /proc/sysrq-trigger ;;
	*)
		echo "<5>nc-panic-armed" > /dev/kmsg
		vm_log "ready-for-$TRIGGER"
		sleep 120 ;;
	esac
	vm_fail "still alive after the $TRIGGER panic"
}
