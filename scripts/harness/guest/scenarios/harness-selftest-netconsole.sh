# harness-selftest-netconsole: guest side (sourced after /etc/lib.sh; the harness calls scenario).
carrier_down() { [ "$(cat "/sys/class/net/$nic/carrier")" = 0 ]; }
sysrq_help_seen() { dmesg | grep -q "sysrq: HELP"; }

scenario() {
	nic=$(vm_nic 0)
	ip addr add 10.0.0.2/24 dev "$nic"
	ip link set "$nic" up
	insmod /lib/intree/netconsole.ko \
		netconsole="6665@10.0.0.2/$nic,6666@10.0.0.1/$HOST_MAC0" || vm_fail "netconsole"
	echo "$MARKER" > /dev/kmsg
	# QMP: the host cuts the link, then presses alt+sysrq+h on the board's keyboard
	vm_log "ready-for-qmp"
	vm_wait 60 carrier_down || vm_fail "QMP set_link: carrier stayed up"
	vm_log "carrier down seen"
	vm_wait 60 sysrq_help_seen || vm_fail "QMP send-key: no sysrq help"
}
