# pong-nic: guest side (sourced after /etc/lib.sh; the harness calls scenario).
scenario() {
	nic_up 0 10.0.0.2 fd00::2
	nic_up 1 10.0.1.2 fd00:1::2
	vm_insmod cxx_netpoll || return
	# bad parameters: refused with an error, nothing left behind
	for bad in port=0 dev=nosuchdev dev=averyveryverylongname local_ip=10.0.0.999 \
		"ipv6=1 local_ip=10.0.0.2" "local_ip=fd00::2"; do
		# shellcheck disable=SC2086 # $bad: parameters, one word each
		if insmod /lib/cxx/cxx_pongtest.ko $bad 2>/dev/null; then
			vm_fail "cxx_pongtest accepted $bad"
			rmmod cxx_pongtest
		else
			vm_log "cxx_pongtest refused $bad"
		fi
	done
	dmesg | grep -q "cxx_pongtest: port must not be 0" || vm_fail "no error line for port=0"
	for p in $PHASES; do	# label:nic:count[:ipv6]
		label=${p%%:*}; rest=${p#*:}; idx=${rest%%:*}; rest=${rest#*:}
		count=${rest%%:*}; v6=; [ "$rest" != "$count" ] && v6=1
		pong_phase "$label" "$idx" "$count" ${v6:+ipv6=1}
	done
	# On a VLAN device, which then goes away under pongtest: the hook must go with it.
	ip link add link "$(vm_nic 0)" name v100 type vlan id 100 || vm_fail "v100"
	ip addr add "$VLAN_IP/24" dev v100
	ip -6 addr add "$VLAN_IP6/64" dev v100 nodad
	ip link set v100 up
	# shellcheck disable=SC2086 # VLAN_ARGS: empty or ipv6=1
	vm_insmod cxx_pongtest dev=v100 port=$PORT $VLAN_ARGS || return
	vm_log "pong-ready vlan"
	vm_wait 300 settled "$VLAN_N" || vm_fail "vlan: pongtest received $(pong_val received)"
	pong_stats vlan
	# deleted while the host floods it with requests: hooks are running as it goes
	vm_log "vlan-flood"
	sleep 3
	ip link del v100 || vm_fail "deleting v100"
	grep -q "^rx_" /sys/kernel/debug/cxx_netpoll/cxx_pongtest-v100-* 2>/dev/null &&
		vm_fail "the rx hook outlived v100"
	vm_log "vlan deleted"
	vm_rmmod cxx_pongtest
	vm_rmmod cxx_netpoll
}
