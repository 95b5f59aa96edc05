//go:build unix

package main

import "golang.org/x/sys/unix"

// raiseFileLimit wraps setrlimit(2) on POSIX: it raises the soft limit on
// open descriptors (RLIMIT_NOFILE) to the hard limit, since every client is
// one. Winsock has no such limit. It returns the limit now in force.
func raiseFileLimit() (uint64, error) {
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		return 0, err
	}
	if lim.Cur < lim.Max {
		raised := lim
		raised.Cur = lim.Max
		if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &raised); err == nil {
			lim = raised
		}
	}
	return uint64(lim.Cur), nil
}
