# boot-modules: guest side (sourced after /etc/lib.sh; the harness calls scenario).
scenario() {
	ip link set lo up
	for m in $VMTEST_MODULES; do
		args=
		[ "$m" = cxx_pongtest ] && args=dev=lo	# it needs a device: answer on loopback
		vm_insmod "$m" $args || continue
		vm_log "loaded $m"
	done
	for m in $VMTEST_MODULES_REVERSED; do
		vm_rmmod "$m"
	done
	lsmod | grep -q '^cxx_' && vm_fail "project modules still loaded: $(lsmod | grep '^cxx_')"
}
