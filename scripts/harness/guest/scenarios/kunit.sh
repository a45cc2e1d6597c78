# kunit: guest side (sourced after /etc/lib.sh; the harness calls scenario).
scenario() {
	for m in $VMTEST_DEPS; do
		vm_insmod "$m"
	done
	for m in $VMTEST_SUITES; do
		vm_insmod "$m" && vm_rmmod "$m"
	done
	for m in $VMTEST_DEPS_REVERSED; do
		vm_rmmod "$m"
	done
}
