# netpoll-busy: guest side (sourced after /etc/lib.sh; the harness calls scenario).
scenario() {
	one_nic_client || return
	# The locks are held 2 s: the batch must be queued while they are (the client checks),
	# with room for a slow debug guest (it took over 500 ms from a VM state saved in an
	# earlier machine session).
	np_send "$N" busy:2000
	sed 's/^/VMTEST-BUSY /' $npc/stats	# at once: what the busy batch did
	vm_drain
	np_send "$N" irqsoff
	np_stats
	vm_rmmod cxx_npclient
	vm_rmmod cxx_netpoll
}
