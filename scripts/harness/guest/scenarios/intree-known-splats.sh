# intree-known-splats: guest side (sourced after /etc/lib.sh; the harness calls scenario).
scenario() {
	one_nic_client kernel_netpoll=1 || return
	# e1000's interrupt and the sender on CPU 0: with IRQs off there, nothing cleans the tx
	# ring, it fills, and the kernel's netpoll polls the driver with budget 0.
	irq=$(sed -n 's/^ *\([0-9]*\):.*eth0.*/\1/p' /proc/interrupts | head -n 1)
	if [ -z "$irq" ] || ! echo 0 > "/proc/irq/$irq/smp_affinity_list"; then
		vm_fail "e1000 IRQ affinity"
	fi
	np_send "$N" process
	taskset 1 sh -c "echo '$N irqsoff' > $npc/send" || vm_fail "send irqsoff on CPU 0"
	taskset 1 sh -c "echo '$N irqsoff' > $npc/send" || vm_fail "send irqsoff on CPU 0"
	vm_rmmod cxx_npclient
	vm_rmmod cxx_netpoll
}
