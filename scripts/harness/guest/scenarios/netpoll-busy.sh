# netpoll-busy: guest side (sourced after /etc/lib.sh; the harness calls scenario).
scenario() {
	one_nic_client || return
	np_send "$N" busy:500
	sed 's/^/VMTEST-BUSY /' $npc/stats	# at once: what the busy batch did
	np_send "$N" irqsoff
	np_stats
	vm_rmmod cxx_npclient
	vm_rmmod cxx_netpoll
}
