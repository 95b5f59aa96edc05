//go:build unix

package main

import "golang.org/x/sys/unix"

// isTerminalFd tells whether fd is a terminal: ioctl(2) TIOCGWINSZ on POSIX,
// GetConsoleMode on Windows. /dev/null, a character device too, is not.
func isTerminalFd(fd uintptr) bool {
	_, err := unix.IoctlGetWinsize(int(fd), unix.TIOCGWINSZ)
	return err == nil
}
