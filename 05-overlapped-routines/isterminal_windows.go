package main

import "golang.org/x/sys/windows"

// isTerminalFd tells whether fd is a terminal: ioctl(2) TIOCGWINSZ on POSIX,
// GetConsoleMode on Windows. /dev/null, a character device too, is not.
func isTerminalFd(fd uintptr) bool {
	var mode uint32
	return windows.GetConsoleMode(windows.Handle(fd), &mode) == nil
}
