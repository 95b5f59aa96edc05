//go:build unix

package testkit

import (
	"os"
	"syscall"
)

// drain returns what is in the pipe now, without waiting for more: the
// pipe is non-blocking, so read(2) says EAGAIN once it is empty.
func drain(r *os.File) []byte {
	var out []byte
	raw, err := r.SyscallConn()
	if err != nil {
		return nil
	}
	chunk := make([]byte, 4096)
	raw.Read(func(fd uintptr) bool {
		for {
			n, err := syscall.Read(int(fd), chunk)
			if n <= 0 || err != nil {
				return true
			}
			out = append(out, chunk[:n]...)
		}
	})
	return out
}
